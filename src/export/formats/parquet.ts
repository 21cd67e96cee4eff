import type { Writable } from 'node:stream';
import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import {
  getNamedType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLOutputType,
} from 'graphql';
import { apiObject, tablePages, tableShape, type ExportRequest, type TableShape } from '../run-export';
import { writeZip } from './zip-entries';

type FieldSpec = ConstructorParameters<typeof ParquetSchema>[0][string];

/** Rows per row group: small enough that a group of 1536-d embeddings stays a few MB. */
const ROW_GROUP_ROWS = 1000;

/** A field's Parquet column: the GraphQL scalar's natural type, decimals at their stored scale. */
function columnSpec(
  req: ExportRequest,
  shape: TableShape,
  name: string,
  type: GraphQLOutputType,
): { spec: FieldSpec; toValue: (v: unknown) => unknown } {
  const optional = !isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  const named = getNamedType(type);
  const identity = (v: unknown) => v;
  if (isListType(inner)) {
    // Lists of scalars (photos) are repeated columns.
    return { spec: { type: 'UTF8', repeated: true }, toValue: (v) => (v as unknown[]).map(String) };
  }
  if (isObjectType(named) || named.name === 'JSONObject')
    return { spec: { type: 'JSON', optional }, toValue: identity };
  if (isEnumType(named)) return { spec: { type: 'UTF8', optional }, toValue: identity };
  switch (named.name) {
    case 'Int':
      return { spec: { type: 'INT32', optional }, toValue: identity };
    case 'SafeInt':
      return { spec: { type: 'INT64', optional }, toValue: identity };
    case 'Float':
      return { spec: { type: 'DOUBLE', optional }, toValue: identity };
    case 'Boolean':
      return { spec: { type: 'BOOLEAN', optional }, toValue: identity };
    case 'DateTimeISO':
      return { spec: { type: 'TIMESTAMP_MILLIS', optional }, toValue: (v) => new Date(v as string) };
    case 'LocalDate':
      return { spec: { type: 'DATE', optional }, toValue: (v) => new Date(`${v as string}T00:00:00Z`) };
    case 'Decimal': {
      const column = req.db.dataSource.getMetadata(shape.table.entity).findColumnWithPropertyName(name)!;
      const scale = column.scale ?? 0;
      return {
        spec: { type: 'DECIMAL', precision: column.precision ?? 18, scale, optional },
        toValue: (v) => parquetjsDecimal(String(v), scale),
      };
    }
    default:
      return { spec: { type: 'UTF8', optional }, toValue: (v) => String(v) };
  }
}

/** A decimal's unscaled integer ("12.5" at scale 2 → 1250), as Parquet's DECIMAL stores it. */
function unscaled(text: string, scale: number): number {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value = Number(whole + fraction.padEnd(scale, '0').slice(0, scale));
  if (!Number.isSafeInteger(value))
    throw new Error(`decimal ${text} is too large for a Parquet INT64 column`);
  return negative ? -value : value;
}

/**
 * What @dsnp/parquetjs must be given for a DECIMAL so that it stores the exact unscaled integer:
 * it scales the value itself, as `Math.floor(value * 10 ** scale)` — so "19.99" given as 19.99
 * would be stored as 1998 (19.99 × 100 is 1998.9999999999998 in binary floating point), and the
 * unscaled 1999 would be stored as 199900 (scaled twice). Half a unit above the unscaled integer,
 * divided back, floors to exactly that integer whatever the rounding on the way.
 */
function parquetjsDecimal(text: string, scale: number): number {
  return (unscaled(text, scale) + 0.5) / 10 ** scale;
}

/**
 * Parquet: a zip of one Parquet file per table, typed columns (integers, doubles, booleans,
 * timestamps, dates, decimals at their stored precision and scale, enums as strings, objects as
 * JSON, lists and embeddings as repeated columns). Row groups of 1,000 rows stream into the zip.
 */
export async function writeParquetZip(req: ExportRequest, out: Writable): Promise<void> {
  await writeZip(req.run, out, async (add) => {
    for (const table of req.tables) {
      const shape = tableShape(req, table);
      const columns = shape.fields.map((f) => ({ name: f.name, ...columnSpec(req, shape, f.name, f.type) }));
      const fields: Record<string, FieldSpec> = Object.fromEntries(columns.map((c) => [c.name, c.spec]));
      const withVectors = req.embeddings && Boolean(table.vectors);
      if (withVectors) fields.embedding = { type: 'FLOAT', repeated: true };
      // The writer only writes and ends the stream; its type asks for a file stream.
      const entry = add(`${table.name}.parquet`) as unknown as Parameters<typeof ParquetWriter.openStream>[1];
      const writer = await ParquetWriter.openStream(new ParquetSchema(fields), entry, {
        rowGroupSize: ROW_GROUP_ROWS,
      });
      for await (const page of tablePages(req, table)) {
        for (const row of page.rows) {
          const values = apiObject(shape.fields, row);
          const record: Record<string, unknown> = {};
          for (const c of columns) {
            const v = values[c.name];
            record[c.name] = v === null || v === undefined ? (c.spec.repeated ? [] : null) : c.toValue(v);
          }
          if (withVectors) record.embedding = page.vectors.get(row.id)?.vector ?? [];
          await writer.appendRow(record);
        }
      }
      // Writes the footer and ends the entry.
      await writer.close();
    }
  });
}
