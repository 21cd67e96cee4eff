import type { Database } from '../data-source';

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
 * Removes every row a run wrote, table by table, keeping its run record: what a large run that
 * failed, was cancelled or lost its worker leaves behind (its rows were never visible, since only
 * SUCCEEDED runs' rows are read). Runs written in one transaction never need it.
 */
export async function removeRunRows(db: Database, runId: string): Promise<void> {
  for (const table of RUN_TABLES) {
    await db.dataSource.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
  }
}

/**
 * Rows above which a run is written in many short transactions (visible only once it is
 * SUCCEEDED) rather than one: a long transaction would hold the embedded database's only session
 * — and a Postgres connection — for the whole run.
 */
export const ONE_TRANSACTION_MAX_ROWS = 25_000;
