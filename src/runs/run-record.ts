import type { CostEstimate } from '../pipeline/estimate';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { GenerationRun } from '../../entities';
import type { ContractCheck } from '../../entities/contract-check';
import { RunStatus, type RunKind, type RunScenarioId, type ScenarioId } from '../../entities/enums';
import type { Database } from '../db/data-source';
import type { WriterReport } from '../llm/text-writer';
import { hydrate } from '../db/hydrate';
import type { RunOutcome } from '../pipeline/run-outcome';

export type { RunOutcome } from '../pipeline/run-outcome';

export interface NewRun {
  kind: RunKind;
  scenarioId: RunScenarioId | null;
  baseScenarioId: ScenarioId | null;
  seed: number;
  asOf: Date;
  input: Record<string, unknown>;
  generatorVersion: string;
  /** What the run is expected to cost (LLM runs). */
  costEstimate?: CostEstimate | null;
  /** The resolved request a worker runs it from (JSON). */
  request?: Record<string, unknown> | null;
  idempotencyKey?: string | null;
  inputHash?: string | null;
}

/**
 * A run's record lives outside the data transaction: it is created (QUEUED) and committed first,
 * so that a run whose data is rolled back is still visible as FAILED or CANCELLED with its reason.
 * Run ids are random: a run is an event; only the rows it generates are deterministic.
 */
export async function createRun(db: Database, run: NewRun): Promise<{ id: string }> {
  const id = randomUUID();
  await db.dataSource.query(
    `INSERT INTO generation_runs (id, kind, scenario_id, base_scenario_id, seed, as_of, status, input,
       generator_version, cost_estimate, request, idempotency_key, input_hash, progress)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb, $11::jsonb, $12, $13, $14::jsonb)`,
    [
      id,
      run.kind,
      run.scenarioId,
      run.baseScenarioId,
      run.seed,
      run.asOf.toISOString(),
      RunStatus.QUEUED,
      JSON.stringify(run.input),
      run.generatorVersion,
      run.costEstimate ? JSON.stringify(run.costEstimate) : null,
      run.request ? JSON.stringify(run.request) : null,
      run.idempotencyKey ?? null,
      run.inputHash ?? null,
      JSON.stringify({ phase: 'queued', rowsDone: 0, rowsTotal: 0, percent: 0, etaMs: null }),
    ],
  );
  return { id };
}

/**
 * Claims a run for a worker: QUEUED (or RUNNING after a crashed attempt) becomes RUNNING, unless
 * it was cancelled meanwhile. Null when there is nothing to run (finished, cancelled, deleted).
 */
export async function markRunning(
  db: Database,
  id: string,
): Promise<{ startedAt: Date; attempts: number } | null> {
  const startedAt = new Date();
  const [rows] = await db.dataSource.query(
    `UPDATE generation_runs SET status = $2, started_at = $3, attempts = attempts + 1, error = NULL,
       heartbeat_at = now()
      WHERE id = $1 AND status IN ($4, $2) AND NOT cancel_requested RETURNING attempts`,
    [id, RunStatus.RUNNING, startedAt.toISOString(), RunStatus.QUEUED],
  );
  const row = Array.isArray(rows) ? rows[0] : undefined;
  return row ? { startedAt, attempts: Number(row.attempts) } : null;
}

function finished(startedAt: Date | null) {
  const finishedAt = new Date();
  const from = startedAt ?? finishedAt;
  return {
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.max(0, finishedAt.getTime() - from.getTime()),
  };
}

const done = (rows: number) =>
  JSON.stringify({ phase: 'done', rowsDone: rows, rowsTotal: rows, percent: 100, etaMs: 0 });

/** Marks the run SUCCEEDED inside the data transaction, so rows and status commit together. */
export async function completeRun(
  manager: EntityManager,
  id: string,
  startedAt: Date,
  outcome: RunOutcome,
  report: WriterReport | null = null,
): Promise<void> {
  const { finishedAt, durationMs } = finished(startedAt);
  const rows = Object.entries(outcome.rowCounts)
    .filter(([table]) => table !== 'extraShoppers')
    .reduce((sum, [, n]) => sum + (n ?? 0), 0);
  await manager.query(
    `UPDATE generation_runs SET status = $2, row_counts = $3::jsonb, fingerprint = $4, contract = $5::jsonb,
       finished_at = $6, duration_ms = $7, text_report = $8::jsonb, progress = $9::jsonb WHERE id = $1`,
    [
      id,
      RunStatus.SUCCEEDED,
      JSON.stringify(outcome.rowCounts),
      outcome.fingerprint,
      JSON.stringify(outcome.contract),
      finishedAt,
      durationMs,
      report ? JSON.stringify(report) : null,
      done(rows),
    ],
  );
}

/** Ends the run FAILED or CANCELLED with its reason (after its data was rolled back or removed). */
export async function endRun(
  db: Database,
  id: string,
  status: RunStatus.FAILED | RunStatus.CANCELLED,
  startedAt: Date | null,
  reason: string,
  contract: ContractCheck[] = [],
  report: WriterReport | null = null,
): Promise<void> {
  const { finishedAt, durationMs } = finished(startedAt);
  // Calls a failed run made still cost money: their report is kept. Without a start in hand (a run
  // ended by recovery), its duration runs from the start on its row.
  await db.dataSource.query(
    `UPDATE generation_runs SET status = $2, error = $3, contract = $4::jsonb, finished_at = $5,
       duration_ms = CASE WHEN $9::boolean
         THEN greatest(0, round(extract(epoch FROM $5::timestamptz - coalesce(started_at, $5::timestamptz)) * 1000))
         ELSE $6 END,
       text_report = $7::jsonb, progress = jsonb_set(coalesce(progress, '{}'), '{phase}', to_jsonb($8::text))
     WHERE id = $1 AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')`,
    [
      id,
      status,
      reason,
      JSON.stringify(contract),
      finishedAt,
      durationMs,
      report ? JSON.stringify(report) : null,
      status === RunStatus.CANCELLED ? 'cancelled' : 'failed',
      startedAt === null,
    ],
  );
}

export async function loadRun(db: Database, id: string): Promise<GenerationRun | null> {
  const [row] = await db.dataSource.query(`SELECT * FROM generation_runs WHERE id = $1`, [id]);
  return row ? hydrate<GenerationRun>(db.dataSource, db.dataSource.getMetadata(GenerationRun), row) : null;
}

/**
 * Deletes a run; foreign keys cascade to every row it generated. One statement, so it is atomic
 * on its own. Returns the run as it was, or null when there is no such run.
 */
export async function deleteRun(db: Database, id: string): Promise<GenerationRun | null> {
  const { dataSource } = db;
  const [rows] = await dataSource.query(`DELETE FROM generation_runs WHERE id = $1 RETURNING *`, [
    id.toLowerCase(),
  ]);
  const row = Array.isArray(rows) ? rows[0] : undefined;
  return row ? hydrate<GenerationRun>(dataSource, dataSource.getMetadata(GenerationRun), row) : null;
}
