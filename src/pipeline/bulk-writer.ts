// Dates may come from a worker thread (another realm, where instanceof Date is false).
import { types } from 'node:util';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { getPGliteInstance } from 'typeorm-pglite';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { embeddingCopyBinary, embeddingCopySql, type VectorStorageType } from './embedding-copy';

/** Rows per INSERT statement. unnest needs one parameter per column, so only memory bounds this. */
export const DEFAULT_CHUNK_ROWS = 5000;
/** Rows per INSERT on the embedded database: short statements, so reads get the session in between. */
export const EMBEDDED_STATEMENT_ROWS = 1000;

/** Quotes one element of a Postgres array literal. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `{"a","b"}`: how a text[] value travels inside a text[] parameter (unnest would flatten a 2-D array). */
export function toPgArrayLiteral(values: readonly unknown[]): string {
  return `{${values.map(arrayElement).join(',')}}`;
}

interface Carrier {
  /** Element type of the parameter array. */
  paramType: string;
  /** Cast from that element type to the column's type, when they differ. */
  cast: string;
  encode: (value: unknown) => unknown;
}

const passThrough = (value: unknown) => value ?? null;

/** How a column's values travel as one array parameter of an unnest INSERT. */
function carrierFor(column: ColumnMetadata): Carrier {
  const type = String(column.type);
  if (column.isArray) {
    return {
      paramType: 'text',
      cast: `::${type}[]`,
      encode: (v) => (v == null ? null : toPgArrayLiteral(v as unknown[])),
    };
  }
  switch (type) {
    case 'jsonb':
    case 'json':
      return { paramType: 'text', cast: `::${type}`, encode: (v) => (v == null ? null : JSON.stringify(v)) };
    case 'timestamptz':
      return {
        paramType: 'timestamptz',
        cast: '',
        encode: (v) => (types.isDate(v) ? v.toISOString() : (v ?? null)),
      };
    case 'numeric':
      return { paramType: 'numeric', cast: '', encode: (v) => (v == null ? null : String(v)) };
    default:
      return { paramType: type, cast: '', encode: passThrough };
  }
}

/**
 * How rows of one table are written. Postgres gets `COPY … FROM STDIN` (text format), streamed
 * inside the run's transaction; the embedded database gets `COPY … FROM '/dev/blob'`, one blob per
 * statement. Outside a transaction (or for a handful of rows) an unnest INSERT: `INSERT INTO t
 * (a, b) SELECT a, b::jsonb FROM unnest($1::uuid[], $2::text[]) AS u(a, b)`, one parameter per
 * column whatever the row count, so it never approaches the bind-parameter limits.
 */
export interface TableInsert<R> {
  table: string;
  sql: string;
  /** The parameter arrays for a chunk of rows. */
  params(rows: readonly R[]): unknown[][];
  /** `COPY "t" ("a", "b") FROM STDIN`. */
  copySql: string;
  /** Rows as COPY text-format lines (each ends with a newline). */
  copyText(rows: readonly R[]): string;
}

/** A value as COPY's text format writes it: \N for null, backslash escapes for the rest. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text =
    typeof value === 'boolean'
      ? value
        ? 't'
        : 'f'
      : types.isDate(value)
        ? value.toISOString()
        : String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

/** Builds the writers of an entity's rows from its TypeORM metadata (embedded columns included). */
export function entityInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
): TableInsert<T> {
  const meta = manager.connection.getMetadata(entity);
  const columns = meta.columns;
  const carriers = columns.map(carrierFor);
  const names = columns.map((c) => `"${c.databaseName}"`);
  const aliases = columns.map((_, i) => `c${i}`);
  const sql =
    `INSERT INTO "${meta.tableName}" (${names.join(', ')}) ` +
    `SELECT ${aliases.map((a, i) => `${a}${carriers[i].cast}`).join(', ')} ` +
    `FROM unnest(${carriers.map((c, i) => `$${i + 1}::${c.paramType}[]`).join(', ')}) AS u(${aliases.join(', ')})`;
  return {
    table: meta.tableName,
    sql,
    params: (rows) =>
      columns.map((column, i) => rows.map((row) => carriers[i].encode(column.getEntityValue(row)))),
    copySql: `COPY "${meta.tableName}" (${names.join(', ')}) FROM STDIN`,
    copyText: (rows) => {
      let text = '';
      for (const row of rows) {
        for (let i = 0; i < columns.length; i++) {
          if (i) text += '\t';
          text += copyValue(carriers[i].encode(columns[i].getEntityValue(row)));
        }
        text += '\n';
      }
      return text;
    },
  };
}

/** Below this many rows a COPY's setup costs more than it saves. */
const COPY_MIN_ROWS = 200;
/** Rows per piece of a COPY stream (about 100–300 kB of text). */
const COPY_PIECE_ROWS = 500;

/**
 * Runs `use` on a connection to COPY through: the manager's transaction's own (a run written in
 * one transaction), else one taken from the pool for the call (a large run, committed as it goes;
 * on the embedded database taking it waits for the one session like any transaction).
 */
async function withConnection<T>(
  manager: EntityManager,
  use: (connection: unknown) => Promise<T>,
): Promise<T> {
  const own = manager.queryRunner?.isTransactionActive ? manager.queryRunner : null;
  const runner = own ?? manager.connection.createQueryRunner();
  try {
    return await use(await runner.connect());
  } finally {
    if (!own) await runner.release();
  }
}

/** Streams rows into one `COPY … FROM STDIN`: Postgres parses while we encode. */
async function copyStream<R>(client: Client, insert: TableInsert<R>, rows: readonly R[]): Promise<void> {
  const pieces = function* () {
    for (let start = 0; start < rows.length; start += COPY_PIECE_ROWS) {
      yield insert.copyText(rows.slice(start, start + COPY_PIECE_ROWS));
    }
  };
  await pipeline(Readable.from(pieces()), client.query(copyFrom(insert.copySql)));
}

/**
 * Inserts rows (COPY, or unnest INSERTs for a handful of rows or a connection that cannot COPY);
 * returns how many were written. On the embedded database each statement of `chunkRows` rows
 * takes the session on its own, so reads get it in between.
 */
export async function insertChunks<R>(
  manager: EntityManager,
  insert: TableInsert<R>,
  rows: readonly R[],
  chunkRows = DEFAULT_CHUNK_ROWS,
): Promise<number> {
  for (let start = 0; start < rows.length; ) {
    const copied = await (rows.length < COPY_MIN_ROWS
      ? 0
      : withConnection(manager, async (connection) => {
          if (connection instanceof Client) {
            await copyStream(connection, insert, rows.slice(start));
            return rows.length - start;
          }
          if (!(connection instanceof PGlitePool)) return 0;
          const slice = rows.slice(start, start + chunkRows);
          const pglite = await getPGliteInstance();
          const sql = insert.copySql.replace('FROM STDIN', "FROM '/dev/blob'");
          await pglite.query(sql, [], { blob: new Blob([insert.copyText(slice)]) });
          return slice.length;
        }));
    if (copied === 0) {
      const chunk = rows.slice(start, start + chunkRows);
      await manager.query(insert.sql, insert.params(chunk));
      start += chunk.length;
    } else {
      start += copied;
    }
    await yieldToEventLoop();
  }
  return rows.length;
}

/**
 * Lets pending I/O (HTTP requests, timers) run. The embedded database answers without real I/O,
 * so a run's chain of statements would otherwise be one long run of microtasks that starves the
 * server until the run ends.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Convenience: bulk-insert plain entity-shaped rows of one entity. */
export function insertEntities<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
  chunkRows = DEFAULT_CHUNK_ROWS,
): Promise<number> {
  return insertChunks(manager, entityInsert(manager, entity), rows, chunkRows);
}

/**
 * Bulk UPDATE of some columns of existing rows, matched on the primary key, through the same
 * unnest carriers as inserts. Used for values known only after dependent rows were generated
 * (a shopper's totals are counted from the orders written after them).
 */
export async function updateEntities<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
  properties: (keyof T & string)[],
  chunkRows = DEFAULT_CHUNK_ROWS,
): Promise<void> {
  const meta = manager.connection.getMetadata(entity);
  const keys = meta.primaryColumns;
  const columns = properties.map((p) => {
    const column = meta.findColumnWithPropertyPath(p);
    if (!column) throw new Error(`${meta.name} has no column ${p}`);
    return column;
  });
  const all = [...keys, ...columns];
  const carriers = all.map(carrierFor);
  const aliases = all.map((_, i) => `c${i}`);
  const sql =
    `UPDATE "${meta.tableName}" AS t SET ` +
    columns
      .map((c, i) => `"${c.databaseName}" = v.${aliases[keys.length + i]}${carriers[keys.length + i].cast}`)
      .join(', ') +
    ` FROM unnest(${carriers.map((c, i) => `$${i + 1}::${c.paramType}[]`).join(', ')}) AS v(${aliases.join(', ')}) ` +
    `WHERE ${keys.map((k, i) => `t."${k.databaseName}" = v.${aliases[i]}`).join(' AND ')}`;
  for (let start = 0; start < rows.length; start += chunkRows) {
    const chunk = rows.slice(start, start + chunkRows);
    await manager.query(
      sql,
      all.map((column, i) => chunk.map((row) => carriers[i].encode(column.getEntityValue(row)))),
    );
  }
}

export type EmbeddingOwner = 'product' | 'user' | 'review';

/**
 * Rows of `<owner>_embeddings`, 1,000 per statement, as a binary COPY (see embedding-copy); a
 * connection that cannot COPY gets INSERTs whose vectors travel as text, cast to what the
 * migration created: pgvector's `vector` (`[x,y,…]`) or a checked `real[]` (`{x,y,…}`).
 */
export async function insertEmbeddings(
  manager: EntityManager,
  storage: VectorStorageType,
  owner: EmbeddingOwner,
  runId: string,
  ids: readonly string[],
  model: string,
  vectors: readonly number[][],
): Promise<void> {
  const [open, close, cast] = storage === 'pgvector' ? ['[', ']', 'vector'] : ['{', '}', 'real[]'];
  const sql =
    `INSERT INTO ${owner}_embeddings (run_id, ${owner}_id, model, embedding) ` +
    `SELECT $1::uuid, i, $2, e::${cast} FROM unnest($3::uuid[], $4::text[]) AS u(i, e)`;
  for (let start = 0; start < ids.length; start += 1000) {
    const chunk = ids.slice(start, start + 1000);
    const chunkVectors = vectors.slice(start, start + 1000);
    const copied = await withConnection(manager, async (connection) => {
      const payload = () => embeddingCopyBinary(storage, { runId, model, ids: chunk, vectors: chunkVectors });
      if (connection instanceof Client) {
        await pipeline(
          Readable.from([payload()]),
          connection.query(copyFrom(embeddingCopySql(owner, 'STDIN'))),
        );
        return true;
      }
      if (!(connection instanceof PGlitePool)) return false;
      const pglite = await getPGliteInstance();
      await pglite.query(embeddingCopySql(owner, "'/dev/blob'"), [], { blob: new Blob([payload()]) });
      return true;
    });
    if (!copied) {
      const literals = chunkVectors.map((v) => `${open}${v.join(',')}${close}`);
      await manager.query(sql, [runId, model, chunk, literals]);
    }
    await yieldToEventLoop();
  }
}
