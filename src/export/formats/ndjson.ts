import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { EXPORT_TABLES, apiObject, tablePages, tableShape, type ExportRequest } from '../run-export';
import { send } from './send';

/** What the first line of an NDJSON export says about its run (what an import re-creates it from). */
export function runHeader(req: ExportRequest): Record<string, unknown> {
  const { run } = req;
  return {
    table: 'run',
    id: run.id,
    kind: run.kind,
    scenarioId: run.scenarioId,
    baseScenarioId: run.baseScenarioId,
    seed: run.seed,
    asOf: run.asOf.toISOString(),
    generatorVersion: run.generatorVersion,
    fingerprint: run.fingerprint,
    rowCounts: run.rowCounts,
    input: run.input,
    request: run.request,
    textReport: run.textReport,
    costEstimate: run.costEstimate,
    // Only a whole export (every table, vectors included when the run has them) re-creates a run.
    complete: req.tables.length === EXPORT_TABLES[run.kind].length && req.embeddings === req.runHasEmbeddings,
  };
}

/** sha256 over the row lines of an export, as written: the end line's proof that nothing changed. */
export class RowsDigest {
  private readonly hash = createHash('sha256');
  rows = 0;
  add(line: string): void {
    this.hash.update(line).update('\n');
    this.rows++;
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * NDJSON: a `{"table":"run",…}` line describing the run, then one JSON object per row,
 * `{"table": …, …fields}`, tables in dependency order, rows by id, values as the GraphQL API shows
 * them (dates as ISO strings, decimals as strings, enum names) and `embedding` (model and vector)
 * on rows that have one unless left out; last a `{"table":"end","rows":N,"digest":…}` line whose
 * sha256 over the row lines lets an import prove it got every row unchanged.
 */
export async function writeNdjson(req: ExportRequest, out: Writable): Promise<void> {
  await send(out, `${JSON.stringify(runHeader(req))}\n`);
  const digest = new RowsDigest();
  for (const table of req.tables) {
    const { fields } = tableShape(req, table);
    for await (const page of tablePages(req, table)) {
      let text = '';
      for (const row of page.rows) {
        const line: Record<string, unknown> = { table: table.name, ...apiObject(fields, row) };
        const vector = page.vectors.get(row.id);
        if (vector) line.embedding = vector;
        const json = JSON.stringify(line);
        digest.add(json);
        text += `${json}\n`;
      }
      await send(out, text);
    }
  }
  await send(out, `${JSON.stringify({ table: 'end', rows: digest.rows, digest: digest.digest() })}\n`);
}
