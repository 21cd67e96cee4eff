import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appDigests, RUN_TABLES } from '../helpers/run-digest';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';

/** The scenario's world: what a cached replay must reproduce (the pipeline's cost records differ). */
const WORLD_TABLES = RUN_TABLES.filter(([t]) =>
  [
    'products',
    'users',
    'transactions',
    'reviews',
    'product_embeddings',
    'user_embeddings',
    'review_embeddings',
  ].includes(t),
);
import { outputAllowance, PERSONA_TASK, PRODUCT_TASK } from '../../src/llm/tasks';
import { RETURNED_MODEL, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { nonEmpty } from '../helpers/non-empty';

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
    id status error fingerprint actualCostUsd rowCounts { products users reviews members agents costRecords }
    costEstimate { totals { calls } }
    costByPhase { phase kind estimatedCalls calls cachedCalls skippedCalls estimatedInputTokens inputTokens estimatedOutputTokensLow estimatedOutputTokensHigh outputTokens costUsd }
    contract { name passed }
    textReport { provider model llmTexts fallbackTexts offlineTexts failedCalls budgetUsd skippedCalls breakerReason breakerSkippedCalls refusedTexts { reason count }
      embeddings { model offlineReason }
      calls { kind phase model inputTokens outputTokens costUsd cached items outcome } }
  }
}`;

async function generate(input: Record<string, unknown>) {
  const res = await app.gql(GENERATE, { input });
  expectNoErrors(res);
  return res.data!.generateScenario;
}

/** Texts the writer was asked for: every product, shopper (persona) and review (none come from the client here). */
const textCount = (run: any) => run.rowCounts.products + run.rowCounts.users + run.rowCounts.reviews;

const texts = (runId: string) =>
  app.db.dataSource.query(
    `SELECT title, text FROM reviews WHERE run_id = $1 AND source <> 'RAPIDAPI'
     UNION ALL SELECT title, description FROM products WHERE run_id = $1
     UNION ALL SELECT name, persona FROM users WHERE run_id = $1`,
    [runId],
  );

describe('openai mode against a fake OpenAI server', () => {
  it('writes products and reviews through the model, in few calls, with a ledger matching the server', async () => {
    const run = await generate({ scenario: 'A1', seed: 3, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(nonEmpty(run.contract).every((c: any) => c.passed)).toBe(true);
    const report = run.textReport;
    expect(report).toMatchObject({
      provider: 'OPENAI',
      model: 'gpt-4o-mini',
      fallbackTexts: 0,
      failedCalls: 0,
    });
    expect(report.llmTexts).toBe(textCount(run));
    const chat = report.calls.filter((c: any) => c.kind === 'CHAT');
    const embeddings = report.calls.filter((c: any) => c.kind === 'EMBEDDING');
    expect(chat.length).toBeLessThanOrEqual(12);
    // One call for the products, one per 50 shoppers' personas, then the reviews.
    const [{ n: users }] = await app.db.dataSource.query(
      `SELECT count(*)::int AS n FROM users WHERE run_id = $1`,
      [run.id],
    );
    const personaCalls = Math.ceil(users / 50);
    expect(chat.map((c: any) => c.phase)).toEqual([
      'PRODUCTS',
      ...Array(personaCalls).fill('USERS'),
      ...Array(chat.length - 1 - personaCalls).fill('REVIEWS'),
    ]);
    // Embeddings: ceil(items / 100) calls per phase, covering every row.
    const inPhase = (phase: string) => embeddings.filter((c: any) => c.phase === phase);
    expect(inPhase('PRODUCTS')).toHaveLength(Math.ceil(run.rowCounts.products / 100));
    expect(inPhase('USERS')).toHaveLength(Math.ceil(users / 100));
    expect(inPhase('REVIEWS')).toHaveLength(Math.ceil(run.rowCounts.reviews / 100));
    expect(embeddings.reduce((n: number, c: any) => n + c.items, 0)).toBe(
      run.rowCounts.products + users + run.rowCounts.reviews,
    );
    // The ledger is the server's own count, exactly.
    expect(chat.length).toBe(fake.stats.chatCalls);
    expect(embeddings.length).toBe(fake.stats.embeddingCalls);
    expect(chat.reduce((s: number, c: any) => s + c.inputTokens, 0)).toBe(fake.stats.promptTokens);
    expect(chat.reduce((s: number, c: any) => s + c.outputTokens, 0)).toBe(fake.stats.completionTokens);
    expect(embeddings.reduce((s: number, c: any) => s + c.inputTokens, 0)).toBe(fake.stats.embeddingTokens);
    expect(nonEmpty(chat).every((c: any) => c.model === RETURNED_MODEL && !c.cached)).toBe(true);
    expect(nonEmpty(embeddings).every((c: any) => c.model === 'text-embedding-3-small' && !c.cached)).toBe(
      true,
    );
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

  it('records the run’s usage as CostRecords of the pipeline’s four agents, matching the server exactly', async () => {
    const run = await generate({ scenario: 'A3', seed: 14, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.rowCounts).toMatchObject({ members: 1, agents: 4 });
    const res = await app.gql(
      `query($r: ID!) {
        agents(filter: { runId: $r }) { nodes { id name model config { temperature maxTokens } } }
        byAgent: costSummary(runId: $r, groupBy: AGENT) { groups { key label records inputTokens outputTokens totalCost } }
        byModel: costSummary(runId: $r, groupBy: MODEL) { groups { key inputTokens outputTokens totalCost } totals { records totalCost } }
      }`,
      { r: run.id },
    );
    expectNoErrors(res);
    const { agents, byAgent, byModel } = res.data!;
    expect(agents.nodes.map((a: any) => [a.name, a.model]).sort()).toEqual([
      ['MOCK_PDT_MINI_AGENT', 'gpt-4o-mini'],
      ['MOCK_RVW_MINI_AGENT', 'gpt-4o-mini'],
      ['MOCK_TRX_MINI_AGENT', 'rules'],
      ['MOCK_USR_MINI_AGENT', 'gpt-4o-mini'],
    ]);
    // Each agent's output cap is that of its largest call: all products at once, ≤ 50 personas.
    const cap = (name: string) => agents.nodes.find((a: any) => a.name === name).config.maxTokens;
    expect(cap('MOCK_PDT_MINI_AGENT')).toBe(outputAllowance(PRODUCT_TASK, run.rowCounts.products));
    expect(cap('MOCK_USR_MINI_AGENT')).toBe(outputAllowance(PERSONA_TASK, Math.min(50, run.rowCounts.users)));
    expect(cap('MOCK_TRX_MINI_AGENT')).toBe(0);
    // Per model: exactly the tokens the server billed.
    const model = (name: string) => byModel.groups.find((g: any) => g.key === name);
    expect(model(RETURNED_MODEL)).toMatchObject({
      inputTokens: fake.stats.promptTokens,
      outputTokens: fake.stats.completionTokens,
    });
    expect(model('text-embedding-3-small')).toMatchObject({
      inputTokens: fake.stats.embeddingTokens,
      outputTokens: 0,
    });
    expect(byModel.totals.records).toBe(run.rowCounts.costRecords);
    // Per agent: the ledger's calls of its phase (chat and embeddings); the rule-based agent has none.
    for (const [name, phase] of [
      ['MOCK_PDT_MINI_AGENT', 'PRODUCTS'],
      ['MOCK_USR_MINI_AGENT', 'USERS'],
      ['MOCK_RVW_MINI_AGENT', 'REVIEWS'],
    ]) {
      const calls = run.textReport.calls.filter((c: any) => c.phase === phase);
      expect(calls.length).toBeGreaterThan(0);
      expect(byAgent.groups.find((g: any) => g.label === name)).toMatchObject({
        records: 2,
        inputTokens: calls.reduce((n: number, c: any) => n + c.inputTokens, 0),
        outputTokens: calls.reduce((n: number, c: any) => n + c.outputTokens, 0),
      });
    }
    expect(byAgent.groups.find((g: any) => g.label === 'MOCK_TRX_MINI_AGENT')).toBeUndefined();
    // Stored at 6 decimals, each record rounded up: within a millionth of a dollar per record.
    const diff = Number(byModel.totals.totalCost) - Number(run.actualCostUsd);
    expect(diff).toBeGreaterThanOrEqual(0);
    expect(diff).toBeLessThanOrEqual(run.rowCounts.costRecords * 1e-6);
  });

  it('writes shopper personas in calls of at most 50 users, from the facts the generators decided', async () => {
    const run = await generate({
      scenario: 'C1',
      seed: 15,
      asOf: '2026-11-01',
      overrides: { mockUsers: 120 },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.rowCounts.users).toBe(121);
    const persona = run.textReport.calls.filter((c: any) => c.kind === 'CHAT' && c.phase === 'USERS');
    expect(persona.map((c: any) => c.items)).toEqual([50, 50, 21]);
    const users = await app.db.dataSource.query(`SELECT name, age, persona FROM users WHERE run_id = $1`, [
      run.id,
    ]);
    expect(nonEmpty(users).every((u: any) => u.persona.startsWith('Written by the fake model'))).toBe(true);
    // Each prompt names the shoppers' facts the generators decided.
    const prompts = fake.requests
      .filter((r) => r.body.response_format?.json_schema?.name === 'shopper_personas')
      .map((r) => r.body.messages[1].content as string);
    expect(prompts).toHaveLength(3);
    expect(prompts.join('\n')).toContain(`"age":${users[5].age}`);
  });

  it('a cached re-run makes no call and reproduces the dataset and fingerprint', async () => {
    const first = await generate({ scenario: 'B1', seed: 4, asOf: '2026-11-01' });
    const callsBefore = fake.stats.chatCalls;
    const second = await generate({ scenario: 'B1', seed: 4, asOf: '2026-11-01' });
    expect(fake.stats.chatCalls).toBe(callsBefore);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(nonEmpty(second.textReport.calls).every((c: any) => c.cached && c.costUsd === '0')).toBe(true);
    expect(second.actualCostUsd).toBe('0');
    // Nothing was billed, so the cached run has its agents but no cost records.
    expect(second.rowCounts).toMatchObject({ agents: 4, costRecords: 0 });
    expect(first.rowCounts.costRecords).toBe(6);
    const stats = await app.gql(`{ cacheStats { entries validEntries sizeBytes hits misses hitRate } }`);
    expect(stats.data!.cacheStats.entries).toBe(first.textReport.calls.length);
    expect(stats.data!.cacheStats.validEntries).toBe(stats.data!.cacheStats.entries);
    expect(stats.data!.cacheStats.hits).toBeGreaterThanOrEqual(second.textReport.calls.length);
    expect(stats.data!.cacheStats.sizeBytes).toBeGreaterThan(0);
  });

  it.each([
    ['429 with retry-after, retried', { kind: 'status', status: 429, times: 2, retryAfterSeconds: 0 }],
    ['500, retried', { kind: 'status', status: 500, times: 2 }],
  ] as const)('%s', async (_name, fault) => {
    fake.fail(fault);
    const run = await generate({ scenario: 'C2', seed: 5, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.textReport).toMatchObject({ fallbackTexts: 0, failedCalls: 0 });
    expect(fake.stats.failedCalls).toBe(2);
  });

  it('a response slower than the timeout is retried; the texts still come from the model', async () => {
    fake.fail({ kind: 'slow', delayMs: 3000, times: 2 });
    const run = await generate({ scenario: 'C3', seed: 6, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(fake.stats.failedCalls).toBe(2);
    expect(run.textReport).toMatchObject({ failedCalls: 0, fallbackTexts: 0, breakerReason: null });
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
    expect(run.textReport.llmTexts).toBe(textCount(run));
    const stored = await texts(run.id);
    expect(
      nonEmpty(stored).every(
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
      expect(nonEmpty(run.contract).every((c: any) => c.passed)).toBe(true);
      expect(run.textReport.fallbackTexts).toBeGreaterThan(0);
      expect(run.textReport.fallbackTexts + run.textReport.llmTexts).toBe(textCount(run));
      const stored = await texts(run.id);
      expect(nonEmpty(stored).every((t: any) => (t.text ?? t.description).length <= 1500)).toBe(true);
    },
  );

  it.each([
    ['off-topic texts (a banana-bread recipe as a review)', 'off-topic', 'OFF_TOPIC', /bananas/],
    ['texts in another language (German, Chinese)', 'wrong-language', 'LANGUAGE', /wirklich|非常/],
    [
      'texts whose sentiment is the opposite of the stars',
      'opposite-sentiment',
      'SENTIMENT',
      /total waste|best purchase I made/,
    ],
    ['texts cut off mid-sentence', 'cut-off', 'UNFINISHED', / and the$/],
  ] as const)('%s are refused, never stored as model text', async (_name, kind, reason, marker) => {
    fake.fail({ kind, times: 1000 });
    const run = await generate({ scenario: 'B3', seed: 17, asOf: '2026-11-01', embeddings: false });
    expect(run.status).toBe('SUCCEEDED');
    expect(nonEmpty(run.contract).every((c: any) => c.passed)).toBe(true);
    expect(run.textReport.fallbackTexts).toBeGreaterThan(0);
    expect(run.textReport.fallbackTexts + run.textReport.llmTexts).toBe(textCount(run));
    // Refused texts are asked again once (the repair), refused again, then written offline.
    const refused = run.textReport.refusedTexts.find((r: any) => r.reason === reason)?.count ?? 0;
    expect(refused).toBeGreaterThanOrEqual(run.textReport.fallbackTexts);
    const stored = await texts(run.id);
    expect(stored.filter((t: any) => marker.test(t.text ?? t.description ?? t.persona ?? ''))).toEqual([]);
  });

  it('a 429 storm degrades to offline after the first wave: bounded requests, no repairs for answers that never came', async () => {
    fake.fail({ kind: 'status', status: 429, times: 100_000 }, 'chat');
    const run = await generate({ scenario: 'A1', seed: 41, asOf: '2026-11-01', embeddings: false });
    expect(run.status).toBe('SUCCEEDED');
    expect(nonEmpty(run.contract).every((c: any) => c.passed)).toBe(true);
    expect(run.textReport.llmTexts).toBe(0);
    expect(run.textReport.fallbackTexts).toBe(textCount(run));
    expect(run.textReport.breakerReason).toMatch(/rate-limited \(HTTP 429\)/);
    const chat = fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
    // The first wave only: 4 calls in flight (MOCKFORGE_LLM_CONCURRENCY), 1 + 2 retries each here.
    expect(chat.length).toBeLessThanOrEqual(4 * 3);
    expect(chat.filter((r) => JSON.stringify(r.body).includes('A previous answer'))).toEqual([]);
  });

  it('refused answers are not cached: the same input asks the model again and gets its texts', async () => {
    fake.fail({ kind: 'out-of-range', times: 1000 });
    const refused = await generate({ scenario: 'C2', seed: 31, asOf: '2026-11-01' });
    expect(refused.status).toBe('SUCCEEDED');
    expect(refused.textReport.fallbackTexts).toBeGreaterThan(0);
    fake.reset();
    const again = await generate({ scenario: 'C2', seed: 31, asOf: '2026-11-01' });
    expect(again.status).toBe('SUCCEEDED');
    expect(fake.stats.chatCalls).toBeGreaterThan(0);
    expect(again.textReport.fallbackTexts).toBe(0);
    expect(again.textReport.llmTexts).toBe(textCount(again));
  });

  it('review texts must fit their purchase: return talk on kept items is refused, never stored', async () => {
    fake.fail({ kind: 'returns-everywhere', times: 1000 });
    const run = await generate({ scenario: 'B3', seed: 12, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(nonEmpty(run.contract).every((c: any) => c.passed)).toBe(true);
    const [counts] = await app.db.dataSource.query(
      `SELECT count(*) FILTER (WHERE t.status = 'RETURNED')::int AS returned,
              count(*) FILTER (WHERE t.status <> 'RETURNED' AND r.text ~* 'returned')::int AS kept_saying_returned,
              count(*) FILTER (WHERE r.text LIKE 'Written by the fake model%')::int AS by_model
         FROM reviews r JOIN transactions t ON t.run_id = r.run_id AND t.id = r.transaction_id WHERE r.run_id = $1`,
      [run.id],
    );
    expect(counts.kept_saying_returned).toBe(0);
    // Reviews of returned items were fine as the model wrote them; the others fell back.
    expect(counts.by_model).toBeGreaterThan(0);
    expect(counts.by_model).toBeLessThanOrEqual(counts.returned);
    expect(run.textReport.fallbackTexts).toBeGreaterThan(0);
  });

  it('a server that is down opens the circuit: a few attempts, then offline text, and the run succeeds', async () => {
    fake.fail({ kind: 'status', status: 500, times: 1000 });
    const run = await generate({ scenario: 'B2', seed: 9, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.contract.filter((c: any) => !c.passed)).toEqual([]);
    expect(run.textReport.llmTexts).toBe(0);
    expect(run.textReport.fallbackTexts).toBe(textCount(run));
    expect(run.textReport.breakerReason).toMatch(/^3 consecutive failed calls .*HTTP 500/);
    expect(run.textReport.breakerSkippedCalls).toBeGreaterThan(0);
    // The breaker opens at the 3rd failed attempt; only attempts already in flight (at most
    // MOCKFORGE_LLM_CONCURRENCY − 1 = 3 more) reach the server after that.
    expect(fake.stats.failedCalls).toBeGreaterThanOrEqual(3);
    expect(fake.stats.failedCalls).toBeLessThanOrEqual(3 + 3);
    // No chat call got through; the embeddings (which do not fail here) still did. Every planned
    // chat call is in the ledger as failed or skipped by the breaker, billed nothing.
    const answered = run.textReport.calls.filter((c: any) => c.outcome === 'ANSWERED');
    expect(answered.length).toBeGreaterThan(0);
    expect(nonEmpty(answered).every((c: any) => c.kind === 'EMBEDDING')).toBe(true);
    const outcomes = (o: string) => run.textReport.calls.filter((c: any) => c.outcome === o);
    expect(outcomes('FAILED')).toHaveLength(run.textReport.failedCalls);
    expect(outcomes('SKIPPED_BREAKER')).toHaveLength(run.textReport.breakerSkippedCalls);
    expect([...outcomes('FAILED'), ...outcomes('SKIPPED_BREAKER')].every((c: any) => c.costUsd === '0')).toBe(
      true,
    );
  });

  it('an endpoint that never answers costs about one timeout per wave of calls, not one per attempt', async () => {
    fake.fail({ kind: 'slow', delayMs: 5000, times: 1000 });
    const run = await generate({ scenario: 'A1', seed: 9, asOf: '2026-11-01', embeddings: false });
    expect(run.status).toBe('SUCCEEDED');
    // (The reason says "timed out" outside jest; under jest's VM modules the client sees the abort
    // as a lost connection.)
    expect(run.textReport.breakerReason).toMatch(/^3 consecutive failed calls/);
    // Without the breaker every batch would try 1 + MOCKFORGE_LLM_MAX_RETRIES (3) times.
    expect(fake.stats.failedCalls).toBeLessThanOrEqual(3 + 3);
    expect(run.textReport.llmTexts).toBe(0);
  });

  it('costEstimate predicts calls and tokens within ±25 % of what the run used', async () => {
    const input = { scenario: 'A2', seed: 11, asOf: '2026-11-01' };
    const estimate = await app.gql(
      `query($input: GenerateScenarioInput!) { costEstimate(input: $input) {
        provider model warnings priceSource { name version date }
        phases { phase kind model calls items inputTokens outputTokensLow outputTokensHigh inputPerMillion outputPerMillion costLowUsd costHighUsd }
        totals { calls inputTokens costLowUsd costHighUsd }
        comparison { model costLowUsd costHighUsd } } }`,
      { input },
    );
    expectNoErrors(estimate);
    const e = estimate.data!.costEstimate;
    expect(e).toMatchObject({
      provider: 'OPENAI',
      model: 'gpt-4o-mini',
      warnings: [],
      priceSource: { name: '@pydantic/genai-prices' },
    });
    expect(e.phases.map((p: any) => [p.phase, p.kind])).toEqual([
      ['PRODUCTS', 'CHAT'],
      ['USERS', 'CHAT'],
      ['REVIEWS', 'CHAT'],
      ['EMBEDDINGS', 'EMBEDDING'],
    ]);
    const run = await generate(input);
    // The run keeps the estimate it started with, and sets it beside its ledger per phase.
    expect(run.costEstimate.totals.calls).toBe(e.totals.calls);
    expect(run.costByPhase.map((p: any) => p.phase)).toEqual(e.phases.map((p: any) => p.phase));
    for (const phase of e.phases) {
      const calls = run.textReport.calls.filter(
        (c: any) => c.kind === phase.kind && (c.kind === 'EMBEDDING' || c.phase === phase.phase),
      );
      expect(calls).toHaveLength(phase.calls);
      const input = calls.reduce((n: number, c: any) => n + c.inputTokens, 0);
      const output = calls.reduce((n: number, c: any) => n + c.outputTokens, 0);
      // Prompts name only what the generators decided (a review's product by brand and type, not
      // its model-written title), so the estimate counts the very prompts sent: exact. Embeddings
      // read model-written texts, which the estimate can only take from the offline ones.
      if (phase.kind === 'CHAT') expect(input).toBe(phase.inputTokens);
      else expect(Math.abs(input - phase.inputTokens) / phase.inputTokens).toBeLessThanOrEqual(0.25);
      expect(output).toBeGreaterThanOrEqual(phase.outputTokensLow * 0.75);
      expect(output).toBeLessThanOrEqual(phase.outputTokensHigh * 1.25);
      expect(run.costByPhase.find((p: any) => p.phase === phase.phase)).toMatchObject({
        kind: phase.kind,
        estimatedCalls: phase.calls,
        calls: phase.calls,
        cachedCalls: 0,
        estimatedInputTokens: phase.inputTokens,
        inputTokens: input,
        outputTokens: output,
      });
    }
    // Embeddings: ceil(items / 100) per table, priced at the embedding model's rate.
    expect(e.phases[3]).toMatchObject({ model: 'text-embedding-3-small', inputPerMillion: '0.02' });
    expect(e.phases.find((p: any) => p.phase === 'PRODUCTS')).toMatchObject({
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
    expect(capped.textReport.llmTexts + capped.textReport.fallbackTexts).toBe(textCount(capped));
    // Re-run from the cache: cached calls are charged to the budget at list price, so the run makes
    // the same choices — no call, the same world (every row and vector of it), the same
    // fingerprint — and costs $0 (no cost records: the fingerprint leaves what a run was billed out).
    const callsBefore = fake.stats.chatCalls + fake.stats.embeddingCalls;
    const again = await generate({ scenario: 'A1', seed: 12, asOf: '2026-11-01', maxCostUsd: '0.0015' });
    expect(fake.stats.chatCalls + fake.stats.embeddingCalls).toBe(callsBefore);
    expect(await appDigests(app.db.dataSource, again.id, WORLD_TABLES)).toEqual(
      await appDigests(app.db.dataSource, capped.id, WORLD_TABLES),
    );
    expect(again.fingerprint).toBe(capped.fingerprint);
    expect(again.textReport.llmTexts).toBe(capped.textReport.llmTexts);
    expect(again.actualCostUsd).toBe('0');

    fake.reset();
    const free = await generate({ scenario: 'B1', seed: 12, asOf: '2026-11-01', maxCostUsd: '0' });
    expect(free.status).toBe('SUCCEEDED');
    expect(fake.stats.chatCalls).toBe(0);
    expect(fake.stats.embeddingCalls).toBe(0);
    expect(free.textReport).toMatchObject({ llmTexts: 0 });
    // Every planned call is in the ledger, skipped: as many as skippedCalls (each counted once).
    expect(free.textReport.skippedCalls).toBeGreaterThan(0);
    expect(free.textReport.calls).toHaveLength(free.textReport.skippedCalls);
    expect(
      nonEmpty(free.textReport.calls).every((c: any) => c.outcome === 'SKIPPED_BUDGET' && c.costUsd === '0'),
    ).toBe(true);
    expect(free.costByPhase.reduce((n: number, p: any) => n + p.skippedCalls, 0)).toBe(
      free.textReport.skippedCalls,
    );
    expect(free.actualCostUsd).toBe('0');

    const bad = await app.gql(GENERATE, { input: { scenario: 'A1', maxCostUsd: '-1' } });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.maxCostUsd' });
  });

  /** From a scenario's estimate: the rows it embeds and its text calls' cost at the high end. */
  async function estimateOf(input: Record<string, unknown>): Promise<{ rows: number; textHigh: number }> {
    const res = await app.gql(
      `query($input: GenerateScenarioInput!) { costEstimate(input: $input) { phases { kind items costHighUsd } } }`,
      { input },
    );
    expectNoErrors(res);
    const phases = res.data!.costEstimate.phases;
    return {
      rows: phases.find((p: any) => p.kind === 'EMBEDDING').items,
      textHigh: phases
        .filter((p: any) => p.kind === 'CHAT')
        .reduce((sum: number, p: any) => sum + Number(p.costHighUsd), 0),
    };
  }

  /** What a budget run sets aside for its embeddings (README): every row at 512 tokens, $0.02 per million. */
  const setAsideUsd = (rows: number) => (rows * 512 * 0.02) / 1_000_000;

  const vectorLabels = (runId: string) =>
    app.db.dataSource.query(
      `SELECT model, count(*)::int AS n FROM (
         SELECT model FROM product_embeddings WHERE run_id = $1 UNION ALL
         SELECT model FROM user_embeddings WHERE run_id = $1 UNION ALL
         SELECT model FROM review_embeddings WHERE run_id = $1) e GROUP BY model ORDER BY model`,
      [runId],
    );

  it('a budget run’s vectors all come from one space, decided before its first call and labelled so', async () => {
    const input = { scenario: 'B2', seed: 21, asOf: '2026-11-01' };
    const { rows, textHigh } = await estimateOf(input);
    // Text comes first: model vectors only when the budget covers the text at its high end and the
    // embeddings' worst case beside it. The text calls all fail here (texts offline in both runs),
    // so the two runs differ only in vectors.
    const enoughUsd = Math.ceil((textHigh + setAsideUsd(rows)) * 1e8) / 1e8;
    fake.fail({ kind: 'status', status: 500, times: 100_000 }, 'chat');
    const tooSmall = await generate({ ...input, maxCostUsd: (enoughUsd - 0.0001).toFixed(8) });
    fake.reset();
    fake.fail({ kind: 'status', status: 500, times: 100_000 }, 'chat');
    const enough = await generate({ ...input, maxCostUsd: enoughUsd.toFixed(8) });
    for (const run of [tooSmall, enough]) {
      expect(run.status).toBe('SUCCEEDED');
      expect(run.contract.filter((c: any) => !c.passed)).toEqual([]);
    }

    expect(tooSmall.textReport.embeddings).toEqual({
      model: 'offline-feature-hash-1536',
      offlineReason: expect.stringMatching(/does not cover the text .* and the embeddings' worst case/),
    });
    expect(await vectorLabels(tooSmall.id)).toEqual([{ model: 'offline-feature-hash-1536', n: rows }]);
    const skipped = tooSmall.textReport.calls.filter((c: any) => c.kind === 'EMBEDDING');
    expect(skipped.length).toBeGreaterThan(0);
    expect(nonEmpty(skipped).every((c: any) => c.outcome === 'SKIPPED_BUDGET')).toBe(true);

    expect(enough.textReport.embeddings).toEqual({ model: 'text-embedding-3-small', offlineReason: null });
    expect(await vectorLabels(enough.id)).toEqual([{ model: 'text-embedding-3-small', n: rows }]);
    const embedded = enough.textReport.calls.filter((c: any) => c.kind === 'EMBEDDING');
    expect(nonEmpty(embedded).every((c: any) => c.outcome === 'ANSWERED')).toBe(true);
    expect(embedded.reduce((n: number, c: any) => n + c.items, 0)).toBe(rows);
    expect(Number(enough.actualCostUsd)).toBeLessThanOrEqual(enoughUsd);

    // Same texts and orders, other vectors: the fingerprint tells them apart.
    const textTables = WORLD_TABLES.filter(([t]) => !t.endsWith('_embeddings'));
    expect(await appDigests(app.db.dataSource, enough.id, textTables)).toEqual(
      await appDigests(app.db.dataSource, tooSmall.id, textTables),
    );
    expect(enough.fingerprint).not.toBe(tooSmall.fingerprint);
  });

  it('the ledger adds up: calls, actualCostUsd and the pipeline’s cost records, skipped calls listed once', async () => {
    const input = { scenario: 'A1', seed: 22, asOf: '2026-11-01' };
    const budget = 0.004;
    const run = await generate({ ...input, maxCostUsd: budget.toFixed(8) });
    expect(run.status).toBe('SUCCEEDED');
    const calls = run.textReport.calls;
    // Some text calls made, some skipped; the text not fitting whole, every embedding call is
    // skipped too (one space: offline).
    expect(run.textReport.skippedCalls).toBeGreaterThan(0);
    expect(calls.filter((c: any) => c.outcome === 'SKIPPED_BUDGET')).toHaveLength(
      run.textReport.skippedCalls,
    );
    expect(calls.some((c: any) => c.kind === 'CHAT' && c.outcome === 'SKIPPED_BUDGET')).toBe(true);
    expect(calls.some((c: any) => c.kind === 'CHAT' && c.outcome === 'ANSWERED')).toBe(true);
    expect(
      nonEmpty(calls.filter((c: any) => c.kind === 'EMBEDDING')).every(
        (c: any) => c.outcome === 'SKIPPED_BUDGET',
      ),
    ).toBe(true);
    expect(Number(run.actualCostUsd)).toBeLessThanOrEqual(budget);

    // In units of $10⁻⁸ (the ledger's precision), so the sums are exact.
    const units = (usd: string) => Math.round(Number(usd) * 1e8);
    const billed = calls.reduce((n: number, c: any) => n + units(c.costUsd), 0);
    expect(units(run.actualCostUsd)).toBe(billed);
    // What the server billed: its tokens at the list prices.
    expect(billed).toBe(
      Math.round(
        (fake.stats.promptTokens * 0.15 +
          fake.stats.completionTokens * 0.6 +
          fake.stats.embeddingTokens * 0.02) *
          100,
      ),
    );
    // The cost records hold 6 decimals; they add up to actualCostUsd at that precision.
    const [{ total }] = await app.db.dataSource.query(
      `SELECT sum(total_cost)::text AS total FROM cost_records WHERE run_id = $1`,
      [run.id],
    );
    expect(Math.round(Number(total) * 1e6)).toBe(Math.round(billed / 100));
  });

  it('billed but unusable embeddings fail the run and stay in its ledger and actualCostUsd', async () => {
    fake.fail({ kind: 'bad-vectors', times: 1000 }, 'embeddings');
    const run = await generate({ scenario: 'C2', seed: 14, asOf: '2026-11-01' });
    expect(run.status).toBe('FAILED');
    const unusable = run.textReport.calls.filter((c: any) => c.outcome === 'UNUSABLE');
    expect(unusable.length).toBe(fake.stats.embeddingCalls);
    expect(unusable.reduce((n: number, c: any) => n + c.inputTokens, 0)).toBe(fake.stats.embeddingTokens);
    expect(fake.stats.embeddingTokens).toBeGreaterThan(0);
    const units = (usd: string) => Math.round(Number(usd) * 1e8);
    expect(units(run.actualCostUsd)).toBe(
      Math.round(
        (fake.stats.promptTokens * 0.15 +
          fake.stats.completionTokens * 0.6 +
          fake.stats.embeddingTokens * 0.02) *
          100,
      ),
    );
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
