import fs from 'node:fs';
import path from 'node:path';
import { RunKind } from '../../entities/enums';
import { SCENARIOS } from '../../generators/ecommerce/scenarios';
import { createLlmServices } from '../../src/llm';
import { runDashboard } from '../../src/pipeline/dashboard-pipeline';
import { resolveDashboardRequest } from '../../src/pipeline/dashboard-request';
import { generatorVersion } from '../../src/pipeline/generator-version';
import { resolveScenarioRequest } from '../../src/pipeline/scenario-request';
import { runScenario } from '../../src/pipeline/scenario-run';
import { storedFingerprint } from '../../src/pipeline/stored-fingerprint';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Golden fingerprints: what fixed inputs store is pinned per generator version — every scenario
 * with its defaults (embeddings included) and a few other seeds and dates, and the default
 * dashboard — as fingerprints of the stored rows, on whichever database the suite runs (the
 * embedded one and the real Postgres must both give exactly these). Changing what the generators
 * produce without bumping the version (src/pipeline/generator-version.ts) fails here; after a
 * deliberate change, bump the version and record it with `UPDATE_GOLDEN=1 npm test -- golden`,
 * which adds the new version's fingerprints and never rewrites a version already recorded.
 */
const FILE = path.join(__dirname, 'golden-fingerprints.json');

const INPUTS: [string, number, string][] = [
  ...SCENARIOS.map((s): [string, number, string] => [s.id, 42, '2026-11-01']),
  ['B3', 7, '2026-06-30'],
  ['C4', 1, '2025-01-15'],
];

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

type Golden = Record<string, Record<string, string>>;

it('the pinned inputs store the data recorded for this generator version', async () => {
  const llm = createLlmServices(app.config.llm);
  const scenarios: Record<string, string> = {};
  for (const [scenario, seed, asOf] of INPUTS) {
    const request = resolveScenarioRequest(
      { scenario, seed, asOf: new Date(`${asOf}T00:00:00Z`) } as never,
      new Date(),
    );
    const run = await runScenario({ db: app.db, llm }, request);
    expect(run.status).toBe('SUCCEEDED');
    scenarios[`${scenario}/${seed}/${asOf}`] = run.fingerprint!;
  }
  const dashboard = await runDashboard(
    app.db,
    resolveDashboardRequest({ asOf: new Date('2026-11-01T00:00:00Z') }, new Date()),
  );
  expect(dashboard.status).toBe('SUCCEEDED');
  const actual: Golden = {
    [generatorVersion('scenario')]: scenarios,
    [generatorVersion('dashboard')]: { 'default (seed 12345, 2026-11-01)': dashboard.fingerprint! },
  };

  const golden: Golden = fs.existsSync(FILE) ? JSON.parse(fs.readFileSync(FILE, 'utf8')) : {};
  if (process.env.UPDATE_GOLDEN === '1') {
    const added = Object.entries(actual).filter(([version]) => !golden[version]);
    if (added.length)
      fs.writeFileSync(FILE, `${JSON.stringify({ ...golden, ...Object.fromEntries(added) }, null, 2)}\n`);
    Object.assign(golden, Object.fromEntries(added));
  }
  for (const [version, fingerprints] of Object.entries(actual)) {
    const pinned = golden[version];
    if (!pinned) {
      throw new Error(
        `No golden fingerprints for ${version}: record them with UPDATE_GOLDEN=1 npm test -- golden`,
      );
    }
    expect(Object.keys(pinned).sort()).toEqual(Object.keys(fingerprints).sort());
    for (const [input, fingerprint] of Object.entries(fingerprints)) {
      if (pinned[input] !== fingerprint) {
        throw new Error(
          `${input} stores different data under ${version} than was recorded. If the change is deliberate, bump the ` +
            'generator version in src/pipeline/generator-version.ts and record new fingerprints (UPDATE_GOLDEN=1); ' +
            'otherwise generation is no longer deterministic (or the databases disagree).',
        );
      }
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
