import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { GraphQLSchema } from 'graphql';
import { loadConfig, type Config } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/data-source';
import { createLlmServices } from '../../src/llm';
import { openJobs, type RunJobs } from '../../src/runs';
import type { Recovery } from '../../src/runs/recovery';
import { buildAppSchema } from '../../src/app/schema';
import { startServer, type RunningServer } from '../../src/app/server';
import { StatementCounter } from './statement-counter';

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  db: Database;
  server: RunningServer;
  url: string;
  statements: StatementCounter;
  jobs: RunJobs;
  config: Config;
  /** Errors the server masked, with their originals (tests assert on them). */
  maskedErrors: unknown[];
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

/** True when the suite runs against a real Postgres (CI's second pass). */
export const usingPostgres = Boolean(process.env.DATABASE_URL);

/**
 * A scratch database per test file on the real Postgres, so files can run in parallel and leave
 * nothing behind; on the embedded database, a fresh in-memory PGlite.
 */
async function scratchConfig(): Promise<{ config: Config; drop: () => Promise<void> }> {
  const base = loadConfig({ ...process.env, MOCKFORGE_DATA_DIR: 'memory://' });
  if (!base.databaseUrl) return { config: base, drop: async () => {} };
  const name = `mf_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new Client({ connectionString: base.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base.databaseUrl);
  url.pathname = `/${name}`;
  return {
    config: { ...base, databaseUrl: url.toString() },
    drop: async () => {
      const client = new Client({ connectionString: base.databaseUrl as string });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

let schemaPromise: Promise<GraphQLSchema> | undefined;

/** Boots the real server on a random port over a fresh database. */
export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  options: { recovery?: Recovery } = {},
): Promise<TestApp> {
  const { config: base, drop } = await scratchConfig();
  // LLM, key and CORS settings come from the test (e.g. a fake OpenAI server), never from the developer's shell.
  const own = loadConfig({
    MOCKFORGE_DATA_DIR: 'memory://',
    ...env,
    MOCKFORGE_QUEUE: 'inline',
    MOCKFORGE_WORKERS: '1',
  });
  // The queue follows the suite's database (and MOCKFORGE_QUEUE / REDIS_URL when CI sets them), on a
  // queue of its own so test files sharing a Redis never take each other's jobs.
  const queue = loadConfig({
    ...process.env,
    MOCKFORGE_DATA_DIR: 'memory://',
    DATABASE_URL: base.databaseUrl ?? '',
    MOCKFORGE_QUEUE_NAME: `mf-test-${randomUUID().slice(0, 8)}`,
    ...env,
  }).queue;
  const config = {
    ...base,
    llm: own.llm,
    apiKeys: own.apiKeys,
    corsOrigins: own.corsOrigins,
    metricsPort: own.metricsPort,
    queue,
  };
  const statements = new StatementCounter();
  const db = await openDatabase(config, { logger: statements });
  const schema = await (schemaPromise ??= buildAppSchema());
  const maskedErrors: unknown[] = [];
  const llm = createLlmServices(config.llm);
  const logger = (_id: string, error: unknown) => maskedErrors.push(error);
  const jobs = await openJobs(config, db, llm, {
    work: config.queue.workers > 0,
    log: logger,
    recovery: options.recovery,
  });
  const server = await startServer(
    db,
    schema,
    { ...config, port: 0, host: '127.0.0.1' },
    { services: { llm, jobs }, errorLogger: logger },
  );
  return {
    db,
    server,
    url: server.url,
    statements,
    maskedErrors,
    async gql(query, variables, headers = {}) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GqlResponse, 'status'>;
      return { status: response.status, ...body } as GqlResponse<any>;
    },
    jobs,
    config,
    async close() {
      await server.stop();
      await jobs.close();
      await db.close();
      await drop();
    },
  };
}

/** Fails with the server's errors when a response has any. */
export function expectNoErrors(response: GqlResponse): void {
  if (response.errors?.length) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
  }
}
