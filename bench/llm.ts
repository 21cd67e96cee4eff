import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import readline from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { SCENARIOS } from '../generators/ecommerce/scenarios';
import type { GenerateScenarioInput } from '../resolvers/types/generate-scenario.input';
import { loadConfig } from '../src/config';
import type { Database } from '../src/db/data-source';
import { createLlmServices } from '../src/llm';
import { runScenario } from '../src/runs/scenario-run';
import { resolveScenarioRequest } from '../src/pipeline/scenario/scenario-request';
import { startFakeOpenAi } from '../test/helpers/fake-openai';
import { compareCosts, type PhaseCost } from '../src/pipeline/cost-comparison';
import type { WriterReport } from '../src/llm/text-writer';

export interface LlmRow {
  scenario: string;
  calls: number;
  embeddingCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: string;
  fallbackTexts: number;
  /** Estimate beside actual, per phase. */
  phases: PhaseCost[];
  /** The run's CostRecords hold exactly the tokens the fake server billed for it. */
  recordsMatchServer: boolean;
}

/**
 * The LLM path against the fake OpenAI server (real `openai` client, real HTTP, tokens counted
 * with o200k_base): every scenario at default size, then with maxCostUsd 0.0015, then again from
 * the cache.
 */
export async function llmFigures(
  db: Database,
): Promise<{ plain: LlmRow[]; budget: LlmRow[]; cachedCalls: number }> {
  const fake = await startFakeOpenAi();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-bench-cache-'));
  try {
    const llm = createLlmServices(
      loadConfig({ OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fake.baseUrl, MOCKFORGE_CACHE_DIR: cacheDir })
        .llm,
    );
    const run = async (id: string, maxCostUsd?: string) => {
      const input = {
        scenario: id,
        asOf: new Date('2026-11-01T00:00:00Z'),
        ...(maxCostUsd ? { maxCostUsd } : {}),
      } as GenerateScenarioInput;
      const request = resolveScenarioRequest(input, new Date());
      const before = { ...fake.stats };
      const result = await runScenario({ db, llm }, request);
      const [records] = await db.dataSource.query(
        `SELECT coalesce(sum(input_tokens), 0)::int AS input, coalesce(sum(output_tokens), 0)::int AS output
           FROM cost_records WHERE run_id = $1`,
        [result.id],
      );
      const billed = (k: keyof typeof before) => fake.stats[k] - before[k];
      const report = result.textReport!;
      const fresh = report.calls.filter((c) => !c.cached);
      return {
        scenario: id,
        calls: fresh.filter((c) => c.kind === 'chat').length,
        embeddingCalls: fresh.filter((c) => c.kind === 'embedding').length,
        inputTokens: fresh.reduce((n, c) => n + c.inputTokens, 0),
        outputTokens: fresh.reduce((n, c) => n + c.outputTokens, 0),
        costUsd: fresh.reduce((sum, c) => sum.plus(c.costUsd ?? 0), new Decimal(0)).toFixed(6),
        fallbackTexts: report.fallbackTexts,
        phases: compareCosts(result.costEstimate, report as WriterReport),
        recordsMatchServer:
          records.input === billed('promptTokens') + billed('embeddingTokens') &&
          records.output === billed('completionTokens'),
      };
    };
    // Each scenario measured on its own: the cache starts empty (scenarios share their products).
    const plain: LlmRow[] = [];
    for (const s of SCENARIOS) {
      await llm.cache.clear();
      plain.push(await run(s.id));
    }
    const budget: LlmRow[] = [];
    let cachedCalls = 0;
    for (const s of SCENARIOS) {
      await llm.cache.clear();
      budget.push(await run(s.id, '0.0015'));
      // The same run again: answered from the cache.
      const before = fake.stats.chatCalls + fake.stats.embeddingCalls;
      await run(s.id, '0.0015');
      cachedCalls += fake.stats.chatCalls + fake.stats.embeddingCalls - before;
    }
    return { plain, budget, cachedCalls };
  } finally {
    await fake.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

export interface LlmTiming {
  /** A1 with offline text. */
  offlineMs: number;
  /** A1 with the LLM against a fake server that answers at once (empty cache). */
  instantMs: number;
  /** A1 against a fake server that never answers in time, and the timeout it was given. */
  failingMs: number;
  timeoutMs: number;
  breakerReason: string | null;
}

/** The fake OpenAI server in a child process; resolves its base URL and a way to stop it. */
async function fakeServerProcess(
  buildDir: string,
  slowMs = 0,
): Promise<{ baseUrl: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [path.join(buildDir, 'bench', 'fake-server-process.js'), String(slowMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(readline.createInterface({ input: child.stdout! }), 'line')) as [string];
  return { baseUrl: line.trim(), stop: () => child.kill() };
}

/**
 * A1 offline, with the LLM against an instant server, and against one that never answers. The
 * fake servers run in processes of their own (from the compiled bench in `buildDir`), as a real
 * provider would, so only the client's side of the work is timed.
 */
export async function llmTiming(db: Database, buildDir: string): Promise<LlmTiming> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-bench-cache-'));
  const timeoutMs = 2000;
  const instantServer = await fakeServerProcess(buildDir);
  const failingServer = await fakeServerProcess(buildDir, timeoutMs * 3);
  try {
    const request = () =>
      resolveScenarioRequest(
        { scenario: 'A1', asOf: new Date('2026-11-01T00:00:00Z') } as GenerateScenarioInput,
        new Date(),
      );
    const timed = async (env: Record<string, string>) => {
      const llm = createLlmServices(loadConfig({ MOCKFORGE_CACHE_DIR: cacheDir, ...env }).llm);
      await llm.cache.clear();
      const started = performance.now();
      const run = await runScenario({ db, llm }, request());
      if (run.status !== 'SUCCEEDED') throw new Error(`A1 failed: ${run.error}`);
      return { ms: performance.now() - started, report: run.textReport };
    };
    const openai = (baseUrl: string) => ({ OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: baseUrl });
    await timed({}); // warm-up: modules, statements
    const offline = await timed({});
    await timed(openai(instantServer.baseUrl)); // warm-up of the HTTP path
    const instant = await timed(openai(instantServer.baseUrl));
    // Chat never answers in time; embeddings (no offline fallback within a run) still do.
    const failing = await timed({
      ...openai(failingServer.baseUrl),
      MOCKFORGE_LLM_TIMEOUT_MS: String(timeoutMs),
    });
    return {
      offlineMs: offline.ms,
      instantMs: instant.ms,
      failingMs: failing.ms,
      timeoutMs,
      breakerReason: failing.report?.breakerReason ?? null,
    };
  } finally {
    instantServer.stop();
    failingServer.stop();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}
