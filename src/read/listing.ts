import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { hydrate } from '../db/hydrate';
import { keysetOf } from './keyset';
import type { ListOrder } from './list-order';
import type { Page, PageRequest } from './pagination';

/** Collects positional parameters (`$1`, `$2`, …) while SQL text is assembled. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A list filter: turns itself into SQL conditions over the table's column names. */
export interface RowFilter {
  conditions(params: SqlParams): string[];
}

/**
 * Only rows of SUCCEEDED runs are ever read: a run still being written (or being cleaned up after
 * a failure) is invisible to every list, lookup and relationship. `alias` is the table's alias.
 */
export function visibleRuns(alias?: string): string {
  return `${alias ? `${alias}.` : ''}run_id IN (SELECT id FROM generation_runs WHERE status = 'SUCCEEDED')`;
}

/** The visibility condition for a table (none for the runs themselves). */
function visibility(meta: EntityMetadata, alias?: string): string[] {
  return meta.tableName === 'generation_runs' ? [] : [visibleRuns(alias)];
}

function tableOf(meta: EntityMetadata): string {
  return `"${meta.tableName}"`;
}

function whereClause(filter: RowFilter | null | undefined, params: SqlParams, extra: string[] = []): string {
  const conditions = [...extra, ...(filter?.conditions(params) ?? [])];
  return conditions.length ? `WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '';
}

/**
 * One page of a top-level list: a single statement (LIMIT first + 1 tells whether more follow),
 * starting after the cursor's position. The total is a separate count that only runs when a
 * client selects `totalCount`.
 */
export async function fetchPage<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  order: ListOrder,
  filter: RowFilter | null | undefined,
  page: PageRequest,
): Promise<Page<T>> {
  const meta = dataSource.getMetadata(entity);
  const keyset = keysetOf(meta, order);
  const after = keyset.decode(page.after);
  const params = new SqlParams();
  const where = whereClause(filter, params, [
    ...visibility(meta),
    ...(after ? [keyset.after(after, (v) => params.add(v))] : []),
  ]);
  const limit = params.add(page.first + 1);
  const rows: ObjectLiteral[] = await dataSource.query(
    `SELECT *, ${keyset.selectKeys} FROM ${tableOf(meta)} ${where} ORDER BY ${keyset.orderBy} LIMIT ${limit}`,
    params.values,
  );
  const shown = rows.slice(0, page.first);
  let total: Promise<number> | undefined;
  return {
    nodes: shown.map((row) => hydrate<T>(dataSource, meta, row)),
    endCursor: shown.length ? keyset.cursorOf(shown[shown.length - 1]) : null,
    hasNextPage: rows.length > page.first,
    totalCount: () => (total ??= countRows(dataSource, meta, filter)),
  };
}

async function countRows(dataSource: DataSource, meta: EntityMetadata, filter: RowFilter | null | undefined) {
  const params = new SqlParams();
  const [{ count }] = await dataSource.query(
    `SELECT count(*)::int AS count FROM ${tableOf(meta)} ${whereClause(filter, params, visibility(meta))}`,
    params.values,
  );
  return Number(count);
}

/** `(a, b) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))` for a batch of composite keys. */
export function keysIn(columns: string[], keys: string[][], params: SqlParams): string {
  const arrays = columns.map((_, i) => `${params.add(keys.map((key) => key[i]))}::uuid[]`);
  return `(${columns.join(', ')}) IN (SELECT * FROM unnest(${arrays.join(', ')}))`;
}

/**
 * Rows whose `columns` equal one of `keys`, for DataLoader batch functions. One statement per batch;
 * results come back grouped by key in key order (an empty list for a key without rows).
 */
export async function fetchByColumns<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  columns: string[],
  keys: string[][],
): Promise<T[][]> {
  const meta = dataSource.getMetadata(entity);
  const params = new SqlParams();
  const rows: ObjectLiteral[] = await dataSource.query(
    `SELECT * FROM ${tableOf(meta)} WHERE ${[keysIn(columns, keys, params), ...visibility(meta)].join(' AND ')}`,
    params.values,
  );
  const byKey = new Map<string, T[]>();
  for (const row of rows) {
    const key = columns.map((c) => row[c]).join('|');
    const list = byKey.get(key) ?? [];
    list.push(hydrate<T>(dataSource, meta, row));
    byKey.set(key, list);
  }
  return keys.map((key) => byKey.get(key.join('|')) ?? []);
}

/**
 * The same page of children for many parents in one statement, e.g. the first 10 reviews of each
 * of 500 products, after the same cursor. Window functions count each parent's rows and number
 * the rows after the cursor; each parent's first row is always returned so that a parent whose
 * requested page is empty still reports its total.
 */
export async function fetchChildPages<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  order: ListOrder,
  parentColumns: string[],
  parentKeys: string[][],
  filter: RowFilter | null | undefined,
  page: PageRequest,
): Promise<Page<T>[]> {
  const meta = dataSource.getMetadata(entity);
  const keyset = keysetOf(meta, order);
  const cursor = keyset.decode(page.after);
  const params = new SqlParams();
  const partition = parentColumns.join(', ');
  const where = whereClause(filter, params, [
    keysIn(parentColumns, parentKeys, params),
    ...visibility(meta, 't'),
  ]);
  const after = cursor ? `(${keyset.after(cursor, (v) => params.add(v))})` : 'TRUE';
  const last = params.add(page.first + 1);
  const rows: ObjectLiteral[] = await dataSource.query(
    `SELECT * FROM (
       SELECT t.*, ${keyset.selectKeys},
              ${after} AS __after,
              count(*) FILTER (WHERE ${after})
                OVER (PARTITION BY ${partition} ORDER BY ${keyset.orderBy} ROWS UNBOUNDED PRECEDING) AS __pos,
              row_number() OVER (PARTITION BY ${partition} ORDER BY ${keyset.orderBy}) AS __rn,
              count(*) OVER (PARTITION BY ${partition}) AS __total
         FROM ${tableOf(meta)} t ${where}
     ) s
     WHERE (__after AND __pos <= ${last}) OR __rn = 1
     ORDER BY ${partition}, __rn`,
    params.values,
  );
  const pages = new Map<string, { rows: ObjectLiteral[]; total: number; hasNextPage: boolean }>();
  for (const row of rows) {
    const key = parentColumns.map((c) => row[c]).join('|');
    const entry = pages.get(key) ?? { rows: [], total: Number(row.__total), hasNextPage: false };
    if (row.__after === true || row.__after === 't') {
      if (Number(row.__pos) > page.first) entry.hasNextPage = true;
      else entry.rows.push(row);
    }
    pages.set(key, entry);
  }
  return parentKeys.map((key) => {
    const entry = pages.get(key.join('|')) ?? { rows: [], total: 0, hasNextPage: false };
    const last = entry.rows[entry.rows.length - 1];
    return {
      nodes: entry.rows.map((row) => hydrate<T>(dataSource, meta, row)),
      endCursor: last ? keyset.cursorOf(last) : null,
      hasNextPage: entry.hasNextPage,
      totalCount: () => Promise.resolve(entry.total),
    };
  });
}
