import type { CostEstimate } from '../pricing/estimate';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { GenerationRun } from '../../entities';
import type { ContractCheck } from '../../entities/contract-check';
import { RunStatus, type RunKind, type RunScenarioId, type ScenarioId } from '../../entities/enums';
import type { RowCountsShape } from '../../entities/row-counts';
import type { Database } from '../data-source';
import type { WriterReport } from '../llm/text-writer';
import { hydrate } from '../listing';

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
}

/**
 * A run's record lives outside the data transaction: it is created (RUNNING) and committed first,
 * so that a run whose data is rolled back is still visible as FAILED with its reason. Run ids are
 * random: a run is an event; only the rows it generates are deterministic.
 */
export async function createRun(db: Database, run: NewRun): Promise<{ id: string; startedAt: Date }> {
  const id = randomUUID();
  const startedAt = new Date();
  await db.dataSource.query(
    `INSERT INTO generation_runs (id, kind, scenario_id, base_scenario_id, seed, as_of, status, input,
       generator_version, started_at, cost_estimate)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11::jsonb)`,
    [
      id,
      run.kind,
      run.scenarioId,
      run.baseScenarioId,
      run.seed,
      run.asOf.toISOString(),
      RunStatus.RUNNING,
      JSON.stringify(run.input),
      run.generatorVersion,
      startedAt.toISOString(),
      run.costEstimate ? JSON.stringify(run.costEstimate) : null,
    ],
  );
  return { id, startedAt };
}

export interface RunOutcome {
  rowCounts: Partial<RowCountsShape>;
  fingerprint: string;
  contract: ContractCheck[];
}

function finished(startedAt: Date) {
  const finishedAt = new Date();
  return {
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
  };
}

/** Marks the run SUCCEEDED inside the data transaction, so rows and status commit together. */
export async function completeRun(
  manager: EntityManager,
  id: string,
  startedAt: Date,
  outcome: RunOutcome,
  report: WriterReport | null = null,
): Promise<void> {
  const { finishedAt, durationMs } = finished(startedAt);
  await manager.query(
    `UPDATE generation_runs SET status = $2, row_counts = $3::jsonb, fingerprint = $4, contract = $5::jsonb,
       finished_at = $6, duration_ms = $7, text_report = $8::jsonb WHERE id = $1`,
    [
      id,
      RunStatus.SUCCEEDED,
      JSON.stringify(outcome.rowCounts),
      outcome.fingerprint,
      JSON.stringify(outcome.contract),
      finishedAt,
      durationMs,
      report ? JSON.stringify(report) : null,
    ],
  );
}

/** Marks the run FAILED with its reason (after its data was rolled back). */
export async function failRun(
  db: Database,
  id: string,
  startedAt: Date,
  reason: string,
  contract: ContractCheck[] = [],
  report: WriterReport | null = null,
): Promise<void> {
  const { finishedAt, durationMs } = finished(startedAt);
  // Calls a failed run made still cost money: their report is kept.
  await db.dataSource.query(
    `UPDATE generation_runs SET status = $2, error = $3, contract = $4::jsonb, finished_at = $5, duration_ms = $6,
       text_report = $7::jsonb WHERE id = $1`,
    [
      id,
      RunStatus.FAILED,
      reason,
      JSON.stringify(contract),
      finishedAt,
      durationMs,
      report ? JSON.stringify(report) : null,
    ],
  );
}

export async function loadRun(db: Database, id: string): Promise<GenerationRun> {
  const [row] = await db.dataSource.query(`SELECT * FROM generation_runs WHERE id = $1`, [id]);
  return hydrate<GenerationRun>(db.dataSource, db.dataSource.getMetadata(GenerationRun), row);
}
