import type { Readable } from 'node:stream';
import { loadConfig } from '../config';
import { dataDirHolder, DataDirBusyError } from '../db/data-dir-lock';
import { openDatabase } from '../db/data-source';
import { openJobs } from '../runs';
import { createLlmServices } from '../llm';
import { buildAppSchema } from '../app/schema';
import { startServer } from '../app/server';

/** A GraphQL error as the API sends it. */
export interface ApiError {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** A call the API refused: its code decides the exit status (BAD_USER_INPUT is bad usage). */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Where the CLI sends its calls: a running server (`--url`), or the service started in this process. */
export interface Connection {
  /** Base URL, e.g. http://127.0.0.1:4000 (no /graphql). */
  base: string;
  key?: string;
  close(): Promise<void>;
}

/**
 * The service on this machine's database (embedded by default, `DATABASE_URL` for Postgres),
 * started in this process on a loopback port: the CLI then talks to it exactly as to a remote
 * server. Text is offline unless `llm` (then `OPENAI_API_KEY` is needed, as for the server).
 */
export async function startLocal(env: NodeJS.ProcessEnv, llm: boolean): Promise<Connection> {
  const config = loadConfig({
    ...env,
    OPENAI_API_KEY: llm ? env.OPENAI_API_KEY : '',
    MOCKFORGE_API_KEYS: '',
  });
  const db = await openDatabase(config, { owner: 'cli' });
  const services = createLlmServices(config.llm);
  const jobs = await openJobs(config, db, services, { work: config.queue.workers > 0 });
  const server = await startServer(
    db,
    await buildAppSchema(),
    { ...config, port: 0, host: '127.0.0.1' },
    {
      services: { llm: services, jobs },
    },
  );
  return {
    base: server.url.replace(/\/graphql$/, ''),
    close: async () => {
      await server.stop();
      await jobs.close();
      await db.close();
    },
  };
}

/**
 * Where the CLI goes without --url. The embedded database is single-process: when a server on this
 * machine holds the data directory, the CLI talks to that server (it says so on stderr); when
 * another process holds it without serving (a CLI run), it refuses with what to do. Otherwise it
 * starts the service here.
 */
export async function localOrRunning(
  env: NodeJS.ProcessEnv,
  llm: boolean,
  key: string | undefined,
  notice: (line: string) => void,
): Promise<Connection> {
  const config = loadConfig({ ...env, OPENAI_API_KEY: '', MOCKFORGE_API_KEYS: '' });
  if (!config.databaseUrl && !config.dataDir.startsWith('memory://')) {
    const holder = dataDirHolder(config.dataDir);
    if (holder) {
      if (!holder.url) throw new ApiFailure(new DataDirBusyError(config.dataDir, holder).message, undefined);
      notice(
        `using the MockForge server at ${holder.url} (it holds ${config.dataDir}; ` +
          `text and API keys are the server's${llm ? ', --llm is ignored' : ''})`,
      );
      return remote(holder.url, key);
    }
  }
  try {
    return await startLocal(env, llm);
  } catch (error) {
    // Taken between the look and the open (a server starting this very moment).
    if (error instanceof DataDirBusyError) throw new ApiFailure(error.message, undefined);
    throw error;
  }
}

export function remote(url: string, key?: string): Connection {
  return { base: url.replace(/\/+$/, '').replace(/\/graphql$/, ''), key, close: async () => undefined };
}

const headers = (c: Connection, extra: Record<string, string> = {}) => ({
  ...(c.key ? { authorization: `Bearer ${c.key}` } : {}),
  ...extra,
});

/** A GraphQL call; throws ApiFailure with the first error's message and code. */
export async function gql<T>(
  c: Connection,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(`${c.base}/graphql`, {
    method: 'POST',
    headers: headers(c, { 'content-type': 'application/json' }),
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json().catch(() => ({}))) as { data?: T; errors?: ApiError[] };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiFailure(first.message, first.extensions?.code);
  }
  if (!res.ok || !body.data) throw new ApiFailure(`HTTP ${res.status} from ${c.base}/graphql`, undefined);
  return body.data;
}

/** A plain-HTTP call's JSON error as an ApiFailure (400 → BAD_USER_INPUT). */
async function httpFailure(res: Response): Promise<ApiFailure> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  return new ApiFailure(body.error?.message ?? `HTTP ${res.status}`, body.error?.code);
}

/** GET a streamed response (an export); throws ApiFailure for an error status. */
export async function download(c: Connection, path: string): Promise<Response> {
  const res = await fetch(`${c.base}${path}`, { headers: headers(c) });
  if (!res.ok) throw await httpFailure(res);
  return res;
}

/** POST a stream (an import); the JSON answer, or ApiFailure. */
export async function upload<T>(c: Connection, path: string, body: Readable, gzip: boolean): Promise<T> {
  const res = await fetch(`${c.base}${path}`, {
    method: 'POST',
    headers: headers(c, {
      'content-type': 'application/x-ndjson',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    }),
    body: body as unknown as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (!res.ok) throw await httpFailure(res);
  return (await res.json()) as T;
}
