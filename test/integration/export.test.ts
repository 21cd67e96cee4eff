import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { exportRows, get, ndjson, perTable, unzip } from '../helpers/export-files';
import { decimalText, isoOf, readWithDuckDb } from '../helpers/duckdb';
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
    const all = ndjson(res.body);
    // First the run, last the end line with the row count and the digest an import checks.
    expect(all[0]).toMatchObject({
      table: 'run',
      id: run.id,
      kind: 'SCENARIO',
      scenarioId: 'C3',
      seed: 41,
      complete: true,
    });
    expect(all[all.length - 1]).toEqual({
      table: 'end',
      rows: all.length - 2,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const lines = exportRows(res.body);
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
    const tables = exportRows(gunzipSync(res.body)).map((l) => l.table);
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
    const lines = exportRows((await get(exportUrl(run.id))).body);
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
    ['a repeated format', null, '?format=csv&format=sql', 400, 'BAD_USER_INPUT'],
    ['tables as an array', null, '?tables[]=products&tables[]=users', 400, 'BAD_USER_INPUT'],
    ['an unknown parameter', null, '?fromat=csv', 400, 'BAD_USER_INPUT'],
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

describe('exporting as CSV and Parquet zips', () => {
  let run: { id: string; rowCounts: Record<string, number> };
  /** The run as NDJSON: the reference the other formats must agree with. */
  let reference: any[];
  beforeAll(async () => {
    const res = await app.gql(
      `mutation { generateScenario(input: { scenario: A2, seed: 45, asOf: "2026-11-01", embeddings: true }) {
        id status rowCounts { products users transactions reviews members agents costRecords } } }`,
    );
    expectNoErrors(res);
    run = res.data!.generateScenario;
    reference = exportRows((await get(exportUrl(run.id))).body);
  });

  const rowsOf = (table: string) => reference.filter((l) => l.table === table);
  const nonEmpty = () => Object.entries(run.rowCounts).filter(([, n]) => n);

  it('CSV: one RFC 4180 file per table with a header, the API values and embeddings as JSON', async () => {
    const res = await get(exportUrl(run.id, '?format=csv'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="mockforge-run-${run.id}.csv.zip"`);
    const files = await unzip(res.body);
    expect([...files.keys()]).toEqual(
      ['products', 'users', 'transactions', 'reviews', 'members', 'agents', 'costRecords'].map(
        (t) => `${t}.csv`,
      ),
    );
    for (const [table, count] of nonEmpty()) {
      const text = files.get(`${table}.csv`)!.toString('utf8');
      expect(text).toContain('\r\n');
      const records = parse(text, { columns: true }) as Record<string, string>[];
      expect(records).toHaveLength(count);
      // Every value the NDJSON export has, as text (lists and objects as JSON).
      const byId = new Map(records.map((r) => [r.id, r]));
      for (const line of rowsOf(table)) {
        const record = byId.get(line.id)!;
        for (const [key, value] of Object.entries(line)) {
          if (key === 'table') continue;
          if (key === 'embedding') {
            expect(JSON.parse(record.embedding)).toEqual((value as any).vector);
            continue;
          }
          const text =
            value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
          expect([key, record[key]]).toEqual([key, text]);
        }
      }
    }
    const product = parse(files.get('products.csv')!, { columns: true })[0] as Record<string, string>;
    expect(JSON.parse(product.embedding)).toHaveLength(1536);
    // Left out when asked.
    const without = await unzip(
      (await get(exportUrl(run.id, '?format=csv&embeddings=false&tables=products'))).body,
    );
    expect([...without.keys()]).toEqual(['products.csv']);
    expect(parse(without.get('products.csv')!, { columns: true })[0]).not.toHaveProperty('embedding');
  });

  /** A value DuckDB read from Parquet, in the API's form (decimals compared as exact decimals). */
  function fromDuckDb(stored: unknown, api: any): unknown {
    if (typeof api === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(api) && typeof stored === 'string')
      return isoOf(stored);
    if (typeof api === 'string' && /^-?\d+\.\d+$/.test(api) && typeof stored === 'string') {
      return decimalText(stored) === decimalText(api) ? api : stored;
    }
    if (typeof api === 'number' && typeof stored === 'string' && /^-?\d+$/.test(stored))
      return Number(stored);
    if (api !== null && typeof api === 'object' && !Array.isArray(api) && typeof stored === 'string') {
      return JSON.parse(stored);
    }
    return stored;
  }

  /** Every value of a run's Parquet export, read by DuckDB, against its NDJSON export; how many were decimals. */
  async function expectParquetAsApi(runId: string, lines: any[]): Promise<number> {
    const res = await get(exportUrl(runId, '?format=parquet'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = await unzip(res.body);
    let decimals = 0;
    for (const [table, count] of Object.entries(
      perTable(lines.filter((l) => l.table !== 'run' && l.table !== 'end')),
    )) {
      const rows = await readWithDuckDb(files.get(`${table}.parquet`)!, 'read_parquet');
      expect(rows).toHaveLength(count);
      const byId = new Map(rows.map((r) => [r.id as string, r]));
      for (const line of lines.filter((l) => l.table === table)) {
        const row = byId.get(line.id)!;
        for (const [key, value] of Object.entries(line)) {
          if (key === 'table' || value === null) continue;
          // Vectors are float32 columns: the stored float4 values exactly.
          if (key === 'embedding') {
            expect((row.embedding as number[]).map(Math.fround)).toEqual(
              (value as any).vector.map(Math.fround),
            );
            continue;
          }
          if (typeof value === 'string' && /^-?\d+\.\d+$/.test(value)) decimals++;
          expect([table, key, fromDuckDb(row[key], value)]).toEqual([table, key, value]);
        }
      }
    }
    return decimals;
  }

  it('Parquet: one file per table with typed columns that DuckDB reads back to the API values (money exact)', async () => {
    // Prices (scale 2) were among the values compared…
    expect(await expectParquetAsApi(run.id, reference)).toBeGreaterThan(100);
    // …and costs (scale 6), in a dashboard.
    const dashboard = await app.gql(
      `mutation { generateDashboard(input: { seed: 9, asOf: "2026-11-01", days: 3, agents: 3 }) { id } }`,
    );
    expectNoErrors(dashboard);
    const id = dashboard.data!.generateDashboard.id;
    const lines = exportRows((await get(exportUrl(id))).body);
    expect(lines.some((l) => l.table === 'costRecords')).toBe(true);
    expect(await expectParquetAsApi(id, lines)).toBeGreaterThanOrEqual(9);
  });

  it('CSV read by DuckDB too: the same text values', async () => {
    const files = await unzip((await get(exportUrl(run.id, '?format=csv&embeddings=false'))).body);
    for (const [table, count] of nonEmpty()) {
      const rows = await readWithDuckDb(files.get(`${table}.csv`)!, 'read_csv');
      expect(rows).toHaveLength(count);
      const byId = new Map(rows.map((r) => [r.id as string, r]));
      for (const line of rowsOf(table)) {
        for (const [key, value] of Object.entries(line)) {
          if (key === 'table' || key === 'embedding') continue;
          const text =
            value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value);
          expect([key, byId.get(line.id)![key] ?? null]).toEqual([key, text]);
        }
      }
    }
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
