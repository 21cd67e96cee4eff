import type { Database } from '../../src/db/data-source';

/** A hash of a table's stored rows of a run, without the run id: equal exactly when the rows are. */
export async function storedRows(db: Database, table: string, runId: string): Promise<string> {
  const [row] = await db.dataSource.query(
    `SELECT count(*)::int AS n, md5(string_agg((to_jsonb(t) - 'run_id')::text, E'\\n' ORDER BY t.id)) AS h
       FROM ${table} t WHERE t.run_id = $1`,
    [runId],
  );
  return `${row.n}:${row.h}`;
}
