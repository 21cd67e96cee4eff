import type { DataSource } from 'typeorm';

/** A scenario run's tables (a dashboard's are members, agents, cost records, daily metrics, conversations, audit logs). */
export const SCENARIO_TABLES = (): [string, string][] =>
  RUN_TABLES.filter(([t]) => !['daily_metrics', 'conversations', 'audit_logs'].includes(t));

/** Every table holding a run's rows, with the column its rows are ordered by. */
export const RUN_TABLES: [string, string][] = [
  ['products', 'id'],
  ['users', 'id'],
  ['transactions', 'id'],
  ['reviews', 'id'],
  ['members', 'id'],
  ['agents', 'id'],
  ['cost_records', 'id'],
  ['daily_metrics', 'id'],
  ['conversations', 'id'],
  ['audit_logs', 'id'],
  ['product_embeddings', 'product_id'],
  ['user_embeddings', 'user_id'],
  ['review_embeddings', 'review_id'],
];

/**
 * md5 over a table's rows of a run, without the run id, as jsonb text (the same whatever order
 * the columns were created in). Vectors compare as text: pgvector's `[x,y]` is real[]'s `{x,y}`.
 */
function digestSql(table: string, key: string): string {
  const row = table.endsWith('_embeddings')
    ? `t.${key}::text || ' ' || t.model || ' ' || translate(t.embedding::text, '[]', '{}')`
    : `(to_jsonb(t) - 'run_id')::text`;
  return `SELECT count(*)::int AS n, md5(coalesce(string_agg(${row}, E'\\n' ORDER BY t.${key}), '')) AS md5
            FROM ${table} t WHERE t.run_id = $1`;
}

type Query = (sql: string, params?: unknown[]) => Promise<{ n: number; md5: string }[]>;

/** "rows md5" per table of a run: two runs (on any databases) hold the same rows exactly when these are equal. */
export async function runDigests(
  query: Query,
  runId: string,
  tables = RUN_TABLES,
): Promise<Record<string, string>> {
  await query(`SET TimeZone = 'UTC'`);
  const out: Record<string, string> = {};
  for (const [table, key] of tables) {
    const [{ n, md5 }] = await query(digestSql(table, key), [runId]);
    out[table] = `${n} ${md5}`;
  }
  return out;
}

/** runDigests on the app's own database, on one connection (so the time zone holds for every statement). */
export function appDigests(
  dataSource: DataSource,
  runId: string,
  tables = RUN_TABLES,
): Promise<Record<string, string>> {
  return dataSource.transaction((m) => runDigests((sql, params) => m.query(sql, params), runId, tables));
}
