import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { RowsDigest } from '../../src/export/formats/ndjson';
import { ImportTooLarge, ndjsonLines } from '../../src/http/import-route';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { get, post } from '../helpers/export-files';
import { appDigests } from '../helpers/run-digest';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { nonEmpty } from '../helpers/non-empty';

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
    expect(nonEmpty(api.data!.run.contract).every((c: { passed: boolean }) => c.passed)).toBe(true);
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

    /** The file with its run line changed. */
    function withHeader(change: (run: any) => void): string {
      const copy = [...lines];
      const run = JSON.parse(copy[0]);
      change(run);
      copy[0] = JSON.stringify(run);
      return copy.join('\n');
    }

    it.each([
      ['a seed that is not a number', (r: any) => (r.seed = 'abc'), 'run.seed'],
      ['an as-of that is not a date', (r: any) => (r.asOf = 'not-a-date'), 'run.asOf'],
      ['no row counts', (r: any) => delete r.rowCounts, 'run.rowCounts'],
      ['a request that is not the run’s', (r: any) => (r.request = { x: 1 }), 'run.request'],
      [
        'an input the API refuses (the mutation’s own rules)',
        (r: any) => (r.input.mainUser = { age: 400 }),
        'run.input.mainUser.age',
      ],
      [
        'counts over the API’s bounds',
        (r: any) => (r.input.counts.mockUsers = 5_000_000),
        'run.input.overrides.mockUsers',
      ],
      ['a seed that is not its input’s', (r: any) => (r.seed = r.seed + 1), 'run.seed'],
      ['a fingerprint that is not a digest', (r: any) => (r.fingerprint = 'forged'), 'run.fingerprint'],
    ])('a run line with %s: 400 naming the field', async (_name, change, field) => {
      const before = await runCount();
      const res = await post(runsUrl('import'), withHeader(change));
      expect(res.status).toBe(400);
      const error = JSON.parse(res.body.toString('utf8')).error;
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', line: 1, field });
      expect(await runCount()).toBe(before);
      expect(app.maskedErrors).toEqual([]);
    });

    it.each([
      ['a row id that is not a UUID', 'users', (r: any) => (r.id = 'not-a-uuid'), /users\.id must be a UUID/],
      ['a NUL character', 'products', (r: any) => (r.title = 'a\u0000b'), /NUL/],
    ])('a row with %s: 400 with its line, no database text', async (_name, table, change, message) => {
      const before = await runCount();
      const [body, line] = edited(table, change);
      const res = await post(runsUrl('import'), body);
      expect(res.status).toBe(400);
      const error = JSON.parse(res.body.toString('utf8')).error;
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', line });
      expect(error.message).toMatch(message);
      expect(await runCount()).toBe(before);
      expect(app.maskedErrors).toEqual([]);
    });

    it('JSON nested 5,000 deep (an audit log’s metadata, the run line’s text report): 400, no database text', async () => {
      const res = await app.gql(
        `mutation { generateDashboard(input: { seed: 3, asOf: "2026-11-01", days: 2, agents: 2, members: 3, conversations: 5, auditLogs: 5 }) { id } }`,
      );
      expectNoErrors(res);
      const dashboard = (await exportOf(res.data!.generateDashboard.id)).trim().split('\n');
      const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
      const index = dashboard.findIndex((l) => JSON.parse(l).table === 'auditLogs');
      const row = JSON.parse(dashboard[index]);
      row.metadata = '__DEEP__';
      const copy = [...dashboard];
      copy[index] = JSON.stringify(row).replace('"__DEEP__"', deep);
      const before = await runCount();
      const inRow = await post(runsUrl('import'), copy.join('\n'));
      expect(inRow.status).toBe(400);
      expect(JSON.parse(inRow.body.toString('utf8')).error).toMatchObject({
        line: index + 1,
        message: expect.stringMatching(/nest deeper than 32/),
      });
      const run = JSON.parse(dashboard[0]);
      run.textReport = '__DEEP__';
      const inHeader = await post(
        runsUrl('import'),
        [JSON.stringify(run).replace('"__DEEP__"', deep), ...dashboard.slice(1)].join('\n'),
      );
      expect(inHeader.status).toBe(400);
      expect(JSON.parse(inHeader.body.toString('utf8')).error).toMatchObject({
        line: 1,
        field: 'run.textReport',
      });
      expect(await runCount()).toBe(before);
      expect(app.maskedErrors).toEqual([]);
    });

    it('a row twice: refused by the database, told without its text', async () => {
      const index = lines.findIndex((l) => JSON.parse(l).table === 'members');
      const copy = [...lines];
      copy.splice(index, 0, copy[index]);
      const res = await post(runsUrl('import'), copy.join('\n'));
      expect(res.status).toBe(400);
      const error = JSON.parse(res.body.toString('utf8')).error;
      expect(error.message).not.toMatch(/violates|duplicate key value|null value in column/);
      expect(app.maskedErrors).toEqual([]);
    });

    it('rows edited with the end digest made to match, or a forged fingerprint: the fingerprint is taken from the rows and refuses them', async () => {
      const before = await runCount();
      // An edit anyone can make, that breaks no rule: a review's title, the end line's digest recomputed.
      const [edited_, line] = edited('reviews', (r) => (r.title = `${r.title} (edited)`));
      const rows = edited_.split('\n');
      const digest = new RowsDigest();
      for (const text of rows.slice(1, -1)) digest.add(text);
      rows[rows.length - 1] = JSON.stringify({ table: 'end', rows: digest.rows, digest: digest.digest() });
      expect(line).toBeGreaterThan(1);
      const res = await post(runsUrl('import'), rows.join('\n'));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body.toString('utf8')).error).toMatchObject({
        line: 1,
        field: 'run.fingerprint',
        message: expect.stringMatching(/is not the fingerprint of the rows/),
      });
      // The rows as they were, under another (well-formed) fingerprint.
      const forged = await post(
        runsUrl('import'),
        withHeader((r) => (r.fingerprint = 'f'.repeat(64))),
      );
      expect(JSON.parse(forged.body.toString('utf8')).error).toMatchObject({ field: 'run.fingerprint' });
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

describe('an upload over the bounds', () => {
  it('a megabyte of gzip inflating to one endless line is 413, and the server goes on answering', async () => {
    const bomb = await gzipped(200 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const before = await runCount();
    const res = await post(runsUrl('import'), bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString('utf8')).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', line: 1 });
    expect(await runCount()).toBe(before);
    const alive = await app.gql(`{ runs { totalCount } }`);
    expect(alive.errors).toBeUndefined();
    const other = await post(runsUrl('import'), 'x', { 'content-encoding': 'br' });
    expect(other.status).toBe(415);
  });

  it('more bytes in all than the bound, however short the lines', async () => {
    const lines = ndjsonLines(Readable.from([Buffer.from('{}\n'.repeat(1000))]), false, 1024);
    await expect(
      (async () => {
        for await (const _line of lines) void _line;
      })(),
    ).rejects.toThrow(ImportTooLarge);
  });
});

/** gzip of `bytes` bytes of one line without an end, streamed (never held whole). */
async function gzipped(bytes: number): Promise<Buffer> {
  const block = Buffer.alloc(1024 * 1024, 'a');
  const chunks: Buffer[] = [];
  const zip = createGzip({ level: 9 });
  zip.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => zip.on('end', resolve));
  for (let sent = 0; sent < bytes; sent += block.length) {
    if (!zip.write(block)) await new Promise((resolve) => zip.once('drain', resolve));
  }
  zip.end();
  await done;
  return Buffer.concat(chunks);
}

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
