import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { apiObject, tablePages, tableShape, type ExportRequest } from '../run-export';
import { send } from './send';
import { closeEntry, writeZip } from './zip-entries';

/** A value in a CSV cell: lists and objects as JSON, null as an empty cell. */
function cell(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : value;
}

/**
 * CSV: a zip of one RFC 4180 file per table (`products.csv`, …): a header row of the API's field
 * names, values as the API shows them (ISO dates, decimals as written), lists and objects as JSON,
 * and an `embedding` column (a JSON array) on tables with vectors unless embeddings are left out.
 */
export async function writeCsvZip(req: ExportRequest, out: Writable): Promise<void> {
  await writeZip(req.run, out, async (add) => {
    for (const table of req.tables) {
      const { fields } = tableShape(req, table);
      const columns = fields.map((f) => f.name);
      const withVectors = req.embeddings && Boolean(table.vectors);
      if (withVectors) columns.push('embedding');
      const csv = stringify({
        header: true,
        columns,
        record_delimiter: 'windows',
        cast: { boolean: String },
      });
      csv.pipe(add(`${table.name}.csv`));
      for await (const page of tablePages(req, table)) {
        for (const row of page.rows) {
          const values = apiObject(fields, row);
          const record = fields.map((f) => cell(values[f.name]));
          if (withVectors) record.push(cell(page.vectors.get(row.id)?.vector));
          await send(csv, record);
        }
      }
      await closeEntry(csv);
    }
  });
}
