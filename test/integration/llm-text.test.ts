import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { RETURNED_MODEL, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';

const API_KEY = 'sk-test-DO-NOT-LEAK-1234567890';

let fake: FakeOpenAi;
let app: TestApp;
let cacheDir: string;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-llm-cache-'));
  app = await startTestApp({
    OPENAI_API_KEY: API_KEY,
    OPENAI_BASE_URL: fake.baseUrl,
    MOCKFORGE_CACHE_DIR: cacheDir,
    // Short enough for the slow-response fault; retries are the client's own.
    MOCKFORGE_LLM_TIMEOUT_MS: '1500',
    MOCKFORGE_LLM_MAX_RETRIES: '2',
  });
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake.reset();
  await app.gql(`mutation { clearCache }`);
});

const GENERATE = `mutation($input: GenerateScenarioInput!) {
  generateScenario(input: $input) {
    id status error fingerprint actualCostUsd rowCounts { products reviews }
    contract { name passed }
    textReport { provider model llmTexts fallbackTexts offlineTexts failedCalls budgetUsd skippedCalls
      calls { kind phase model inputTokens outputTokens costUsd cached items } }
  }
}`;

async function generate(input: Record<string, unknown>) {
  const res = await app.gql(GENERATE, { input });
  expectNoErrors(res);
  return res.data!.generateScenario;
}

const texts = (runId: string) =>
  app.db.dataSource.query(
    `SELECT title, text FROM reviews WHERE run_id = $1 AND source <> 'RAPIDAPI'
     UNION ALL SELECT title, description FROM products WHERE run_id = $1`,
    [runId],
  );

describe('openai mode against a fake OpenAI server', () => {
  it('writes products and reviews through the model, in few calls, with a ledger matching the server', async () => {
    const run = await generate({ scenario: 'A1', seed: 3, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.contract.every((c: any) => c.passed)).toBe(true);
    const report = run.textReport;
    expect(report).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      fallbackTexts: 0,
      failedCalls: 0,
    });
    expect(report.llmTexts).toBe(run.rowCounts.products + run.rowCounts.reviews);
    const chat = report.calls.filter((c: any) => c.kind === 'chat');
    const embeddings = report.calls.filter((c: any) => c.kind === 'embedding');
    expect(chat.length).toBeLessThanOrEqual(10);
    expect(chat.map((c: any) => c.phase)).toEqual(['products', ...Array(chat.length - 1).fill('reviews')]);
    // Embeddings: ceil(items / 100) calls per phase, covering every row.
    const [{ n: users }] = await app.db.dataSource.query(
      `SELECT count(*)::int AS n FROM users WHERE run_id = $1`,
      [run.id],
    );
    const inPhase = (phase: string) => embeddings.filter((c: any) => c.phase === phase);
    expect(inPhase('products')).toHaveLength(Math.ceil(run.rowCounts.products / 100));
    expect(inPhase('users')).toHaveLength(Math.ceil(users / 100));
    expect(inPhase('reviews')).toHaveLength(Math.ceil(run.rowCounts.reviews / 100));
    expect(embeddings.reduce((n: number, c: any) => n + c.items, 0)).toBe(
      run.rowCounts.products + users + run.rowCounts.reviews,
    );
    // The ledger is the server's own count, exactly.
    expect(chat.length).toBe(fake.stats.chatCalls);
    expect(embeddings.length).toBe(fake.stats.embeddingCalls);
    expect(chat.reduce((s: number, c: any) => s + c.inputTokens, 0)).toBe(fake.stats.promptTokens);
    expect(chat.reduce((s: number, c: any) => s + c.outputTokens, 0)).toBe(fake.stats.completionTokens);
    expect(embeddings.reduce((s: number, c: any) => s + c.inputTokens, 0)).toBe(fake.stats.embeddingTokens);
    expect(chat.every((c: any) => c.model === RETURNED_MODEL && !c.cached)).toBe(true);
    expect(embeddings.every((c: any) => c.model === 'text-embedding-3-small' && !c.cached)).toBe(true);
    // Priced at gpt-4o-mini rates ($0.15 / $0.60 per million tokens), embeddings at $0.02.
    const expected =
      (fake.stats.promptTokens * 0.15 +
        fake.stats.completionTokens * 0.6 +
        fake.stats.embeddingTokens * 0.02) /
      1e6;
    expect(Number(run.actualCostUsd)).toBeCloseTo(expected, 8);
    const stored = await texts(run.id);
    expect(stored.filter((t: any) => !/Written by the fake model/.test(t.text))).toEqual([]);
  });

  it('a cached re-run makes no call and reproduces the dataset and fingerprint', async () => {
    const first = await generate({ scenario: 'B1', seed: 4, asOf: '2026-11-01' });
    const callsBefore = fake.stats.chatCalls;
    const second = await generate({ scenario: 'B1', seed: 4, asOf: '2026-11-01' });
    expect(fake.stats.chatCalls).toBe(callsBefore);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.textReport.calls.every((c: any) => c.cached && c.costUsd === '0')).toBe(true);
    expect(second.actualCostUsd).toBe('0');
    const stats = await app.gql(`{ cacheStats { entries validEntries sizeBytes hits misses hitRate } }`);
    expect(stats.data!.cacheStats.entries).toBe(first.textReport.calls.length);
    expect(stats.data!.cacheStats.validEntries).toBe(stats.data!.cacheStats.entries);
    expect(stats.data!.cacheStats.hits).toBeGreaterThanOrEqual(second.textReport.calls.length);
    expect(stats.data!.cacheStats.sizeBytes).toBeGreaterThan(0);
  });

  it.each([
    [
      '429 with retry-after, retried by the client',
      { kind: 'status', status: 429, times: 2, retryAfterSeconds: 0 },
    ],
    ['500, retried by the client', { kind: 'status', status: 500, times: 2 }],
  ] as const)('%s', async (_name, fault) => {
    fake.fail(fault);
    const run = await generate({ scenario: 'C2', seed: 5, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.textReport).toMatchObject({ fallbackTexts: 0, failedCalls: 0 });
    expect(fake.stats.failedCalls).toBe(2);
  });

  it('a response slower than the timeout is retried, then the batch is repaired', async () => {
    fake.fail({ kind: 'slow', delayMs: 3000, times: 3 });
    const run = await generate({ scenario: 'C3', seed: 6, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.textReport.failedCalls).toBe(1);
    expect(run.textReport.fallbackTexts).toBe(0);
  });

  it.each([
    ['malformed JSON', 'malformed-json'],
    ['a wrong shape', 'wrong-shape'],
    ['too few items', 'too-few'],
    ['too many items', 'too-many'],
    ['out-of-range values', 'out-of-range'],
  ] as const)('%s once: repaired by a second call, nothing invalid stored', async (_name, kind) => {
    fake.fail({ kind, times: 1 });
    const run = await generate({ scenario: 'C4', seed: 7, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.textReport.fallbackTexts).toBe(0);
    expect(run.textReport.llmTexts).toBe(run.rowCounts.products + run.rowCounts.reviews);
    const stored = await texts(run.id);
    expect(
      stored.every(
        (t: any) => (t.text ?? t.description).length <= 1500 && !(t.text ?? '').startsWith('xxxx'),
      ),
    ).toBe(true);
    expect(stored.some((t: any) => (t.title ?? '').includes('not-asked-for'))).toBe(false);
  });

  it.each(['malformed-json', 'out-of-range', 'too-few'] as const)(
    'a model that keeps failing (%s) falls back to offline text; the run still meets its contract',
    async (kind) => {
      fake.fail({ kind, times: 1000 });
      const run = await generate({ scenario: 'A4', seed: 8, asOf: '2026-11-01' });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.contract.every((c: any) => c.passed)).toBe(true);
      expect(run.textReport.fallbackTexts).toBeGreaterThan(0);
      expect(run.textReport.fallbackTexts + run.textReport.llmTexts).toBe(
        run.rowCounts.products + run.rowCounts.reviews,
      );
      const stored = await texts(run.id);
      expect(stored.every((t: any) => (t.text ?? t.description).length <= 1500)).toBe(true);
    },
  );

  it('a server that is down falls back entirely and still succeeds', async () => {
    fake.fail({ kind: 'status', status: 500, times: 1000 });
    const run = await generate({ scenario: 'B2', seed: 9, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.textReport.llmTexts).toBe(0);
    expect(run.textReport.fallbackTexts).toBe(run.rowCounts.products + run.rowCounts.reviews);
    expect(run.textReport.failedCalls).toBeGreaterThan(0);
  });

  it('costEstimate predicts calls and tokens within ±25 % of what the run used', async () => {
    const input = { scenario: 'A2', seed: 11, asOf: '2026-11-01' };
    const estimate = await app.gql(
      `query($input: GenerateScenarioInput!) { costEstimate(input: $input) {
        provider model warnings priceSource { name version date }
        phases { phase calls items inputTokens outputTokensLow outputTokensHigh inputPerMillion outputPerMillion costLowUsd costHighUsd }
        totals { calls inputTokens costLowUsd costHighUsd }
        comparison { model costLowUsd costHighUsd } } }`,
      { input },
    );
    expectNoErrors(estimate);
    const e = estimate.data!.costEstimate;
    expect(e).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      warnings: [],
      priceSource: { name: '@pydantic/genai-prices' },
    });
    const run = await generate(input);
    for (const phase of e.phases) {
      const calls = run.textReport.calls.filter((c: any) => c.kind === 'chat' && c.phase === phase.phase);
      expect(calls).toHaveLength(phase.calls);
      const input = calls.reduce((n: number, c: any) => n + c.inputTokens, 0);
      const output = calls.reduce((n: number, c: any) => n + c.outputTokens, 0);
      expect(Math.abs(input - phase.inputTokens) / phase.inputTokens).toBeLessThanOrEqual(0.25);
      expect(output).toBeGreaterThanOrEqual(phase.outputTokensLow * 0.75);
      expect(output).toBeLessThanOrEqual(phase.outputTokensHigh * 1.25);
    }
    expect(e.phases.find((p: any) => p.phase === 'products')).toMatchObject({
      inputPerMillion: '0.15',
      outputPerMillion: '0.6',
    });
    const costs = Object.fromEntries(e.comparison.map((c: any) => [c.model, Number(c.costHighUsd)]));
    expect(costs['gpt-4o'] / costs['gpt-4o-mini']).toBeGreaterThan(10);
    expect(costs['gpt-4-turbo']).toBeGreaterThan(costs['gpt-4o']);
    expect(Number(run.actualCostUsd)).toBeGreaterThanOrEqual(Number(e.totals.costLowUsd) * 0.75);
    expect(Number(run.actualCostUsd)).toBeLessThanOrEqual(Number(e.totals.costHighUsd) * 1.25);
  });

  it('costEstimate refuses bad input like generateScenario', async () => {
    const res = await app.gql(
      `query { costEstimate(input: { scenario: A1, mainUser: { age: 500 } }) { totals { calls } } }`,
    );
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.mainUser.age' });
  });

  it('maxCostUsd: the run never spends more than its budget; what does not fit is written offline', async () => {
    const capped = await generate({ scenario: 'A1', seed: 12, asOf: '2026-11-01', maxCostUsd: '0.0015' });
    expect(capped.status).toBe('SUCCEEDED');
    expect(capped.textReport.budgetUsd).toBe('0.0015');
    expect(Number(capped.actualCostUsd)).toBeLessThanOrEqual(0.0015);
    expect(capped.textReport.llmTexts + capped.textReport.fallbackTexts).toBe(
      capped.rowCounts.products + capped.rowCounts.reviews,
    );

    fake.reset();
    const free = await generate({ scenario: 'B1', seed: 12, asOf: '2026-11-01', maxCostUsd: '0' });
    expect(free.status).toBe('SUCCEEDED');
    expect(fake.stats.chatCalls).toBe(0);
    expect(fake.stats.embeddingCalls).toBe(0);
    expect(free.textReport).toMatchObject({ llmTexts: 0, calls: [] });
    expect(free.textReport.skippedCalls).toBeGreaterThan(0);
    expect(free.actualCostUsd).toBe('0');

    const bad = await app.gql(GENERATE, { input: { scenario: 'A1', maxCostUsd: '-1' } });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.maxCostUsd' });
  });

  it('an embeddings server that keeps failing fails the run cleanly: FAILED, no rows kept', async () => {
    fake.fail({ kind: 'status', status: 500, times: 1000 }, 'embeddings');
    const run = await generate({ scenario: 'C2', seed: 13, asOf: '2026-11-01' });
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/Generation failed/);
    expect(run.error).not.toContain(API_KEY);
    const [{ n }] = await app.db.dataSource.query(
      `SELECT count(*)::int AS n FROM products WHERE run_id = $1`,
      [run.id],
    );
    expect(n).toBe(0);
  });

  it('never shows the API key in responses, errors or the run record', async () => {
    const run = await generate({ scenario: 'C1', seed: 10, asOf: '2026-11-01' });
    const res = await app.gql(
      `query($id: ID!) { run(id: $id) { input error textReport { provider calls { model } } } }`,
      { id: run.id },
    );
    expect(JSON.stringify(res)).not.toContain(API_KEY);
    const [row] = await app.db.dataSource.query(
      `SELECT row_to_json(g)::text AS json FROM generation_runs g WHERE id = $1`,
      [run.id],
    );
    expect(row.json).not.toContain(API_KEY);
    // The key did go to the model server, as a bearer token.
    expect(fake.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.stringify(app.maskedErrors)).not.toContain(API_KEY);
  });
});
