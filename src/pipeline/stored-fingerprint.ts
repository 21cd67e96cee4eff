import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import {
  Agent,
  AuditLog,
  Conversation,
  CostRecord,
  DailyMetric,
  Member,
  Product,
  Review,
  Transaction,
  User,
} from '../../entities';
import { RunKind } from '../../entities/enums';

/**
 * A run's fingerprint: sha256 over its stored rows — every table of its data, embeddings included —
 * computed by SQL from what the database holds, so anything that holds the same rows (the run
 * itself, an import of its export, the same run on the other database) gives the same one, and
 * rows that differ in any value or vector give another. Each table's rows are hashed one by one
 * (md5 of the row's text) in id order and the table digest is sha256 over those; the run's is
 * sha256 over `table:count:digest` lines of its non-empty tables. What would make the text depend
 * on the session is pinned: timestamps are written as epoch seconds, vectors hashed as float4 bits (the
 * same for pgvector and real[]), and a reference to the run itself (a cost record's pricedRunId)
 * reads "run" — the run id is not part of its rows.
 */

type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

interface FingerprintTable {
  table: string;
  /** The row's text, from the table alias `t`. */
  row: string;
  key: string;
}

/**
 * The tables a run's fingerprint covers. A scenario's pipeline cost records are left out: they
 * record what this run was billed (a replay from the LLM cache is billed nothing and has none), not
 * data the input generates — the fingerprint identifies the data, so a cached replay shares it.
 * A dashboard's cost records are generated data and are covered.
 */
const ENTITIES = {
  [RunKind.SCENARIO]: [Product, User, Transaction, Review, Member, Agent],
  [RunKind.DASHBOARD]: [Member, Agent, DailyMetric, Conversation, CostRecord, AuditLog],
};

const EMBEDDINGS: Record<RunKind, string[]> = {
  [RunKind.SCENARIO]: ['product', 'user', 'review'],
  [RunKind.DASHBOARD]: [],
};

/** A column's value as text that reads the same in any session, on either database. */
function columnText(column: ColumnMetadata): string {
  const c = `t."${column.databaseName}"`;
  switch (String(column.type)) {
    // Seconds since the epoch and days since 2000: the same text whatever the session's TimeZone
    // and DateStyle, and cheaper to make than a formatted date.
    case 'timestamptz':
      return `extract(epoch FROM ${c})::text`;
    case 'date':
      return `(${c} - date '2000-01-01')::text`;
    case 'uuid':
      return column.databaseName.endsWith('run_id')
        ? `CASE WHEN ${c} = t.run_id THEN 'run' ELSE ${c}::text END`
        : `${c}::text`;
    default:
      return `${c}::text`;
  }
}

const tablesByKind = new WeakMap<DataSource, Map<RunKind, FingerprintTable[]>>();

function entityTable(dataSource: DataSource, entity: (typeof ENTITIES)[RunKind][number]): FingerprintTable {
  const metadata = dataSource.getMetadata(entity);
  const columns = metadata.columns.filter((c) => c.databaseName !== 'run_id');
  return {
    table: metadata.tableName,
    row: `ROW(${columns.map(columnText).join(', ')})::text`,
    key: 't.id',
  };
}

function fingerprintTables(dataSource: DataSource, kind: RunKind): FingerprintTable[] {
  let byKind = tablesByKind.get(dataSource);
  if (!byKind) tablesByKind.set(dataSource, (byKind = new Map()));
  let tables = byKind.get(kind);
  if (tables) return tables;
  tables = [
    ...ENTITIES[kind].map((entity) => entityTable(dataSource, entity)),
    ...EMBEDDINGS[kind].map((owner) => ({
      table: `${owner}_embeddings`,
      row: `t.${owner}_id::text || ' ' || t.model || ' ' || md5(array_send(t.embedding::real[]))`,
      key: `t.${owner}_id`,
    })),
  ];
  byKind.set(kind, tables);
  return tables;
}

/**
 * Each table's `count:digest` of a run's stored rows (the lines its fingerprint hashes), by table;
 * tables without rows are left out. `billing` adds a scenario's pipeline cost records (not part
 * of its fingerprint: see ENTITIES), for goldens that pin what a run was billed too.
 */
export async function storedTableDigests(
  manager: EntityManager | DataSource,
  runId: string,
  kind: RunKind,
  options: { billing?: boolean } = {},
): Promise<Record<string, string>> {
  const dataSource = 'connection' in manager ? manager.connection : manager;
  const query: Query = (sql, params) => manager.query(sql, params);
  const digestOf = async ({ table, row, key }: FingerprintTable): Promise<[string, string] | null> => {
    const [{ n, digest }] = await query(
      `SELECT count(*)::int AS n,
              encode(sha256(coalesce(string_agg(decode(md5(${row}), 'hex'), ''::bytea ORDER BY ${key}), ''::bytea)), 'hex') AS digest
         FROM ${table} t WHERE t.run_id = $1`,
      [runId],
    );
    return Number(n) > 0 ? [table, `${n}:${digest}`] : null;
  };
  const tables = [...fingerprintTables(dataSource, kind)];
  if (options.billing && kind === RunKind.SCENARIO) tables.push(entityTable(dataSource, CostRecord));
  // Inside a transaction one statement at a time; on the pool (rows already committed), every
  // table at once, on connections of its own (the embedded database serializes them anyway).
  const inTransaction = 'queryRunner' in manager && Boolean(manager.queryRunner?.isTransactionActive);
  const lines: ([string, string] | null)[] = [];
  if (inTransaction) for (const t of tables) lines.push(await digestOf(t));
  else lines.push(...(await Promise.all(tables.map(digestOf))));
  return Object.fromEntries(lines.filter((l): l is [string, string] => l !== null).sort());
}

/** The fingerprint of a run's stored rows (see above), through the given connection or transaction. */
export async function storedFingerprint(
  manager: EntityManager | DataSource,
  runId: string,
  kind: RunKind,
): Promise<string> {
  const digests = await storedTableDigests(manager, runId, kind);
  const total = createHash('sha256');
  for (const [table, digest] of Object.entries(digests)) total.update(`${table}:${digest}\n`);
  return total.digest('hex');
}
