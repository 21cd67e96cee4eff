import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { consoleLogger, RunFailure, type ErrorLogger } from '../errors';
import { logger } from '../log';
import type { GenerationRun } from '../../entities';
import type { ContractCheck } from '../../entities/contract-check';
import type { Database } from '../db/data-source';
import type { WriterReport } from '../llm/text-writer';
import { FINISHED_STATUSES, RunStatus } from '../../entities/enums';
import { checkCancelled, NO_CONTROL, RunCancelled, type RunControl } from '../pipeline/run-control';
import { withHeartbeat } from './heartbeat';
import { removeOrMarkPending, removeRunRows } from './run-cleanup';
import { completeRun, endRun, loadRun, markRunning, type RunOutcome } from './run-record';

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

/** SQLSTATE classes, described for people (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const SQLSTATE_CLASSES: Record<string, string> = {
  '08': 'the database connection failed',
  '22': 'the database refused a value',
  '23': 'a database constraint was violated',
  '25': 'the transaction was in an invalid state',
  '40': 'the database rolled the transaction back (deadlock or serialization failure)',
  '53': 'the database ran out of resources',
  '54': 'a database limit was exceeded',
  '57': 'the database cancelled the work or shut down',
  '58': 'the database had a system error',
};

/** Node's codes for a connection that broke under the driver. */
const CONNECTION_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH']);

interface DriverErrorShape {
  code?: unknown;
  severity?: unknown;
  constraint?: unknown;
  syscall?: unknown;
}

function driverError(error: unknown): DriverErrorShape | null {
  const e = (error as { driverError?: DriverErrorShape })?.driverError ?? error;
  return e && typeof e === 'object' ? (e as DriverErrorShape) : null;
}

/**
 * A short reason that is safe to store on the run and show to clients: contract failures name
 * their checks, known failures say what happened, database errors their SQLSTATE class and
 * constraint. Anything else is logged with an id and reported by that id only, so no driver,
 * library or provider text reaches `run.error`.
 */
export function failureReason(error: unknown, log: ErrorLogger = consoleLogger): string {
  if (error instanceof ContractViolation) return error.message.slice(0, 2000);
  if (error instanceof RunFailure)
    return `Generation failed: ${error.message}; no rows were kept`.slice(0, 2000);
  const driver = driverError(error);
  const code = typeof driver?.code === 'string' ? driver.code : null;
  // A SQLSTATE comes with a severity; Node's own error codes (EPIPE…) do not.
  if (code && /^[0-9A-Z]{5}$/.test(code) && typeof driver?.severity === 'string') {
    const what = SQLSTATE_CLASSES[code.slice(0, 2)] ?? 'the database refused the write';
    const constraint = typeof driver.constraint === 'string' ? `, constraint ${driver.constraint}` : '';
    return `Database write failed: ${what} (SQLSTATE ${code}${constraint}); no rows were kept`;
  }
  if (
    (code && CONNECTION_CODES.has(code)) ||
    /Connection terminated/i.test(String((error as Error)?.message))
  ) {
    return 'Database write failed: the connection to the database was lost; no rows were kept';
  }
  const errorId = randomUUID();
  log(errorId, error);
  return `Generation failed unexpectedly (error ${errorId}, logged by the server); no rows were kept`;
}

/** How a run's rows reach the database. */
export interface WriteMode {
  /** Every row in one transaction that also marks the run SUCCEEDED (nothing to clean up). */
  oneTransaction: boolean;
  /**
   * Rows were committed before this transaction or as it goes (large runs, a run's shards):
   * a failure or cancel removes them.
   */
  committedRows: boolean;
}

export const ONE_TRANSACTION: WriteMode = { oneTransaction: true, committedRows: false };
export const COMMITTED_AS_IT_GOES: WriteMode = { oneTransaction: false, committedRows: true };

/** A claimed run: when it started this time and how many times it has been claimed. */
export interface ClaimedRun {
  startedAt: Date;
  attempts: number;
}

/**
 * Claims a queued run for this worker (QUEUED → RUNNING). Null when there is nothing to run: it
 * finished, was deleted, or was cancelled — then it is ended CANCELLED here.
 */
export async function claimRun(db: Database, runId: string): Promise<ClaimedRun | null> {
  const claimed = await markRunning(db, runId);
  if (claimed) return claimed;
  const run = await loadRun(db, runId);
  if (run && !FINISHED_STATUSES.includes(run.status) && run.cancelRequested) {
    await endRun(db, runId, RunStatus.CANCELLED, null, CANCELLED_REASON);
  }
  return null;
}

/**
 * Runs one queued run in this process: claims it (see claimRun), generates and writes every row
 * through `write`, and ends it. A run that fits one transaction writes inside it and becomes
 * SUCCEEDED in the same transaction as its rows; a failed contract or any error rolls everything
 * back (FAILED, with its reason), a cancel too (CANCELLED). A larger run commits as it goes — its
 * rows stay invisible, since only SUCCEEDED runs' rows are ever read — and on failure or cancel
 * its rows are removed; a retry after a crash removes the crashed attempt's rows first.
 */
export async function executeRun(
  db: Database,
  runId: string,
  write: (manager: EntityManager, runId: string, control: RunControl) => Promise<RunOutcome>,
  /** What the run's text writer did, stored whether the run succeeds or fails. */
  report: () => WriterReport | null = () => null,
  control: RunControl = NO_CONTROL,
  mode: WriteMode = ONE_TRANSACTION,
): Promise<GenerationRun | null> {
  const claimed = await claimRun(db, runId);
  if (!claimed) return loadRun(db, runId);
  return withHeartbeat(db, runId, async () => {
    if (mode.committedRows && claimed.attempts > 1) await removeRunRows(db, runId);
    return runClaimed(db, runId, claimed, write, report, control, mode);
  });
}

/** The part of executeRun after the claim: write, check, end (also how a fanned-out run finishes). */
export async function runClaimed(
  db: Database,
  runId: string,
  claimed: ClaimedRun,
  write: (manager: EntityManager, runId: string, control: RunControl) => Promise<RunOutcome>,
  report: () => WriterReport | null,
  control: RunControl,
  mode: WriteMode,
): Promise<GenerationRun | null> {
  let checks: ContractCheck[] = [];
  const body = async (manager: EntityManager) => {
    const outcome = await write(manager, runId, control);
    checkCancelled(control.signal);
    control.progress.phase('committing');
    checks = outcome.contract;
    if (checks.some((c) => !c.passed)) throw new ContractViolation(checks);
    await completeRun(manager, runId, claimed.startedAt, outcome, report());
  };
  try {
    if (mode.oneTransaction) await db.dataSource.transaction(body);
    else await body(db.dataSource.manager);
  } catch (error) {
    // On a fresh connection, retried (the run's own may be what failed); if the database will not
    // let it, the run is marked and the periodic sweep removes them — and the reason says so.
    const kept = mode.committedRows ? !(await removeOrMarkPending(db, runId)) : false;
    if (error instanceof RunCancelled || control.signal.aborted) {
      await endRun(
        db,
        runId,
        RunStatus.CANCELLED,
        claimed.startedAt,
        rowsSaid(CANCELLED_REASON, kept),
        [],
        report(),
      );
    } else {
      const reason = rowsSaid(failureReason(error), kept);
      // One line per failed run: its reason carries the error id of an unexpected error's own line.
      logger.warn(
        { runId, reason, failedChecks: checks.filter((c) => !c.passed).map((c) => c.name) },
        'run failed',
      );
      await endRun(db, runId, RunStatus.FAILED, claimed.startedAt, reason, checks, report());
    }
  }
  return loadRun(db, runId);
}

export const CANCELLED_REASON = 'Cancelled; no rows were kept';

/**
 * A reason that is true about the run's rows: "no rows were kept" only once they are gone; while
 * the sweep has still to remove them, it says that instead.
 */
export function rowsSaid(reason: string, rowsStillThere: boolean): string {
  return rowsStillThere
    ? reason.replace(/no rows were kept$/, 'its partial rows are being removed (they are never visible)')
    : reason;
}
