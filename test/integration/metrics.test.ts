import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startFakeOpenAi } from '../helpers/fake-openai';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';

/** GET /metrics: Prometheus text with the service's series, moving as runs happen; guarded like the API. */

/** A sample's value in Prometheus text (0 when the series has not appeared yet). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return 0;
}

/** The sum of every sample of a series. */
function total(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const metricsOf = (app: TestApp, headers: Record<string, string> = {}) =>
  fetch(app.url.replace('/graphql', '/metrics'), { headers });

describe('metrics, open API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists the service’s series and the process’s, and they move when a run happens', async () => {
    const before = await (await metricsOf(app)).text();
    const res = await app.gql(
      `mutation MetricsProbe { generateScenario(input: { scenario: C2, seed: 3, asOf: "2026-11-01" }) {
        status rowCounts { reviews } } }`,
    );
    expectNoErrors(res);
    const response = await metricsOf(app);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const after = await response.text();
    for (const name of [
      'mockforge_runs_started_total',
      'mockforge_runs_finished_total',
      'mockforge_run_duration_seconds_bucket',
      'mockforge_rows_written_total',
      'mockforge_run_rows_per_second_bucket',
      'mockforge_llm_cache_hits_total',
      'mockforge_llm_cache_misses_total',
      'mockforge_http_requests_total',
      'mockforge_process_cpu_user_seconds_total',
      'mockforge_nodejs_heap_size_used_bytes',
    ]) {
      expect(after).toContain(`\n${name}`);
    }
    const moved = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(moved('mockforge_runs_started_total', { kind: 'scenario' })).toBe(1);
    expect(moved('mockforge_runs_finished_total', { kind: 'scenario', status: 'SUCCEEDED' })).toBe(1);
    expect(moved('mockforge_rows_written_total', { table: 'reviews' })).toBe(
      res.data!.generateScenario.rowCounts.reviews,
    );
    expect(moved('mockforge_http_requests_total', { operation: 'MetricsProbe', status: '200' })).toBe(1);
  });

  it('counts a run’s LLM calls, tokens and cost by phase and model', async () => {
    const fake = await startFakeOpenAi();
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-metrics-cache-'));
    const llmApp = await startTestApp({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseUrl,
      MOCKFORGE_CACHE_DIR: cacheDir,
    });
    try {
      const before = await (await metricsOf(llmApp)).text();
      const res = await llmApp.gql(
        `mutation { generateScenario(input: { scenario: C4, seed: 4, asOf: "2026-11-01" }) {
          status actualCostUsd textReport { calls { kind inputTokens outputTokens } } } }`,
      );
      expectNoErrors(res);
      const after = await (await metricsOf(llmApp)).text();
      const calls = res.data!.generateScenario.textReport.calls;
      const moved = (name: string) => total(after, name) - total(before, name);
      expect(calls.length).toBeGreaterThan(0);
      expect(moved('mockforge_llm_calls_total')).toBe(calls.length);
      expect(moved('mockforge_llm_tokens_total')).toBe(
        calls.reduce((n: number, c: any) => n + c.inputTokens + c.outputTokens, 0),
      );
      expect(moved('mockforge_llm_cost_usd_total')).toBeCloseTo(
        Number(res.data!.generateScenario.actualCostUsd),
        6,
      );
      expect(sample(after, 'mockforge_llm_calls_total', { kind: 'chat', phase: 'reviews' })).toBeGreaterThan(
        0,
      );
    } finally {
      await llmApp.close();
      await fake.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('metrics, with API keys', () => {
  let app: TestApp;
  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
    app = await startTestApp({
      MOCKFORGE_API_KEYS: 'viewer-key-123456:viewer,admin-key-1234567:admin',
      MOCKFORGE_METRICS_PORT: String(metricsPort),
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('needs the admin role on the API port', async () => {
    expect((await metricsOf(app)).status).toBe(401);
    expect((await metricsOf(app, { authorization: 'Bearer viewer-key-123456' })).status).toBe(403);
    const admin = await metricsOf(app, { authorization: 'Bearer admin-key-1234567' });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('mockforge_runs_started_total');
  });

  it('is served without a key on MOCKFORGE_METRICS_PORT, and nothing else is', async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('mockforge_http_requests_total');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/graphql`)).status).toBe(404);
  });
});
