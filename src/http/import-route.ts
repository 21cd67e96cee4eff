import { randomUUID } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Request, Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { QueryFailedError } from 'typeorm';
import type { Database } from '../db/data-source';
import type { ErrorLogger } from '../errors';
import { ImportRefusal, importNdjson } from '../export/run-import';

/** The longest line an import reads: a run line with every API review it was given fits well inside. */
export const IMPORT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** An upload over the import's bounds (HTTP 413): nothing was written, the server goes on. */
export class ImportTooLarge extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

/**
 * A stream's lines (an upload, a file), gunzipped first when it is gzip, never holding more than
 * one line of at most `maxLineBytes` nor reading more than `maxBytes` in all (decompressed): a
 * megabyte of gzip that inflates to a gigabyte-long line is refused, not buffered.
 */
export async function* ndjsonLines(
  input: Readable,
  gzip: boolean,
  maxBytes: number,
  maxLineBytes = IMPORT_MAX_LINE_BYTES,
): AsyncGenerator<string> {
  // Read through a stream of our own: leaving a for-await early destroys the stream it reads, and
  // the upload itself must stay open for the answer (the route drains or closes it).
  const source = input.pipe(gzip ? createGunzip() : new PassThrough());
  // pipe() does not pass the upload's own errors on.
  input.once('error', (error) => source.destroy(error));
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let line = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new ImportTooLarge(`the import is over ${maxBytes} bytes (MOCKFORGE_IMPORT_MAX_BYTES)`, null);
      }
      let start = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
        pending.push(chunk.subarray(start, nl));
        line++;
        yield lineText(pending);
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > maxLineBytes) {
          throw new ImportTooLarge(`line ${line + 1} is longer than ${maxLineBytes} bytes`, line + 1);
        }
      }
    }
    if (pendingBytes > 0) yield lineText(pending);
  } finally {
    input.unpipe(source);
    source.destroy();
  }
}

function lineText(parts: Buffer[]): string {
  const text = (parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** A refused import as the client sees it: 400 with the line and field at fault, or null for a server fault. */
export function importFailure(
  error: unknown,
): { message: string; line: number | null; field?: string } | null {
  if (error instanceof ImportRefusal) {
    return { message: error.message, line: error.line, ...(error.field ? { field: error.field } : {}) };
  }
  // A value the database refuses (a duplicate id, a constraint) is bad input too: nothing was kept.
  // Its class and constraint are told, never the driver's own text.
  const driver = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } })
    .driverError;
  const code = driver?.code ?? '';
  if (error instanceof QueryFailedError && (code.startsWith('23') || code.startsWith('22'))) {
    const what =
      code === '23505'
        ? 'a row is there twice (duplicate id)'
        : code.startsWith('23')
          ? 'a row breaks a rule'
          : 'a value does not fit its column';
    const constraint = driver?.constraint ? `, constraint ${driver.constraint}` : '';
    return { message: `the database refused the rows: ${what} (SQLSTATE ${code}${constraint})`, line: null };
  }
  if ((error as { code?: string }).code === 'Z_DATA_ERROR') return { message: 'not valid gzip', line: null };
  return null;
}

/**
 * POST /runs/import: an NDJSON export in the body (gzip allowed) re-created as a new run. 201 with
 * the run; 400 with the line at fault for a bad file, nothing written.
 */
export async function importRun(
  db: Database,
  schema: GraphQLSchema,
  req: Request,
  res: Response,
  log: ErrorLogger,
  /** MOCKFORGE_IMPORT_MAX_BYTES: most bytes read, decompressed. */
  maxBytes: number,
): Promise<void> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') {
    res.status(415).json({
      error: {
        code: 'BAD_REQUEST',
        message: `content-encoding ${encoding.slice(0, 40)} is not supported (gzip or none)`,
      },
    });
    return;
  }
  try {
    const run = await importNdjson(db, schema, ndjsonLines(req, encoding === 'gzip', maxBytes));
    res.status(201).json({
      run: {
        id: run.id,
        kind: run.kind,
        scenarioId: run.scenarioId,
        status: run.status,
        fingerprint: run.fingerprint,
        rowCounts: run.rowCounts,
      },
    });
  } catch (error) {
    if (error instanceof ImportTooLarge) {
      // The rest of the upload is not read: the connection closes once this answer is out.
      res.set('connection', 'close');
      res.once('finish', () => req.destroy());
      res
        .status(413)
        .json({ error: { code: 'PAYLOAD_TOO_LARGE', message: error.message, line: error.line } });
      return;
    }
    // Whatever of the upload is still coming is read and dropped, so the client gets the answer.
    req.resume();
    const failure = importFailure(error);
    if (failure) {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', ...failure } });
      return;
    }
    const errorId = randomUUID();
    log(errorId, error);
    res
      .status(500)
      .json({ error: { code: 'INTERNAL_SERVER_ERROR', message: `Import failed (error ${errorId})` } });
  }
}
