import { startTestApp, type GqlResponse, type TestApp } from '../helpers/test-app';
import { fixtureId, seedFixture, type Fixture } from '../helpers/fixture';

let app: TestApp;
let fx: Fixture;

beforeAll(async () => {
  app = await startTestApp();
  fx = await seedFixture(app.db);
});
afterAll(() => app?.close());

function expectError(res: GqlResponse, code: string, field?: string) {
  expect(res.errors?.length).toBeGreaterThan(0);
  const error = res.errors![0];
  expect(error.extensions?.code).toBe(code);
  if (field) expect(error.extensions?.field).toBe(field);
  // Never a stack trace or driver detail.
  expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|at .*\.js:\d+|QueryFailedError|SELECT /);
}

describe('bad requests get clear errors', () => {
  it('rejects an over-deep query', async () => {
    const deep = `{ runs { nodes { products { nodes { reviews { nodes { user { reviews { nodes { product {
      reviews { nodes { user { name } } } } } } } } } } } } } }`;
    const res = await app.gql(deep);
    expect(res.status).toBe(400);
    expectError(res, 'QUERY_LIMIT_EXCEEDED');
    expect(res.errors![0].message).toMatch(/depth/i);
  });

  it('rejects a page size of 10 000', async () => {
    const res = await app.gql(`{ products(first: 10000) { nodes { id } } }`);
    expectError(res, 'BAD_USER_INPUT', 'first');
    expect(res.data?.products ?? null).toBeNull();
  });

  it('rejects a page size of 0 on a nested list', async () => {
    const res = await app.gql(`query($s: ID!) { run(id: $s) { products(first: 0) { nodes { id } } } }`, {
      s: fx.scenarioRunId,
    });
    expectError(res, 'BAD_USER_INPUT', 'first');
  });

  it('rejects a malformed cursor', async () => {
    for (const after of [
      'not-a-cursor',
      'YXJyYXljb25uZWN0aW9uOi0x',
      Buffer.from('arrayconnection:abc').toString('base64'),
    ]) {
      const res = await app.gql(`query($a: String) { products(after: $a) { nodes { id } } }`, { a: after });
      expectError(res, 'BAD_USER_INPUT', 'after');
    }
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const res = await app.gql(`query($s: ID!, $p: ID!) { product(runId: $s, id: $p) { id } }`, {
      s: fx.scenarioRunId,
      p: fixtureId(1, 999),
    });
    expectError(res, 'NOT_FOUND', 'id');
    expect(res.data?.product).toBeNull();
    const run = await app.gql(`query($id: ID!) { run(id: $id) { id } }`, { id: fixtureId(0xff, 1) });
    expectError(run, 'NOT_FOUND', 'id');
  });

  it('rejects ids that are not UUIDs, naming the argument', async () => {
    const byId = await app.gql(
      `{ product(runId: "nope", id: "00000000-0000-4000-8000-000000000000") { id } }`,
    );
    expectError(byId, 'BAD_USER_INPUT', 'runId');
    const filter = await app.gql(
      `{ reviews(filter: { runId: "x'; DROP TABLE reviews; --" }) { nodes { id } } }`,
    );
    expectError(filter, 'BAD_USER_INPUT', 'filter.runId');
  });

  it('rejects a date range that ends before it starts', async () => {
    const res = await app.gql(
      `{ transactions(filter: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { nodes { id } } }`,
    );
    expectError(res, 'BAD_USER_INPUT', 'filter.to');
    const days = await app.gql(
      `{ dailyMetrics(filter: { from: "2026-02-01", to: "2026-01-01" }) { nodes { id } } }`,
    );
    expectError(days, 'BAD_USER_INPUT', 'filter.to');
  });

  it('rejects out-of-range filter values', async () => {
    const res = await app.gql(`{ reviews(filter: { stars: 9 }) { nodes { id } } }`);
    expectError(res, 'BAD_USER_INPUT', 'filter.stars');
  });

  it('rejects too many aliases', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: runs { totalCount }`).join('\n');
    const res = await app.gql(`{ ${aliases} }`);
    expectError(res, 'QUERY_LIMIT_EXCEEDED');
  });

  it('rejects a query whose pages multiply past the cost limit', async () => {
    const res = await app.gql(`{ products(first: 500) { nodes { reviews(first: 500) { nodes { id } } } } }`);
    expectError(res, 'BAD_USER_INPUT', 'first');
    expect(res.errors![0].extensions?.cost).toBeGreaterThan(res.errors![0].extensions?.maxCost);
  });

  it('rejects unknown fields and syntax errors with 400', async () => {
    const unknown = await app.gql(`{ products { nodes { nope } } }`);
    expectError(unknown, 'GRAPHQL_VALIDATION_FAILED');
    expect(unknown.status).toBe(400);
    const syntax = await app.gql(`{ products { nodes { id }`);
    expectError(syntax, 'GRAPHQL_PARSE_FAILED');
    expect(syntax.status).toBe(400);
  });

  it('rejects a document with too many tokens', async () => {
    const fields = Array.from({ length: 2000 }, () => 'id').join(' ');
    const res = await app.gql(`{ products { nodes { ${fields} } } }`);
    expectError(res, 'GRAPHQL_PARSE_FAILED');
    expect(res.errors![0].message).toMatch(/tokens/);
  });

  it('rejects a body over the size limit and a body that is not JSON', async () => {
    const huge = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ runs { totalCount } }`,
        variables: { pad: 'x'.repeat(2 * 1024 * 1024) },
      }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const garbage = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(garbage.status).toBe(400);
  });

  it('blocks cross-site GET queries (CSRF prevention)', async () => {
    const res = await fetch(`${app.url}?query=${encodeURIComponent('{ runs { totalCount } }')}`);
    expect(res.status).toBe(400);
    const ok = await fetch(`${app.url}?query=${encodeURIComponent('{ runs { totalCount } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(ok.status).toBe(200);
  });

  it('masks unexpected errors: no SQL or driver text reaches the client', async () => {
    app.maskedErrors.length = 0;
    await app.db.dataSource.query(`ALTER TABLE audit_logs RENAME TO audit_logs_hidden`);
    try {
      const res = await app.gql(`{ auditLogs { nodes { id } } }`);
      expectError(res, 'INTERNAL_SERVER_ERROR');
      expect(res.errors![0].message).toBe('Internal server error');
      expect(res.errors![0].extensions?.errorId).toEqual(expect.any(String));
      expect(JSON.stringify(res)).not.toMatch(/audit_logs|relation|does not exist/);
      expect(app.maskedErrors).toHaveLength(1);
      expect(String(app.maskedErrors[0])).toMatch(/audit_logs/);
    } finally {
      await app.db.dataSource.query(`ALTER TABLE audit_logs_hidden RENAME TO audit_logs`);
      app.maskedErrors.length = 0;
    }
  });
});
