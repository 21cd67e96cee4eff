import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Request, Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Database } from '../data-source';
import type { ErrorLogger } from '../errors';
import { loadRun } from '../pipeline/run-record';
import {
  checkExportable,
  EXPORT_FORMATS,
  ExportRefusal,
  exportTables,
  writeNdjson,
  type ExportFormat,
} from './run-export';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /runs/{id}/export?format=ndjson[&tables=products,reviews]: the run's rows streamed, gzip
 * when the client accepts it. 404 for an unknown run, 409 for one that has not SUCCEEDED, 400 for
 * a bad format or table — as JSON `{ error: { code, message } }`.
 */
export async function exportRun(
  db: Database,
  schema: GraphQLSchema,
  req: Request,
  res: Response,
  log: ErrorLogger,
): Promise<void> {
  try {
    const format = String(req.query.format ?? 'ndjson');
    if (!EXPORT_FORMATS.includes(format as ExportFormat)) {
      throw new ExportRefusal(
        400,
        'BAD_USER_INPUT',
        `Unknown format ${format}; formats: ${EXPORT_FORMATS.join(', ')}`,
      );
    }
    const id = String(req.params.id);
    const run = checkExportable(UUID.test(id) ? await loadRun(db, id) : null, id);
    const tables = exportTables(run, typeof req.query.tables === 'string' ? req.query.tables : undefined);
    res.status(200);
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="mockforge-run-${run.id}.ndjson"`);
    let out: Writable = res;
    if (req.acceptsEncodings('gzip') === 'gzip') {
      res.setHeader('content-encoding', 'gzip');
      const gzip = createGzip();
      gzip.pipe(res);
      out = gzip;
    }
    await writeNdjson(db, schema, run, tables, out);
    out.end();
  } catch (error) {
    if (error instanceof ExportRefusal) {
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const errorId = randomUUID();
    log(errorId, error);
    // Once rows went out the status is sent: cut the stream so the client sees it incomplete.
    if (res.headersSent) res.destroy();
    else
      res
        .status(500)
        .json({ error: { code: 'INTERNAL_SERVER_ERROR', message: `Export failed (error ${errorId})` } });
  }
}
