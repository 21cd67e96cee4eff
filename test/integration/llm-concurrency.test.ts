import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';

/**
 * Concurrent LLM calls: the same dataset, ledger and budget decisions whether calls go one at a
 * time or four at once, and whatever order the answers arrive in.
 */
let fake: FakeOpenAi;
let concurrent: TestApp;
let sequential: TestApp;
const cacheDirs: string[] = [];

function llmEnv(concurrency: number): Record<string, string> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-llm-cache-'));
  cacheDirs.push(cacheDir);
  return {
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: fake.baseUrl,
    MOCKFORGE_CACHE_DIR: cacheDir,
    MOCKFORGE_LLM_CONCURRENCY: String(concurrency),
    // Small review batches: many calls per run, so answers really can overtake each other.
    MOCKFORGE_LLM_REVIEW_BATCH: '10',
    MOCKFORGE_EMBEDDING_BATCH: '20',
  };
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
  concurrent = await startTestApp(llmEnv(4));
  sequential = await startTestApp(llmEnv(1));
});
afterAll(async () => {
  await concurrent?.close();
  await sequential?.close();
  await fake?.close();
  for (const dir of cacheDirs) fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  await concurrent.gql(`mutation { clearCache }`);
  await sequential.gql(`mutation { clearCache }`);
});

const GENERATE = `mutation($input: GenerateScenarioInput!) {
  generateScenario(input: $input) {
    id status fingerprint actualCostUsd
    textReport { llmTexts fallbackTexts failedCalls skippedCalls budgetUsd breakerReason
      calls { kind phase model inputTokens outputTokens costUsd cached items } }
  }
}`;

async function generate(app: TestApp, input: Record<string, unknown>) {
  const res = await app.gql(GENERATE, { input });
  expectNoErrors(res);
  const run = res.data!.generateScenario;
  expect(run.status).toBe('SUCCEEDED');
  return run;
}

/** Every 4 requests in a row finish in reverse order of arrival. */
const reversing = (_body: unknown, n: number) => (3 - ((n - 1) % 4)) * 60;

describe('concurrent LLM calls', () => {
  it('the same rows, texts and ledger with 1 or 4 calls in flight, whatever order answers arrive in', async () => {
    const input = { scenario: 'B3', seed: 21, asOf: '2026-11-01' };
    const inOrder = await generate(sequential, input);
    expect(fake.stats.maxInFlight).toBe(1);

    fake.reset();
    fake.latency(reversing);
    const scrambled = await generate(concurrent, input);
    // Calls really overlapped (and never more than the limit).
    expect(fake.stats.maxInFlight).toBeGreaterThan(1);
    expect(fake.stats.maxInFlight).toBeLessThanOrEqual(4);

    expect(scrambled.fingerprint).toBe(inOrder.fingerprint);
    expect(scrambled.textReport).toEqual(inOrder.textReport);
    expect(scrambled.textReport.llmTexts).toBeGreaterThan(0);
    const texts = (app: TestApp, runId: string) =>
      app.db.dataSource.query(
        `SELECT id, title, text FROM reviews WHERE run_id = $1
         UNION ALL SELECT id, title, description FROM products WHERE run_id = $1
         UNION ALL SELECT id, name, persona FROM users WHERE run_id = $1 ORDER BY id`,
        [runId],
      );
    expect(await texts(concurrent, scrambled.id)).toEqual(await texts(sequential, inOrder.id));
  });

  it('a budget is never overspent by concurrent calls, and decides exactly as calls one at a time would', async () => {
    // Tight enough that some calls must be skipped (and the vectors offline: text comes first);
    // delays keep several calls in flight.
    const input = { scenario: 'A1', seed: 22, asOf: '2026-11-01', maxCostUsd: '0.012' };
    fake.latency(reversing);
    const overlapped = await generate(concurrent, input);
    expect(fake.stats.maxInFlight).toBeGreaterThan(1);
    expect(Number(overlapped.actualCostUsd)).toBeLessThanOrEqual(0.012);
    expect(overlapped.textReport.skippedCalls).toBeGreaterThan(0);
    expect(overlapped.textReport.llmTexts).toBeGreaterThan(0);

    fake.reset();
    const oneByOne = await generate(sequential, input);
    expect(oneByOne.fingerprint).toBe(overlapped.fingerprint);
    expect(oneByOne.textReport).toEqual(overlapped.textReport);
    expect(oneByOne.actualCostUsd).toBe(overlapped.actualCostUsd);
  });

  it('what reserved calls did not need goes to later calls: most of a budget is used', async () => {
    const input = { scenario: 'A1', seed: 23, asOf: '2026-11-01', maxCostUsd: '0.0085' };
    fake.latency(reversing);
    const run = await generate(concurrent, input);
    expect(run.textReport.skippedCalls).toBeGreaterThan(0);
    expect(Number(run.actualCostUsd)).toBeLessThanOrEqual(0.0085);
    // Each call reserves its worst case (full output allowance) but pays for what it used; with
    // the difference given back, skipped calls are only those that could not fit at the end.
    expect(Number(run.actualCostUsd)).toBeGreaterThan(0.0085 * 0.9);
  });
});
