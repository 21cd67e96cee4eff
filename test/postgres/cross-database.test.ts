import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/data-source';
import { createLlmServices } from '../../src/llm';
import { runScenario } from '../../src/runs/scenario-run';
import { resolveScenarioRequest } from '../../src/pipeline/scenario/scenario-request';
import type { GenerateScenarioInput } from '../../resolvers/types/generate-scenario.input';
import { startTestApp, type TestApp } from '../helpers/test-app';

// The suite's database (the real Postgres in CI's second pass) against a fresh embedded one.
let app: TestApp;
let embedded: Database;

beforeAll(async () => {
  app = await startTestApp();
  // The real Postgres, never an embedded stand-in (require-postgres makes DATABASE_URL a must).
  expect(app.db.mode).toBe('postgres');
  embedded = await openDatabase({ ...loadConfig({}), databaseUrl: null, dataDir: 'memory://' });
});
afterAll(async () => {
  await app?.close();
  await embedded?.close();
});

const TABLES = ['products', 'users', 'transactions', 'reviews', 'members', 'agents'];

/** Every row of a run as plain JSON (without the run id), ordered by id. */
async function dump(db: Database, runId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows: Record<string, unknown>[] = await db.dataSource.query(
      `SELECT * FROM ${table} WHERE run_id = $1 ORDER BY id`,
      [runId],
    );
    out[table] = rows.map(({ run_id: _runId, ...rest }) => JSON.parse(JSON.stringify(rest)));
  }
  return out;
}

describe('the same input gives identical rows and ids on both databases', () => {
  it.each(['A1', 'B3', 'C1'])('%s', async (scenario) => {
    const input = { scenario, seed: 31, asOf: new Date('2026-06-30T00:00:00Z') } as GenerateScenarioInput;
    const llm = createLlmServices(loadConfig({}).llm);
    const request = () => resolveScenarioRequest(input, new Date('2026-06-30T12:00:00Z'));
    const a = await runScenario({ db: app.db, llm }, request());
    const b = await runScenario({ db: embedded, llm }, request());
    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(a.fingerprint).toBe(b.fingerprint);
    const left = await dump(app.db, a.id);
    const right = await dump(embedded, b.id);
    for (const table of TABLES) expect(left[table].length).toBeGreaterThan(0);
    expect(left).toEqual(right);
  });
});
