import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type GqlResponse, type TestApp } from '../helpers/test-app';

/**
 * Every path into the API holds the same line: a request refused over HTTP is refused over
 * WebSocket (graphql-ws on the same path) with the same code and field, before anything runs;
 * the WebSocket handshake checks the page's origin as CORS does for HTTP; a key's role is decided
 * for the whole operation, so a 403 never acts.
 */

const KEYS = {
  viewer: 'v-51c0ffee51c0ffee51c0',
  operator: 'o-0ddba11d0ddba11d0ddb',
  admin: 'a-feedfacefeedfaceface',
};
const ALLOWED_ORIGIN = 'https://app.example.com';
const GENERATE = `generateDashboard(input: { seed: 1, asOf: "2026-11-01", days: 2, agents: 2, members: 3, conversations: 5, auditLogs: 5 }) { id }`;

let app: TestApp;
const wsUrl = () => app.url.replace(/^http/, 'ws');

beforeAll(async () => {
  app = await startTestApp({
    MOCKFORGE_API_KEYS: `${KEYS.viewer}:viewer,${KEYS.operator}:operator,${KEYS.admin}:admin`,
    MOCKFORGE_CORS_ORIGINS: ALLOWED_ORIGIN,
  });
});
afterAll(() => app?.close());

async function runCount(): Promise<number> {
  const [row] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM generation_runs`);
  return row.n;
}

interface Answer {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One operation over graphql-ws; what came back (data and errors alike). */
async function overWebSocket(
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
): Promise<Answer> {
  const client: Client = createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: key ? { Authorization: `Bearer ${key}` } : {},
  });
  try {
    return await new Promise<Answer>((resolve, reject) => {
      let answer: Answer = {};
      client.subscribe(
        { query, variables },
        {
          next: (value) => (answer = value as Answer),
          error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
          complete: () => resolve(answer),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const headers = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});

/** The same request over both transports: same code and field; nothing runs. */
async function refusedOnBoth(
  query: string,
  variables: Record<string, unknown>,
  key: string | undefined,
  code: string,
  field?: string,
): Promise<void> {
  const before = await runCount();
  const http: GqlResponse = await app.gql(query, variables, headers(key));
  const ws = await overWebSocket(query, variables, key);
  for (const answer of [http, ws]) {
    expect(answer.errors?.[0]?.extensions?.code).toBe(code);
    if (field !== undefined) expect(answer.errors?.[0]?.extensions?.field).toBe(field);
    expect(answer.data ?? null).toBeNull();
    expect(JSON.stringify(answer.errors)).not.toMatch(/node_modules|at .*\.ts:\d+|violates|SQLSTATE/);
  }
  expect(http.status).toBeGreaterThanOrEqual(400);
  expect(await runCount()).toBe(before);
}

describe('HTTP and WebSocket refuse the same requests the same way', () => {
  it('request limits: depth, aliases, cost and tokens', async () => {
    const deep = `{ products { nodes { ${'reviews { nodes { product { '.repeat(5)}id${' } } }'.repeat(5)} } } }`;
    await refusedOnBoth(deep, {}, KEYS.viewer, 'QUERY_LIMIT_EXCEEDED');
    const aliases = `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: scenarios { id }`).join(' ')} }`;
    await refusedOnBoth(aliases, {}, KEYS.viewer, 'QUERY_LIMIT_EXCEEDED');
    const expensive = `{ products(first: 500) { nodes { reviews(first: 500) { nodes { id } } } } }`;
    await refusedOnBoth(expensive, {}, KEYS.viewer, 'BAD_USER_INPUT', 'first');
    // ~12,000 fields in one 36 KB document: refused at parse, before validation could take seconds.
    const wide = `{ ${Array.from({ length: 12_000 }, () => 'id').join(' ')} }`;
    const started = Date.now();
    await refusedOnBoth(wide.replace('id', '__typename'), {}, KEYS.viewer, 'GRAPHQL_PARSE_FAILED');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('variables: coerced and named by the argument they feed; NUL characters refused', async () => {
    const run = `query($i: ID!) { run(id: $i) { id } }`;
    await refusedOnBoth(run, { i: 'a\u0000b' }, KEYS.viewer, 'BAD_USER_INPUT', 'id');
    const generate = `mutation($x: GenerateDashboardInput!) { generateDashboard(input: $x) { id } }`;
    await refusedOnBoth(generate, { x: { seed: 'abc' } }, KEYS.operator, 'BAD_USER_INPUT', 'input.seed');
  });

  it('keys and roles: none, unknown, too low — and the operation is decided whole, so a 403 creates nothing', async () => {
    await refusedOnBoth(`{ runs { totalCount } }`, {}, undefined, 'UNAUTHENTICATED');
    await refusedOnBoth(`{ runs { totalCount } }`, {}, 'not-a-configured-key', 'UNAUTHENTICATED');
    await refusedOnBoth(`mutation { ${GENERATE} }`, {}, KEYS.viewer, 'FORBIDDEN');
    // An operator's generate beside an admin field, in either order, through a fragment too.
    await refusedOnBoth(`mutation { b: ${GENERATE} a: clearCache }`, {}, KEYS.operator, 'FORBIDDEN');
    await refusedOnBoth(`mutation { a: clearCache b: ${GENERATE} }`, {}, KEYS.operator, 'FORBIDDEN');
    await refusedOnBoth(
      `mutation { ...M } fragment M on Mutation { b: ${GENERATE} a: clearCache }`,
      {},
      KEYS.operator,
      'FORBIDDEN',
    );
    const unknown = await app.gql(`{ runs { totalCount } }`, {}, headers('not-a-configured-key'));
    expect(unknown.errors?.[0]?.message).toMatch(/not valid/);
    // The admin may: the same operation runs whole over both transports.
    const http = await app.gql(`mutation { b: ${GENERATE} a: clearCache }`, {}, headers(KEYS.admin));
    const ws = await overWebSocket(`mutation { b: ${GENERATE} a: clearCache }`, {}, KEYS.admin);
    for (const answer of [http, ws]) expect(answer.errors).toBeUndefined();
  });

  it('a subscription over HTTP is a 400 saying it needs graphql-ws; over WebSocket it runs', async () => {
    const res = await app.gql(
      `subscription { runProgress(id: "00000000-0000-4000-8000-000000000001") { id } }`,
      {},
      headers(KEYS.viewer),
    );
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(res.errors?.[0]?.message).toMatch(/graphql-ws/);
    expect(app.maskedErrors).toEqual([]);
    const ws = await overWebSocket(
      `subscription { runProgress(id: "00000000-0000-4000-8000-000000000001") { id } }`,
      {},
      KEYS.viewer,
    );
    expect(ws.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('the WebSocket handshake and messages', () => {
  /** Opens a raw socket: the HTTP status of a refused handshake, or the open socket. */
  function open(origin?: string): Promise<{ status: number; socket?: WebSocket }> {
    return new Promise((resolve) => {
      const socket = new WebSocket(wsUrl(), 'graphql-transport-ws', origin ? { origin } : {});
      socket.once('open', () => resolve({ status: 101, socket }));
      socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      socket.once('error', () => resolve({ status: 0 }));
    });
  }

  it('a page of another origin cannot open a socket; the listed origin, the same host and non-browsers can', async () => {
    expect((await open('https://evil.example.net')).status).toBe(403);
    expect((await open('null')).status).toBe(403);
    for (const origin of [ALLOWED_ORIGIN, new URL(app.url).origin, undefined]) {
      const { status, socket } = await open(origin);
      expect(status).toBe(101);
      socket!.close();
    }
  });

  it('a message over MOCKFORGE_MAX_BODY_BYTES (as an HTTP body) closes the socket (1009) and the server keeps answering', async () => {
    const { socket } = await open();
    const closed = new Promise<number>((resolve) => socket!.once('close', (code) => resolve(code)));
    socket!.send(
      JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(app.config.maxBodyBytes) } }),
    );
    expect(await closed).toBe(1009);
    const ok = await app.gql(`{ runs { totalCount } }`, {}, headers(KEYS.viewer));
    expect(ok.errors).toBeUndefined();
  });
});

describe('every error the HTTP layer makes is JSON with a code', () => {
  const base = () => app.url.replace(/\/graphql$/, '');

  async function expectJsonError(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).not.toMatch(/<html|<pre>|node_modules|at \S+ \(/i);
    const body = JSON.parse(text);
    expect(body.error?.code ?? body.errors?.[0]?.extensions?.code).toBe(code);
  }

  it('a malformed URL, an unknown charset, a broken gzip body, an unknown route', async () => {
    const auth = headers(KEYS.admin);
    await expectJsonError(
      await fetch(`${base()}/runs/%E0%A4%A/export`, { headers: auth }),
      400,
      'BAD_REQUEST',
    );
    const post = (extra: Record<string, string>, body: string) =>
      fetch(app.url, { method: 'POST', headers: { ...auth, ...extra }, body });
    await expectJsonError(
      await post({ 'content-type': 'application/json;charset=latin9' }, '{"query":"{ scenarios { id } }"}'),
      415,
      'BAD_REQUEST',
    );
    await expectJsonError(
      await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'definitely not gzip'),
      400,
      'BAD_REQUEST',
    );
    await expectJsonError(
      await post({ 'content-type': 'application/json' }, '{"query": '),
      400,
      'BAD_REQUEST',
    );
    await expectJsonError(await fetch(`${base()}/no/such/route`, { headers: auth }), 404, 'NOT_FOUND');
    expect(app.maskedErrors).toEqual([]);
  });

  it('persisted queries: an unknown hash is PERSISTED_QUERY_NOT_FOUND, a wrong hash or version BAD_REQUEST', async () => {
    const apq = async (body: object) => {
      const res = await fetch(app.url, {
        method: 'POST',
        headers: { ...headers(KEYS.viewer), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return ((await res.json()) as GqlResponse).errors?.[0]?.extensions?.code;
    };
    const hash = 'a'.repeat(64);
    expect(await apq({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    expect(
      await apq({
        query: '{ scenarios { id } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      }),
    ).toBe('BAD_REQUEST');
    expect(await apq({ extensions: { persistedQuery: { version: 2, sha256Hash: hash } } })).toBe(
      'BAD_REQUEST',
    );
    expect(app.maskedErrors).toEqual([]);
  });
});
