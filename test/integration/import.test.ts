import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { get, post } from '../helpers/export-files';
import { appDigests } from '../helpers/run-digest';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';

/** POST /runs/import: an NDJSON export re-created as a new run — same rows, same fingerprint — or refused whole. */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const runsUrl = (path: string) => app.url.replace('/graphql', `/runs/${path}`);

async function exportOf(runId: string, query = '') {
  const res = await get(runsUrl(`${runId}/export${query}`));
  expect(res.status).toBe(200);
  return res.body.toString('utf8');
}

/** md5 of a run's rows per table: equal exactly when two runs hold the same rows. */
const storedRows = (runId: string) => appDigests(app.db.dataSource, runId);

const runCount = async () =>
  (await app.db.dataSource.query(`SELECT count(*)::int AS n FROM generation_runs`))[0].n;

describe('importing an NDJSON export', () => {
  it('re-creates a scenario run with its embeddings: a new id, the same rows and fingerprint, its contract re-checked', async () => {
    const res = await app.gql(
      `mutation { generateScenario(input: { scenario: A2, seed: 71, asOf: "2026-11-01", embeddings: true }) { id fingerprint rowCounts { products reviews } } }`,
    );
    expectNoErrors(res);
    const source = res.data!.generateScenario;
    const imported = await post(runsUrl('import'), gzipSync(await exportOf(source.id)), {
      'content-encoding': 'gzip',
    });
    expect(imported.status).toBe(201);
    const run = JSON.parse(imported.body.toString('utf8')).run;
    expect(run.id).not.toBe(source.id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', fingerprint: source.fingerprint, scenarioId: 'A2' });
    expect(await storedRows(run.id)).toEqual(await storedRows(source.id));
    // The API sees it like any run: its contract computed from the imported rows.
    const api = await app.gql(
      `query($id: ID!) { run(id: $id) { status contract { name passed } fingerprint } }`,
      { id: run.id },
    );
    expectNoErrors(api);
    expect(api.data!.run.contract.length).toBeGreaterThan(5);
    expect(api.data!.run.contract.every((c: { passed: boolean }) => c.passed)).toBe(true);
    // An import of the import is the same run again.
    const again = await post(runsUrl('import'), await exportOf(run.id));
    expect(JSON.parse(again.body.toString('utf8')).run.fingerprint).toBe(source.fingerprint);
  });

  it('re-creates a dashboard run', async () => {
    const res = await app.gql(
      `mutation { generateDashboard(input: { asOf: "2026-11-01" }) { id fingerprint } }`,
    );
    expectNoErrors(res);
    const source = res.data!.generateDashboard;
    const imported = await post(runsUrl('import'), await exportOf(source.id));
    if (imported.status !== 201) console.log(app.maskedErrors);
    expect(imported.status).toBe(201);
    const run = JSON.parse(imported.body.toString('utf8')).run;
    expect(run.fingerprint).toBe(source.fingerprint);
    expect(await storedRows(run.id)).toEqual(await storedRows(source.id));
  });

  describe('refuses a bad file whole, naming the line at fault', () => {
    let lines: string[];
    beforeAll(async () => {
      const res = await app.gql(
        `mutation { generateScenario(input: { scenario: B1, seed: 72, asOf: "2026-11-01", embeddings: false }) { id } }`,
      );
      expectNoErrors(res);
      lines = (await exportOf(res.data!.generateScenario.id)).trim().split('\n');
    });

    /** Replaces one row's field (the first line of a table) and returns the file and that line's number. */
    function edited(table: string, change: (row: any) => void): [string, number] {
      const index = lines.findIndex((l) => JSON.parse(l).table === table);
      const copy = [...lines];
      const row = JSON.parse(copy[index]);
      change(row);
      copy[index] = JSON.stringify(row);
      return [copy.join('\n'), index + 1];
    }

    it.each([
      [
        'an unknown enum value',
        'transactions',
        (r: any) => (r.status = 'LOST'),
        /transactions\.status must be one of DELIVERED/,
      ],
      ['a missing required field', 'users', (r: any) => delete r.email, /users\.email is missing/],
      [
        'a field the table does not have',
        'products',
        (r: any) => (r.secret = 1),
        /products has no field secret/,
      ],
      [
        'a malformed date',
        'reviews',
        (r: any) => (r.reviewedAt = 'yesterday'),
        /reviews\.reviewedAt must be a DateTimeISO/,
      ],
    ])('%s', async (_name, table, change, message) => {
      const before = await runCount();
      const [body, line] = edited(table, change);
      const res = await post(runsUrl('import'), body);
      expect(res.status).toBe(400);
      const error = JSON.parse(res.body.toString('utf8')).error;
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', line });
      expect(error.message).toMatch(message);
      expect(error.message).toContain(`line ${line}:`);
      expect(await runCount()).toBe(before);
    });

    it('a line that is not JSON', async () => {
      const copy = [...lines];
      copy[3] = '{"table": "products", ';
      const res = await post(runsUrl('import'), copy.join('\n'));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body.toString('utf8')).error).toMatchObject({
        line: 4,
        message: 'line 4: not a JSON object',
      });
    });

    it('a value changed by hand (still valid): the digest tells', async () => {
      const before = await runCount();
      const [body] = edited('reviews', (r) => (r.stars = r.stars === 5 ? 4 : 5));
      const res = await post(runsUrl('import'), body);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body.toString('utf8')).error.message).toMatch(/changed or damaged/);
      expect(await runCount()).toBe(before);
    });

    it('a file cut short, and a partial export', async () => {
      const cut = await post(runsUrl('import'), lines.slice(0, -5).join('\n'));
      expect(cut.status).toBe(400);
      expect(JSON.parse(cut.body.toString('utf8')).error.message).toMatch(/cut short/);
      const runId = JSON.parse(lines[0]).id;
      const partial = await post(runsUrl('import'), await exportOf(runId, '?tables=products'));
      expect(JSON.parse(partial.body.toString('utf8')).error).toMatchObject({
        line: 1,
        message: expect.stringMatching(/partial export/),
      });
    });
  });
});

describe('importing a run made with the LLM', () => {
  let fake: FakeOpenAi;
  let llmApp: TestApp;
  let cacheDir: string;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-import-cache-'));
    llmApp = await startTestApp({
      OPENAI_API_KEY: 'sk-test-import-1234567890',
      OPENAI_BASE_URL: fake.baseUrl,
      MOCKFORGE_CACHE_DIR: cacheDir,
    });
  });
  afterAll(async () => {
    await llmApp?.close();
    await fake?.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('keeps its text report and cost records, which now price the new run', async () => {
    const res = await llmApp.gql(
      `mutation { generateScenario(input: { scenario: C3, seed: 73, asOf: "2026-11-01", embeddings: false }) { id fingerprint actualCostUsd textReport { llmTexts } rowCounts { costRecords } } }`,
    );
    expectNoErrors(res);
    const source = res.data!.generateScenario;
    expect(source.textReport.llmTexts).toBeGreaterThan(0);
    expect(source.rowCounts.costRecords).toBeGreaterThan(0);
    const body = (await get(llmApp.url.replace('/graphql', `/runs/${source.id}/export`))).body;
    const imported = await post(llmApp.url.replace('/graphql', '/runs/import'), body);
    expect(imported.status).toBe(201);
    const run = JSON.parse(imported.body.toString('utf8')).run;
    expect(run.fingerprint).toBe(source.fingerprint);
    const api = await llmApp.gql(
      `query($id: ID!) { run(id: $id) { actualCostUsd textReport { llmTexts } costRecords { nodes { pricedRunId } } } }`,
      { id: run.id },
    );
    expectNoErrors(api);
    expect(api.data!.run.actualCostUsd).toBe(source.actualCostUsd);
    expect(api.data!.run.textReport.llmTexts).toBe(source.textReport.llmTexts);
    const priced = api.data!.run.costRecords.nodes.map((c: { pricedRunId: string }) => c.pricedRunId);
    expect(priced.length).toBe(source.rowCounts.costRecords);
    expect(new Set(priced)).toEqual(new Set([run.id]));
  });
});

describe('importing with API keys configured', () => {
  let keyed: TestApp;
  beforeAll(async () => {
    keyed = await startTestApp({ MOCKFORGE_API_KEYS: 'viewer-key-123456:viewer,admin-key-1234567:admin' });
  });
  afterAll(async () => {
    await keyed?.close();
  });

  it('needs the admin role', async () => {
    const url = keyed.url.replace('/graphql', '/runs/import');
    expect((await post(url, '{}')).status).toBe(401);
    expect((await post(url, '{}', { authorization: 'Bearer viewer-key-123456' })).status).toBe(403);
    const admin = await post(url, '{"table":"products"}', { authorization: 'Bearer admin-key-1234567' });
    expect(admin.status).toBe(400);
    expect(JSON.parse(admin.body.toString('utf8')).error.line).toBe(1);
  });
});
