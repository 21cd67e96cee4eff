import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Reads an exported file with DuckDB — another implementation than the one that wrote it, as a
 * consumer's warehouse or notebook would — and gives its rows with values as DuckDB prints them:
 * decimals as exact text, timestamps and dates as text, lists as arrays.
 */
export async function readWithDuckDb(
  file: Buffer,
  reader: 'read_parquet' | 'read_csv',
): Promise<Record<string, unknown>[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-duckdb-'));
  const at = path.join(dir, reader === 'read_parquet' ? 'file.parquet' : 'file.csv');
  fs.writeFileSync(at, file);
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    const options = reader === 'read_csv' ? ', header = true, all_varchar = true' : '';
    const result = await connection.runAndReadAll(`SELECT * FROM ${reader}('${at}'${options})`);
    const rows = result.getRowObjectsJson() as Record<string, unknown>[];
    connection.closeSync();
    return rows;
  } finally {
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The same decimal, however many trailing zeros: "19.90" and "19.9" compare equal, "1990" does not. */
export const decimalText = (text: string): string =>
  text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;

/** A DuckDB timestamp's text ("2026-11-01 12:34:56.789", maybe "+00") as ISO 8601. */
export const isoOf = (text: string): string =>
  new Date(
    `${text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')}${/[+-]\d\d$|Z$/.test(text) ? '' : 'Z'}`,
  ).toISOString();
