import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { apiObject, tablePages, tableShape, type ExportRequest } from '../run-export';

/** Writes a chunk (text, or a record to an object stream), waiting for the client to drain when its buffer is full. */
export async function send(out: Writable, chunk: unknown): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * NDJSON: one JSON object per row, `{"table": …, …fields}`, tables in dependency order, rows by
 * id, values as the GraphQL API shows them (dates as ISO strings, decimals as strings, enum
 * names), and `embedding` (model and vector) on rows that have one when embeddings are asked for.
 */
export async function writeNdjson(req: ExportRequest, out: Writable): Promise<void> {
  for (const table of req.tables) {
    const { fields } = tableShape(req, table);
    for await (const page of tablePages(req, table)) {
      let text = '';
      for (const row of page.rows) {
        const line: Record<string, unknown> = { table: table.name, ...apiObject(fields, row) };
        const vector = page.vectors.get(row.id);
        if (vector) line.embedding = vector;
        text += `${JSON.stringify(line)}\n`;
      }
      await send(out, text);
    }
  }
}
