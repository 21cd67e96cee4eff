import type { EntityManager } from 'typeorm';
import type { GenerationRun } from '../../entities';
import type { ContractCheck } from '../../entities/contract-check';
import type { Database } from '../data-source';
import type { WriterReport } from '../llm/text-writer';
import { completeRun, createRun, failRun, loadRun, type NewRun, type RunOutcome } from './run-record';

/** Raised when a run's data breaks its contract: the run is rolled back. */
export class ContractViolation extends Error {
  constructor(readonly checks: ContractCheck[]) {
    super(
      `Contract failed: ${checks
        .filter((c) => !c.passed)
        .map((c) => `${c.name} (expected ${c.expected}, got ${c.actual})`)
        .join('; ')}`,
    );
  }
}

/** A short, safe reason: contract failures name their checks; database errors their code only. */
export function failureReason(error: unknown): string {
  if (error instanceof ContractViolation) return error.message.slice(0, 2000);
  const driver =
    (error as { driverError?: { code?: string; constraint?: string } })?.driverError ??
    (error as { code?: string; constraint?: string });
  if (driver && typeof driver.code === 'string' && /^[0-9A-Z]{5}$/.test(driver.code)) {
    const constraint = driver.constraint ? `, constraint ${driver.constraint}` : '';
    return `Database write failed (SQLSTATE ${driver.code}${constraint}); no rows were kept`;
  }
  return `Generation failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 2000);
}

/**
 * The life of every generation run: the record is created (RUNNING) and committed first; then
 * `write` generates and writes every row inside one transaction and returns the outcome; a failed
 * contract or any error rolls all rows back and leaves the run FAILED with its reason, otherwise
 * the run becomes SUCCEEDED in the same transaction as its rows.
 */
export async function executeRun(
  db: Database,
  run: NewRun,
  write: (manager: EntityManager, runId: string) => Promise<RunOutcome>,
  /** What the run's text writer did, stored whether the run succeeds or fails. */
  report: () => WriterReport | null = () => null,
): Promise<GenerationRun> {
  const created = await createRun(db, run);
  let checks: ContractCheck[] = [];
  try {
    await db.dataSource.transaction(async (manager) => {
      const outcome = await write(manager, created.id);
      checks = outcome.contract;
      if (checks.some((c) => !c.passed)) throw new ContractViolation(checks);
      await completeRun(manager, created.id, created.startedAt, outcome, report());
    });
  } catch (error) {
    await failRun(db, created.id, created.startedAt, failureReason(error), checks, report());
  }
  return loadRun(db, created.id);
}
