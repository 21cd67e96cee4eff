import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Request, Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Database } from '../db/data-source';
import type { ErrorLogger } from '../errors';
import { loadRun } from '../runs/run-record';
import { RunKind } from '../../entities/enums';
import { writeCsvZip } from '../export/formats/csv';
import { writeNdjson } from '../export/formats/ndjson';
import { writeParquetZip } from '../export/formats/parquet';
import { writeSql } from '../export/formats/sql';
import { writeSurveySensei } from '../export/formats/survey-sensei';
import {
  checkExportable,
  ExportRefusal,
  exportFormat,
  exportTables,
  hasEmbeddings,
  type ExportFormat,
  type ExportRequest,
} from '../export/run-export';

/** How each format travels: its media type, file extension, whether gzip helps, and its writer. */
const FORMATS: Record<
  ExportFormat,
  { type: string; ext: string; text: boolean; write: (req: ExportRequest, out: Writable) => Promise<void> }
> = {
  ndjson: { type: 'application/x-ndjson; charset=utf-8', ext: 'ndjson', text: true, write: writeNdjson },
  csv: { type: 'application/zip', ext: 'csv.zip', text: false, write: writeCsvZip },
  sql: { type: 'application/sql; charset=utf-8', ext: 'sql', text: true, write: writeSql },
  parquet: { type: 'application/zip', ext: 'parquet.zip', text: false, write: writeParquetZip },
  'survey-sensei': {
    type: 'application/sql; charset=utf-8',
    ext: 'survey-sensei.sql',
    text: true,
    write: writeSurveySensei,
  },
};

/** The export a request asks for, checked: run, format, tables, embeddings. */
export async function exportRequest(
  db: Database,
  schema: GraphQLSchema,
  run: ExportRequest['run'],
  query: { format?: string; tables?: string; embeddings?: string },
): Promise<{ format: ExportFormat; req: ExportRequest }> {
  const format = exportFormat(query.format);
  if (format === 'survey-sensei' && run.kind !== RunKind.SCENARIO) {
    throw new ExportRefusal(400, 'BAD_USER_INPUT', 'Only a scenario run exports to the Survey Sensei schema');
  }
  if (format === 'survey-sensei' && query.tables) {
    throw new ExportRefusal(400, 'BAD_USER_INPUT', 'The Survey Sensei export always has its four tables');
  }
  if (query.embeddings !== undefined && !['true', 'false'].includes(query.embeddings)) {
    throw new ExportRefusal(
      400,
      'BAD_USER_INPUT',
      `embeddings must be true or false, not ${query.embeddings}`,
    );
  }
  const tables = exportTables(run, query.tables);
  // A run made without embeddings exports no embedding columns or tables at all.
  const runHasEmbeddings = await hasEmbeddings(db, run.id);
  const embeddings = query.embeddings !== 'false' && runHasEmbeddings;
  return { format, req: { db, schema, run, tables, embeddings, runHasEmbeddings } };
}

/** Writes an export to a stream (the CLI writes files with it). */
export function writeExport(format: ExportFormat, req: ExportRequest, out: Writable): Promise<void> {
  return FORMATS[format].write(req, out);
}

/** The file name an export is saved under. */
export const exportFileName = (format: ExportFormat, runId: string) =>
  `mockforge-run-${runId}.${FORMATS[format].ext}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /runs/{id}/export?format=ndjson|csv|sql|parquet|survey-sensei[&tables=products,reviews]
 * [&embeddings=false]: the run's rows streamed, text formats gzipped when the client accepts it.
 * 404 for an unknown run, 409 for one that has not SUCCEEDED, 400 for
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
    const id = String(req.params.id);
    const run = checkExportable(UUID.test(id) ? await loadRun(db, id) : null, id);
    const query = (name: string) => {
      const value = req.query[name];
      if (value === undefined || typeof value === 'string') return value;
      // format=csv&format=sql, tables[]=… or tables[a]=…: refused rather than half-read.
      throw new ExportRefusal(400, 'BAD_USER_INPUT', `${name} must be given once, as text (e.g. ${name}=…)`);
    };
    const unknown = Object.keys(req.query).filter((k) => !['format', 'tables', 'embeddings'].includes(k));
    if (unknown.length) {
      throw new ExportRefusal(
        400,
        'BAD_USER_INPUT',
        `unknown parameter ${unknown[0]} (format, tables, embeddings)`,
      );
    }
    const { format, req: request } = await exportRequest(db, schema, run, {
      format: query('format'),
      tables: query('tables'),
      embeddings: query('embeddings'),
    });
    res.status(200);
    res.setHeader('content-type', FORMATS[format].type);
    res.setHeader('content-disposition', `attachment; filename="${exportFileName(format, run.id)}"`);
    let out: Writable = res;
    if (FORMATS[format].text && req.acceptsEncodings('gzip') === 'gzip') {
      res.setHeader('content-encoding', 'gzip');
      const gzip = createGzip();
      gzip.pipe(res);
      out = gzip;
    }
    await writeExport(format, request, out);
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
