import type { Writable } from 'node:stream';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm';
import { entityInsert } from '../../pipeline/bulk-writer';
import { tablePages, vectorPages, type ExportRequest, type ExportTable } from '../run-export';
import { send } from './send';

/** A column's SQL type as the migration declares it (numeric precision, arrays). */
function columnType(column: ColumnMetadata): string {
  let type = String(column.type);
  if (type === 'numeric' && column.precision) type += `(${column.precision},${column.scale ?? 0})`;
  return column.isArray ? `${type}[]` : type;
}

const quote = (name: string) => `"${name}"`;

/**
 * `CREATE TABLE IF NOT EXISTS` for a table: its columns, NOT NULLs, primary key, and foreign keys
 * to tables in the same export (a table exported alone loads without its parents).
 */
function tableDdl(meta: EntityMetadata, exported: Set<string>): string {
  const lines = meta.columns.map(
    (c) => `  ${quote(c.databaseName)} ${columnType(c)}${c.isNullable ? '' : ' NOT NULL'}`,
  );
  lines.push(`  PRIMARY KEY (${meta.primaryColumns.map((c) => quote(c.databaseName)).join(', ')})`);
  for (const fk of meta.foreignKeys) {
    const parent = fk.referencedEntityMetadata.tableName;
    if (!exported.has(parent)) continue;
    lines.push(
      `  FOREIGN KEY (${fk.columnNames.map(quote).join(', ')}) REFERENCES ${quote(parent)} (${fk.referencedColumnNames.map(quote).join(', ')})`,
    );
  }
  return `CREATE TABLE IF NOT EXISTS ${quote(meta.tableName)} (\n${lines.join(',\n')}\n);\n`;
}

/** The embeddings table of an owner, as a plain real[] column (loads where pgvector is absent). */
function vectorDdl(owner: string, ownerTable: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS "${owner}_embeddings" (\n` +
    `  "run_id" uuid NOT NULL,\n  "${owner}_id" uuid NOT NULL,\n  "model" text NOT NULL,\n  "embedding" real[] NOT NULL,\n` +
    `  PRIMARY KEY ("run_id", "${owner}_id"),\n` +
    `  FOREIGN KEY ("run_id", "${owner}_id") REFERENCES "${ownerTable}" ("run_id", "id")\n);\n`
  );
}

/** One line of COPY text: tab-separated, escaped as COPY's text format wants. */
const copyLine = (values: string[]) => `${values.join('\t')}\n`;

/**
 * SQL: a script `psql` loads into an empty database (or one holding other exports: rows keep
 * their run id) — `CREATE TABLE IF NOT EXISTS` for the exported tables, then one `COPY … FROM
 * stdin` block per table, all in one transaction. Values are written exactly as stored (COPY's
 * text format, the same encoder the writer uses); embeddings go to `<owner>_embeddings` tables.
 */
export async function writeSql(req: ExportRequest, out: Writable): Promise<void> {
  const manager = req.db.dataSource.manager;
  const metas = req.tables.map((t) => req.db.dataSource.getMetadata(t.entity));
  const exported = new Set(metas.map((m) => m.tableName));
  const { run } = req;
  let head =
    `-- MockForge run ${run.id}: ${run.kind.toLowerCase()} ${run.scenarioId ?? ''}, seed ${run.seed}, ` +
    `as of ${run.asOf.toISOString().slice(0, 10)}, ${run.generatorVersion}, fingerprint ${run.fingerprint}\n` +
    `-- Load with: psql -v ON_ERROR_STOP=1 -f <this file> <database>\n` +
    `SET client_encoding = 'UTF8';\nBEGIN;\n\n`;
  req.tables.forEach((table, i) => {
    head += tableDdl(metas[i], exported);
    if (hasVectors(req, table)) head += vectorDdl(table.vectors!, metas[i].tableName);
  });
  await send(out, head);
  for (const table of req.tables) {
    const insert = entityInsert(manager, table.entity);
    await send(out, `\n${insert.copySql.replace(/FROM STDIN$/, 'FROM stdin')};\n`);
    for await (const page of tablePages({ ...req, embeddings: false }, table)) {
      await send(out, insert.copyText(page.rows));
    }
    await send(out, '\\.\n');
    if (!hasVectors(req, table)) continue;
    const owner = table.vectors!;
    await send(
      out,
      `\nCOPY "${owner}_embeddings" ("run_id", "${owner}_id", "model", "embedding") FROM stdin;\n`,
    );
    for await (const page of vectorPages(req, owner)) {
      await send(out, page.map((v) => copyLine([run.id, v.id, v.model, `{${v.vector.join(',')}}`])).join(''));
    }
    await send(out, '\\.\n');
  }
  await send(out, '\nCOMMIT;\n');
}

const hasVectors = (req: ExportRequest, table: ExportTable) => req.embeddings && Boolean(table.vectors);
