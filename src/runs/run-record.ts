import type { CostEstimate } from '../pipeline/estimate';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { GenerationRun } from '../../entities';
import type { ContractCheck } from '../../entities/contract-check';
import type { RunProgress } from '../../entities/run-progress';
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

/** Removes a run the queue would not take: still QUEUED, so nobody has started it. */
export async function deleteQueuedRun(db: Database, id: string): Promise<void> {
  await db.dataSource.query(`DELETE FROM generation_runs WHERE id = $1 AND status = 'QUEUED'`, [id]);
}

/** The run made with an idempotency key, and the hash of the input it was made from. */
export async function runOfKey(db: Database, key: string): Promise<{ id: string; inputHash: string } | null> {
  const [row] = await db.dataSource.query(
    `SELECT id, input_hash FROM generation_runs WHERE idempotency_key = $1`,
    [key],
  );
  return row ? { id: row.id, inputHash: row.input_hash } : null;
}

/** The estimate stored with a run when it was queued (null for offline runs). */
export async function storedCostEstimate(db: Database, id: string): Promise<CostEstimate | null> {
  const [row] = await db.dataSource.query(`SELECT cost_estimate FROM generation_runs WHERE id = $1`, [id]);
  return row?.cost_estimate ?? null;
}

/** Writes a running run's progress; true when a cancellation was requested (by any process). */
export async function saveProgress(db: Database, id: string, progress: RunProgress): Promise<boolean> {
  const [rows] = await db.dataSource.query(
    `UPDATE generation_runs SET progress = $2::jsonb WHERE id = $1 AND status = 'RUNNING' RETURNING cancel_requested`,
    [id, JSON.stringify(progress)],
  );
  return Array.isArray(rows) && Boolean(rows[0]?.cancel_requested);
}

/**
 * Adds rows (and maybe a new phase) to a running run's progress in one statement, so workers
 * adding at once all count; true when the run should stop (cancelled, or a shard failed).
 */
export async function addProgress(
  db: Database,
  id: string,
  rows: number,
  phase: { name: string; rowsTotal?: number } | null,
): Promise<boolean> {
  // The total is exact (from the plan); a shard a dead worker had begun is counted again when it
  // is written again, so the count is held at the total rather than passing it.
  const total = `coalesce($4::bigint, (progress->>'rowsTotal')::bigint, 0)`;
  const done = `least(greatest(coalesce((progress->>'rowsDone')::bigint, 0) + $2::bigint, 0), ${total})`;
  const [rowsBack] = await db.dataSource.query(
    `UPDATE generation_runs SET progress = jsonb_build_object(
        'phase', coalesce($3::text, progress->>'phase'),
        'rowsDone', ${done},
        'rowsTotal', ${total},
        'percent', CASE WHEN ${total} = 0 THEN 0 ELSE least(99.9, round(1000.0 * ${done} / ${total}) / 10) END,
        'etaMs', CASE WHEN ${done} = 0 THEN NULL
                 ELSE round(extract(epoch FROM now() - started_at) * 1000 / ${done} * (${total} - ${done})) END)
      WHERE id = $1 AND status = 'RUNNING'
      RETURNING cancel_requested
        OR EXISTS (SELECT 1 FROM run_shards s WHERE s.run_id = $1 AND s.error IS NOT NULL) AS stop`,
    [id, rows, phase?.name ?? null, phase?.rowsTotal ?? null],
  );
  const row = Array.isArray(rowsBack) ? rowsBack[0] : undefined;
  return row ? Boolean(row.stop) : true;
}

/** Flags a run for cancellation: whoever works it (in any process) stops at its next check. */
export async function requestCancel(db: Database, id: string): Promise<void> {
  await db.dataSource.query(`UPDATE generation_runs SET cancel_requested = true WHERE id = $1`, [id]);
}

/** Ends a run nobody has started yet as CANCELLED (a run already taken is left to its worker). */
export async function cancelQueuedRun(db: Database, id: string, reason: string): Promise<void> {
  await db.dataSource.query(
    `UPDATE generation_runs SET status = 'CANCELLED', error = $2, finished_at = now(),
       progress = jsonb_set(coalesce(progress, '{}'), '{phase}', '"cancelled"')
     WHERE id = $1 AND status = 'QUEUED'`,
    [id, reason],
  );
}

/** Stamps a running run as alive, worked by `worker` (see withHeartbeat). */
export async function stampHeartbeat(db: Database, id: string, worker: string): Promise<void> {
  await db.dataSource.query(
    `UPDATE generation_runs SET heartbeat_at = now(), worker = $2 WHERE id = $1 AND status = 'RUNNING'`,
    [id, worker],
  );
}

/** RUNNING runs without a heartbeat for `staleMs` (or ever); with `id`, only that run. */
export async function staleRunningRuns(
  db: Database,
  staleMs: number,
  id: string | null = null,
): Promise<{ id: string; startedAt: Date | null }[]> {
  const rows: { id: string; started_at: Date | null }[] = await db.dataSource.query(
    `SELECT id, started_at FROM generation_runs
      WHERE status = 'RUNNING' AND ($2::uuid IS NULL OR id = $2::uuid)
        AND (heartbeat_at IS NULL OR heartbeat_at < now() - $1 * interval '1 millisecond')`,
    [staleMs, id],
  );
  return rows.map((row) => ({ id: row.id, startedAt: row.started_at }));
}

/** QUEUED runs older than `ageMs`, oldest first. */
export async function queuedRunsOlderThan(db: Database, ageMs: number): Promise<string[]> {
  const rows: { id: string }[] = await db.dataSource.query(
    `SELECT id FROM generation_runs
      WHERE status = 'QUEUED' AND created_at < now() - $1 * interval '1 millisecond' ORDER BY created_at`,
    [ageMs],
  );
  return rows.map((row) => row.id);
}

/** Marks (or clears) a finished run whose rows are still to be removed by the sweep. */
export async function markRowsPending(db: Database, id: string, pending: boolean): Promise<void> {
  await db.dataSource.query(`UPDATE generation_runs SET rows_pending = $2 WHERE id = $1`, [id, pending]);
}

/** Finished runs whose rows the sweep still owes. */
export async function runsWithPendingRows(db: Database): Promise<string[]> {
  const rows: { id: string }[] = await db.dataSource.query(
    `SELECT id FROM generation_runs WHERE rows_pending AND status IN ('FAILED', 'CANCELLED')`,
  );
  return rows.map((row) => row.id);
}
