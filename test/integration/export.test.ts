import { gunzipSync } from 'node:zlib';
import http from 'node:http';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';

/** GET /runs/{id}/export: a run's rows out as NDJSON, streamed, refused clearly when it cannot be. */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const exportUrl = (id: string, query = '') => app.url.replace('/graphql', `/runs/${id}/export${query}`);

/** The raw response (no automatic decompression), to see what travelled. */
function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        })
        .on('error', reject);
    },
  );
}

/** The objects of an NDJSON body. */
const ndjson = (body: Buffer): any[] =>
  body
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** How many exported rows each table has. */
function perTable(lines: { table: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) counts[line.table] = (counts[line.table] ?? 0) + 1;
  return counts;
}

async function scenario(seed: number) {
  const res = await app.gql(
    `mutation($input: GenerateScenarioInput!) { generateScenario(input: $input) {
      id status rowCounts { products users transactions reviews members agents costRecords } } }`,
    { input: { scenario: 'C3', seed, asOf: '2026-11-01', embeddings: false } },
  );
  expectNoErrors(res);
  return res.data!.generateScenario;
}

describe('exporting a run as NDJSON', () => {
  it('streams every row once, parents before children, values as the API shows them', async () => {
    const run = await scenario(41);
    const res = await get(exportUrl(run.id, '?format=ndjson'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="mockforge-run-${run.id}.ndjson"`);
    const lines = ndjson(res.body);
    const counts = perTable(lines);
    expect(counts).toEqual(Object.fromEntries(Object.entries(run.rowCounts).filter(([, n]) => n)));
    // Dependency order: each table's rows come as one block, in this order.
    const order = lines.map((l) => l.table).filter((t, i, all) => i === 0 || all[i - 1] !== t);
    // (Offline runs have no cost records.)
    expect(order).toEqual(['products', 'users', 'transactions', 'reviews', 'members', 'agents']);
    expect(new Set(lines.map((l) => `${l.table}:${l.id}`)).size).toBe(lines.length);

    // The same values as the GraphQL API for the main product.
    const api = await app.gql(
      `query($runId: ID!) { products(filter: { runId: $runId, role: MAIN }) { nodes { id asin title price starRating numRatings category role photos } } }`,
      { runId: run.id },
    );
    expectNoErrors(api);
    const main = api.data!.products.nodes[0];
    const exported = lines.find((l) => l.table === 'products' && l.id === main.id);
    expect(exported).toMatchObject(main);
    expect(exported.runId).toBeUndefined();
  });

  it('exports only the tables asked for, gzipped when the client accepts it', async () => {
    const run = await scenario(42);
    const res = await get(exportUrl(run.id, '?tables=reviews,products'), { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const tables = ndjson(gunzipSync(res.body)).map((l) => l.table);
    expect(tables.length).toBe(run.rowCounts.products + run.rowCounts.reviews);
    // Still in dependency order, whatever order they were asked in.
    expect(tables[0]).toBe('products');
    expect(tables[tables.length - 1]).toBe('reviews');
  });

  it('exports a dashboard run, its agents’ config included as the API shows it', async () => {
    const res = await app.gql(
      `mutation { generateDashboard(input: { asOf: "2026-11-01" }) {
        id status rowCounts { members agents dailyMetrics conversations costRecords auditLogs } } }`,
    );
    expectNoErrors(res);
    const run = res.data!.generateDashboard;
    const lines = ndjson((await get(exportUrl(run.id))).body);
    const counts = perTable(lines);
    expect(counts).toEqual(run.rowCounts);
    const agent = lines.find((l) => l.table === 'agents');
    expect(agent.config).toEqual(expect.objectContaining({ maxTokens: expect.any(Number) }));
    expect(agent.status).toMatch(/^[A-Z_]+$/);
  });

  it.each([
    ['an unknown run', '00000000-0000-4000-8000-00000000dead', '', 404, 'NOT_FOUND'],
    ['a malformed id', 'not-a-run', '', 404, 'NOT_FOUND'],
    ['an unknown format', null, '?format=xlsx', 400, 'BAD_USER_INPUT'],
    ['an unknown table', null, '?tables=products,secrets', 400, 'BAD_USER_INPUT'],
  ])('refuses %s with a JSON error', async (_name, id, query, status, code) => {
    const runId = id ?? (await scenario(43)).id;
    const res = await get(exportUrl(runId, query as string));
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ error: { code } });
  });

  it('refuses a run that has not succeeded (409)', async () => {
    // A run made to fail: one shopper name is refused by a temporary constraint.
    await app.db.dataSource.query(
      `ALTER TABLE users ADD CONSTRAINT export_test_refuses CHECK (name <> 'Export Refused') NOT VALID`,
    );
    let failed;
    try {
      failed = await app.gql(
        `mutation { generateScenario(input: { scenario: C2, seed: 44, mainUser: { name: "Export Refused" } }) { id status } }`,
      );
    } finally {
      await app.db.dataSource.query(`ALTER TABLE users DROP CONSTRAINT export_test_refuses`);
    }
    expectNoErrors(failed);
    expect(failed.data!.generateScenario.status).toBe('FAILED');
    const res = await get(exportUrl(failed.data!.generateScenario.id));
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringContaining('FAILED') },
    });
  });
});

describe('exporting with API keys configured', () => {
  let keyed: TestApp;
  beforeAll(async () => {
    keyed = await startTestApp({ MOCKFORGE_API_KEYS: 'viewer-key-123456:viewer' });
  });
  afterAll(async () => {
    await keyed?.close();
  });

  it('needs a key (any role from viewer up)', async () => {
    const url = keyed.url.replace('/graphql', '/runs/00000000-0000-4000-8000-00000000dead/export');
    const anonymous = await get(url);
    expect(anonymous.status).toBe(401);
    // With the viewer key the request gets through to the run lookup.
    expect((await get(url, { authorization: 'Bearer viewer-key-123456' })).status).toBe(404);
  });
});
