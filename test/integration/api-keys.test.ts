import { getMetadataStorage } from 'type-graphql';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/data-source';
import { createLlmServices } from '../../src/llm';
import { openJobs } from '../../src/runs';
import { buildAppSchema } from '../../src/app/schema';
import { startServer } from '../../src/app/server';
import { startTestApp, type GqlResponse, type TestApp } from '../helpers/test-app';

const KEYS = {
  viewer: 'v-7d3f0c2b9a5e4d1c8b6a',
  operator: 'o-1a2b3c4d5e6f7a8b9c0d',
  admin: 'a-9f8e7d6c5b4a39281706',
};
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    MOCKFORGE_API_KEYS: `${KEYS.viewer}:viewer,${KEYS.operator}:operator,${KEYS.admin}:admin`,
    MOCKFORGE_CORS_ORIGINS: 'https://app.example.com',
  });
});
afterAll(() => app?.close());

async function runCount(): Promise<number> {
  const [row] = await app.db.dataSource.query(`SELECT count(*)::int AS n FROM generation_runs`);
  return row.n;
}

function expectCode(res: GqlResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.errors?.[0]?.extensions?.code).toBe(code);
}

const GENERATE = `mutation { generateDashboard(input: { seed: 1, asOf: "2026-11-01", days: 2, agents: 2, members: 3, conversations: 5, auditLogs: 5 }) { id status } }`;

describe('API keys', () => {
  it('without a key, or with an unknown or malformed one, nothing runs: 401 UNAUTHENTICATED', async () => {
    for (const headers of [
      {},
      bearer('not-a-key'),
      { authorization: KEYS.admin },
      bearer(`${KEYS.admin}x`),
    ]) {
      expectCode(await app.gql(`{ runs { totalCount } }`, {}, headers), 401, 'UNAUTHENTICATED');
      expectCode(await app.gql(GENERATE, {}, headers), 401, 'UNAUTHENTICATED');
    }
    expect(await runCount()).toBe(0);
  });

  it('a viewer queries but may not generate, estimate, delete or clear the cache (403 naming the role)', async () => {
    const ok = await app.gql(`{ runs { totalCount } scenarios { id } }`, {}, bearer(KEYS.viewer));
    expect(ok.status).toBe(200);
    expect(ok.errors).toBeUndefined();
    for (const [query, role] of [
      [GENERATE, 'operator'],
      [`{ costEstimate(input: { scenario: A1 }) { totals { calls } } }`, 'operator'],
      [`mutation { deleteRun(id: "00000000-0000-4000-8000-000000000001") { id } }`, 'admin'],
      [`mutation { clearCache }`, 'admin'],
    ]) {
      const res = await app.gql(query, {}, bearer(KEYS.viewer));
      expectCode(res, 403, 'FORBIDDEN');
      expect(res.errors![0].extensions?.requiredRole).toBe(role);
      expect(res.errors![0].message).toContain(role);
    }
    expect(await runCount()).toBe(0);
  });

  it('an operator generates and estimates, but may not delete', async () => {
    const made = await app.gql(GENERATE, {}, bearer(KEYS.operator));
    expect(made.errors).toBeUndefined();
    expect(made.data!.generateDashboard.status).toBe('SUCCEEDED');
    const estimate = await app.gql(
      `{ costEstimate(input: { scenario: C2 }) { totals { calls } } }`,
      {},
      bearer(KEYS.operator),
    );
    expect(estimate.errors).toBeUndefined();
    const del = `mutation($id: ID!) { deleteRun(id: $id) { id } }`;
    expectCode(
      await app.gql(del, { id: made.data!.generateDashboard.id }, bearer(KEYS.operator)),
      403,
      'FORBIDDEN',
    );
    expect(await runCount()).toBe(1);

    const admin = await app.gql(del, { id: made.data!.generateDashboard.id }, bearer(KEYS.admin));
    expect(admin.errors).toBeUndefined();
    expect(await runCount()).toBe(0);
    const cleared = await app.gql(`mutation { clearCache }`, {}, bearer(KEYS.admin));
    expect(cleared.errors).toBeUndefined();
  });

  it('every query and mutation declares the role it needs', () => {
    const storage = getMetadataStorage();
    const open = [...storage.queries, ...storage.mutations].filter((f) => !f.roles?.length);
    expect(open.map((f) => f.methodName)).toEqual([]);
  });

  it('CORS: only the configured origins may call from a browser', async () => {
    const preflight = (origin: string) =>
      fetch(app.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the playground page loads without a key and offers the Authorization header', async () => {
    const page = await fetch(app.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Bearer <your API key>');
    expect(html).not.toContain(KEYS.viewer);
  });
});

describe('configuration', () => {
  it('refuses bad key lists without echoing a key', () => {
    for (const value of [
      'secret-key-1',
      'secret-key-1:root',
      'secret-key-1:viewer,secret-key-1:admin',
      ':viewer',
    ]) {
      expect(() => loadConfig({ MOCKFORGE_API_KEYS: value })).toThrow(/MOCKFORGE_API_KEYS/);
      try {
        loadConfig({ MOCKFORGE_API_KEYS: value });
      } catch (error) {
        expect(String(error)).not.toContain('secret-key-1');
      }
    }
  });

  it('CORS defaults: any origin while open, same-origin only once keys are set', () => {
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig({ MOCKFORGE_API_KEYS: 'k-123456789:viewer' }).corsOrigins).toEqual([]);
    expect(() => loadConfig({ MOCKFORGE_CORS_ORIGINS: 'not an origin' })).toThrow(/MOCKFORGE_CORS_ORIGINS/);
  });

  it('warns once when listening beyond loopback without keys, and never otherwise', async () => {
    const config = loadConfig({ MOCKFORGE_DATA_DIR: 'memory://' });
    const db = await openDatabase({ ...config, databaseUrl: null });
    const schema = await buildAppSchema();
    const llm = createLlmServices(config.llm);
    const embedded = { ...config, databaseUrl: null, queue: { ...config.queue, backend: 'inline' as const } };
    const services = { llm, jobs: await openJobs(embedded, db, llm, { work: false }) };
    try {
      for (const [host, keys, warnings] of [
        ['0.0.0.0', [], 1],
        ['127.0.0.1', [], 0],
        ['0.0.0.0', [{ key: 'k-123456789', role: 'admin' }], 0],
      ] as const) {
        const warned: string[] = [];
        const server = await startServer(
          db,
          schema,
          { ...config, port: 0, host, apiKeys: [...keys] as never },
          { services, warn: (m) => warned.push(m) },
        );
        await server.stop();
        expect(warned).toHaveLength(warnings);
        expect(warned.join('')).not.toContain('k-123456789');
      }
    } finally {
      await db.close();
    }
  });
});
