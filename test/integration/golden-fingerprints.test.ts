import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GenerationRun } from '../../entities';
import { RunKind } from '../../entities/enums';
import { SCENARIOS } from '../../generators/ecommerce/scenarios';
import { loadConfig } from '../../src/config';
import { createLlmServices } from '../../src/llm';
import { runDashboard } from '../../src/runs/dashboard-run';
import { resolveDashboardRequest } from '../../src/pipeline/dashboard/dashboard-request';
import { generatorVersion } from '../../src/pipeline/generator-version';
import { resolveScenarioRequest } from '../../src/pipeline/scenario/scenario-request';
import { runScenario } from '../../src/runs/scenario-run';
import { storedFingerprint, storedTableDigests } from '../../src/pipeline/stored-fingerprint';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Golden fingerprints: what fixed inputs store is pinned per generator version — every scenario
 * with its defaults (embeddings included) and a few other seeds and dates, the default dashboard
 * and one scenario whose text and vectors come from a model (the fake OpenAI server of test/,
 * through the real client) — as fingerprints of the stored rows, on whichever database the suite
 * runs (the embedded one and the real Postgres must both give exactly these), and beside them each
 * table's digest (so a failure names the tables that moved; the model run's include its pipeline
 * cost records, what it was billed). Changing what the generators produce without bumping the
 * version (src/pipeline/generator-version.ts) fails here; after a deliberate change, bump the
 * version and record it with `UPDATE_GOLDEN=1 npm test -- golden`, which adds the new version's
 * entries and refuses to rewrite a version already recorded.
 */
const FILE = path.join(__dirname, 'golden-fingerprints.json');
const TABLES_FILE = path.join(__dirname, 'golden-tables.json');

const INPUTS: [string, number, string][] = [
  ...SCENARIOS.map((s): [string, number, string] => [s.id, 42, '2026-11-01']),
  ['B3', 7, '2026-06-30'],
  ['C4', 1, '2025-01-15'],
];
const LLM_INPUT = 'B2/3/2026-11-01 (fake model)';

let app: TestApp;
let fake: FakeOpenAi;
let cacheDir: string;
beforeAll(async () => {
  app = await startTestApp();
  fake = await startFakeOpenAi();
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-golden-cache-'));
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

/** version → input → what is pinned (a fingerprint, or each table's digest). */
type Golden<T> = Record<string, Record<string, T>>;

function scenarioRequest(scenario: string, seed: number, asOf: string) {
  return resolveScenarioRequest({ scenario, seed, asOf: new Date(`${asOf}T00:00:00Z`) } as never, new Date());
}

/**
 * What `file` pins. With UPDATE_GOLDEN=1 it first adds the entries `actual` has and the file lacks
 * (a new version's, or an input newly pinned) — never rewriting an entry already recorded.
 */
function pinned<T>(file: string, actual: Golden<T>): Golden<T> {
  const golden: Golden<T> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  if (process.env.UPDATE_GOLDEN === '1') {
    let added = 0;
    for (const [version, byInput] of Object.entries(actual)) {
      for (const [input, value] of Object.entries(byInput)) {
        if (golden[version]?.[input] !== undefined) continue;
        (golden[version] ??= {})[input] = value;
        added++;
      }
    }
    if (added) fs.writeFileSync(file, `${JSON.stringify(golden, null, 2)}\n`);
  }
  for (const [version, byInput] of Object.entries(actual)) {
    const missing = Object.keys(byInput).filter((input) => golden[version]?.[input] === undefined);
    if (missing.length) {
      throw new Error(
        `No golden entries for ${version}: ${missing.join(', ')} in ${path.basename(file)}: record them with UPDATE_GOLDEN=1 npm test -- golden`,
      );
    }
  }
  return golden;
}

const CHANGED =
  'If the change is deliberate, bump the generator version in src/pipeline/generator-version.ts and record ' +
  'new entries (UPDATE_GOLDEN=1); otherwise generation is no longer deterministic (or the databases disagree).';

it('the pinned inputs store the data recorded for this generator version, table by table', async () => {
  const offline = createLlmServices(app.config.llm);
  const fingerprints: Golden<string> = {};
  const tables: Golden<Record<string, string>> = {};
  const record = async (version: string, input: string, run: GenerationRun, billing = false) => {
    expect(run.status).toBe('SUCCEEDED');
    (fingerprints[version] ??= {})[input] = run.fingerprint!;
    (tables[version] ??= {})[input] = await storedTableDigests(app.db.dataSource, run.id, run.kind, {
      billing,
    });
  };
  const scenarioVersion = generatorVersion('scenario');
  for (const [scenario, seed, asOf] of INPUTS) {
    const run = await runScenario({ db: app.db, llm: offline }, scenarioRequest(scenario, seed, asOf));
    await record(scenarioVersion, `${scenario}/${seed}/${asOf}`, run);
  }
  const dashboard = await runDashboard(
    app.db,
    resolveDashboardRequest({ asOf: new Date('2026-11-01T00:00:00Z') }, new Date()),
  );
  await record(generatorVersion('dashboard'), 'default (seed 12345, 2026-11-01)', dashboard);
  // A fresh answer cache: every call reaches the fake model, so the billed rows are pinned too.
  const model = createLlmServices(
    loadConfig({
      OPENAI_API_KEY: 'sk-test-golden',
      OPENAI_BASE_URL: fake.baseUrl,
      MOCKFORGE_CACHE_DIR: cacheDir,
      MOCKFORGE_DATA_DIR: 'memory://',
    }).llm,
  );
  const llmRun = await runScenario({ db: app.db, llm: model }, scenarioRequest('B2', 3, '2026-11-01'));
  expect(llmRun.textReport?.llmTexts).toBeGreaterThan(0);
  await record(scenarioVersion, LLM_INPUT, llmRun, true);

  const goldenFingerprints = pinned(FILE, fingerprints);
  const goldenTables = pinned(TABLES_FILE, tables);
  for (const [version, byInput] of Object.entries(fingerprints)) {
    expect(Object.keys(goldenFingerprints[version]).sort()).toEqual(Object.keys(byInput).sort());
    for (const [input, fingerprint] of Object.entries(byInput)) {
      const moved = Object.entries(tables[version][input])
        .filter(([table, digest]) => goldenTables[version]?.[input]?.[table] !== digest)
        .map(([table]) => table);
      if (goldenFingerprints[version][input] !== fingerprint || moved.length) {
        throw new Error(
          `${input} stores different data under ${version} than was recorded (tables: ${moved.join(', ') || 'none'}). ${CHANGED}`,
        );
      }
      expect(Object.keys(goldenTables[version][input]).sort()).toEqual(
        Object.keys(tables[version][input]).sort(),
      );
    }
  }
});

it('a fingerprint is the stored rows’: any value or vector changes it, the session’s time zone does not', async () => {
  const llm = createLlmServices(app.config.llm);
  const run = await runScenario(
    { db: app.db, llm },
    resolveScenarioRequest(
      { scenario: 'A2', seed: 5, asOf: new Date('2026-11-01T00:00:00Z') } as never,
      new Date(),
    ),
  );
  const of = () => storedFingerprint(app.db.dataSource, run.id, RunKind.SCENARIO);
  expect(await of()).toBe(run.fingerprint);
  const tokyo = await app.db.dataSource.transaction(async (m) => {
    await m.query(`SET LOCAL TimeZone = 'Asia/Tokyo'`);
    await m.query(`SET LOCAL DateStyle = 'German'`);
    return storedFingerprint(m, run.id, RunKind.SCENARIO);
  });
  expect(tokyo).toBe(run.fingerprint);
  const [{ id }] = await app.db.dataSource.query(
    `SELECT review_id AS id FROM review_embeddings WHERE run_id = $1 LIMIT 1`,
    [run.id],
  );
  const edits: [string, string][] = [
    [
      `UPDATE review_embeddings SET model = model || 'x' WHERE run_id = $1 AND review_id = '${id}'`,
      `UPDATE review_embeddings SET model = left(model, -1) WHERE run_id = $1 AND review_id = '${id}'`,
    ],
    [
      `UPDATE transactions SET order_date = order_date + interval '1 microsecond' WHERE run_id = $1 AND id = (SELECT id FROM transactions WHERE run_id = $1 ORDER BY id LIMIT 1)`,
      `UPDATE transactions SET order_date = order_date - interval '1 microsecond' WHERE run_id = $1 AND id = (SELECT id FROM transactions WHERE run_id = $1 ORDER BY id LIMIT 1)`,
    ],
    [
      `UPDATE products SET title = title || ' ' WHERE run_id = $1 AND id = (SELECT id FROM products WHERE run_id = $1 ORDER BY id LIMIT 1)`,
      `UPDATE products SET title = rtrim(title) WHERE run_id = $1 AND id = (SELECT id FROM products WHERE run_id = $1 ORDER BY id LIMIT 1)`,
    ],
  ];
  // A vector: another review's in its place, then its own back.
  const [{ vector }] = await app.db.dataSource.query(
    `SELECT embedding::text AS vector FROM review_embeddings WHERE run_id = $1 AND review_id = $2`,
    [run.id, id],
  );
  const cast = app.db.vectorStorage === 'pgvector' ? 'vector' : 'real[]';
  await app.db.dataSource.query(
    `UPDATE review_embeddings SET embedding = (SELECT embedding FROM review_embeddings WHERE run_id = $1 AND review_id <> $2 LIMIT 1)
      WHERE run_id = $1 AND review_id = $2`,
    [run.id, id],
  );
  expect(await of()).not.toBe(run.fingerprint);
  await app.db.dataSource.query(
    `UPDATE review_embeddings SET embedding = $3::${cast} WHERE run_id = $1 AND review_id = $2`,
    [run.id, id, vector],
  );
  expect(await of()).toBe(run.fingerprint);
  for (const [change, undo] of edits) {
    await app.db.dataSource.query(change, [run.id]);
    expect(await of()).not.toBe(run.fingerprint);
    await app.db.dataSource.query(undo, [run.id]);
    expect(await of()).toBe(run.fingerprint);
  }
});
