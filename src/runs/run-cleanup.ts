import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { Database } from '../db/data-source';
import { markRowsPending, runsWithPendingRows } from './run-record';

/** Every table a run writes, children before parents. */
const RUN_TABLES = [
  'review_embeddings',
  'reviews',
  'transactions',
  'user_embeddings',
  'product_embeddings',
  'users',
  'products',
  'audit_logs',
  'conversations',
  'daily_metrics',
  'cost_records',
  'agents',
  'members',
];

/**
 * Removing a run's rows is retried, each attempt on whatever connection the pool hands out next:
 * after a lost connection (a terminated backend, a restart) the first attempts may meet dead
 * connections the pool has not noticed yet. About 10 s in all before giving up to the sweep.
 */
const cleanupRetry = retry(handleAll, {
  maxAttempts: 6,
  backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 4000 }),
});

/**
 * Removes every row a run wrote, table by table, keeping its run record: what a large run that
 * failed, was cancelled or lost its worker leaves behind (its rows were never visible, since only
 * SUCCEEDED runs' rows are read). Runs written in one transaction never need it. Throws when the
 * database stays unreachable; the caller then marks the run `rows_pending` for the sweep.
 */
export async function removeRunRows(db: Database, runId: string): Promise<void> {
  await cleanupRetry.execute(async () => {
    for (const table of RUN_TABLES) {
      await db.dataSource.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
    }
  });
}

/**
 * Removes a finished run's rows, or — when the database will not let it — marks the run so the
 * periodic sweep does it later. True when the rows are gone now.
 */
export async function removeOrMarkPending(db: Database, runId: string): Promise<boolean> {
  try {
    await removeRunRows(db, runId);
    return true;
  } catch {
    await markRowsPending(db, runId, true).catch(() => undefined);
    return false;
  }
}

/** Removes the rows of every finished run marked `rows_pending`; how many runs were cleared. */
export async function sweepPendingRows(db: Database): Promise<number> {
  let cleared = 0;
  for (const id of await runsWithPendingRows(db)) {
    await removeRunRows(db, id);
    await markRowsPending(db, id, false);
    cleared++;
  }
  return cleared;
}

/**
 * Rows above which a run is written in many short transactions (visible only once it is
 * SUCCEEDED) rather than one: a long transaction would hold the embedded database's only session
 * — and a Postgres connection — for the whole run.
 */
export const ONE_TRANSACTION_MAX_ROWS = 25_000;
