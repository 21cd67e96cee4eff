import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { GenerationRun } from '../../entities';
import { FINISHED_STATUSES } from '../../entities/enums';

/**
 * Prometheus metrics of this process (prom-client), served at GET /metrics: runs, rows, LLM
 * calls, cache and HTTP requests, plus the default process metrics. One registry per process, as
 * Prometheus scrapes a process; a worker process without HTTP keeps its own (not served).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'mockforge_' });

const registers = [registry];

export const runsStarted = new Counter({
  name: 'mockforge_runs_started_total',
  help: 'Runs queued, by kind (scenario, dashboard).',
  labelNames: ['kind'] as const,
  registers,
});

export const runsFinished = new Counter({
  name: 'mockforge_runs_finished_total',
  help: 'Runs that ended, by kind and status (SUCCEEDED, FAILED, CANCELLED).',
  labelNames: ['kind', 'status'] as const,
  registers,
});

const runDuration = new Histogram({
  name: 'mockforge_run_duration_seconds',
  help: 'How long runs took from start to end, by kind and status.',
  labelNames: ['kind', 'status'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
  registers,
});

const rowsWritten = new Counter({
  name: 'mockforge_rows_written_total',
  help: 'Rows of succeeded runs, by table.',
  labelNames: ['table'] as const,
  registers,
});

const runRate = new Histogram({
  name: 'mockforge_run_rows_per_second',
  help: 'Generation and write rate of succeeded runs: rows stored per second of run time, by kind.',
  labelNames: ['kind'] as const,
  buckets: [100, 300, 1000, 3000, 10_000, 30_000, 100_000, 300_000],
  registers,
});

const llmCalls = new Counter({
  name: 'mockforge_llm_calls_total',
  help: 'LLM and embedding calls of finished runs, by kind, phase, model, whether the cache answered and outcome (sent or skipped).',
  labelNames: ['kind', 'phase', 'model', 'cached', 'outcome'] as const,
  registers,
});

const llmTokens = new Counter({
  name: 'mockforge_llm_tokens_total',
  help: 'Tokens of finished runs’ LLM calls, by phase, model and direction (input, output).',
  labelNames: ['phase', 'model', 'direction'] as const,
  registers,
});

const llmCost = new Counter({
  name: 'mockforge_llm_cost_usd_total',
  help: 'What finished runs’ LLM calls cost in USD (cached calls cost 0), by phase and model.',
  labelNames: ['phase', 'model'] as const,
  registers,
});

const contractFailures = new Counter({
  name: 'mockforge_contract_failures_total',
  help: 'Contract checks that failed (their runs rolled back), by check.',
  labelNames: ['check'] as const,
  registers,
});

/** Records a run that has ended (once: by the process that ended it). */
export function runEnded(run: GenerationRun): void {
  if (!FINISHED_STATUSES.includes(run.status)) return;
  const kind = run.kind.toLowerCase();
  runsFinished.inc({ kind, status: run.status });
  if (run.durationMs !== null && run.durationMs !== undefined) {
    runDuration.observe({ kind, status: run.status }, run.durationMs / 1000);
  }
  for (const check of run.contract ?? []) if (!check.passed) contractFailures.inc({ check: check.name });
  for (const call of run.textReport?.calls ?? []) {
    const labels = { phase: call.phase, model: call.model };
    llmCalls.inc({
      ...labels,
      kind: call.kind,
      cached: String(call.cached),
      outcome: call.outcome ?? 'ANSWERED',
    });
    llmTokens.inc({ ...labels, direction: 'input' }, call.inputTokens);
    llmTokens.inc({ ...labels, direction: 'output' }, call.outputTokens);
    llmCost.inc(labels, Number(call.costUsd ?? 0));
  }
  if (run.status !== 'SUCCEEDED') return;
  let rows = 0;
  for (const [table, n] of Object.entries(run.rowCounts ?? {})) {
    if (table === 'extraShoppers' || !n) continue;
    rowsWritten.inc({ table }, n);
    rows += n;
  }
  if (run.durationMs) runRate.observe({ kind }, rows / (run.durationMs / 1000));
}
