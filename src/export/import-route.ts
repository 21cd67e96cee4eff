import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Request, Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { QueryFailedError } from 'typeorm';
import type { Database } from '../data-source';
import type { ErrorLogger } from '../errors';
import { ImportRefusal, importNdjson } from './run-import';

/** A stream's lines (an upload, a file), gunzipped first when it is gzip. */
export function ndjsonLines(input: Readable, gzip: boolean): AsyncIterable<string> {
  const lines = createInterface({ input: gzip ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  // The iterator buffers from now on: lines read before the import starts iterating are kept.
  const iterator = lines[Symbol.asyncIterator]();
  return { [Symbol.asyncIterator]: () => iterator };
}

/** A refused import as the client sees it: 400 with the line at fault, or null for a server fault. */
export function importFailure(error: unknown): { message: string; line: number | null } | null {
  if (error instanceof ImportRefusal) return { message: error.message, line: error.line };
  // A value the database refuses (a constraint, a duplicate id) is bad input too: nothing was kept.
  const driver = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } })
    .driverError;
  if (error instanceof QueryFailedError && driver?.code?.startsWith('23')) {
    const constraint = driver.constraint ? ` (constraint ${driver.constraint})` : '';
    return { message: `the database refused a row${constraint}: ${error.message}`, line: null };
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
): Promise<void> {
  try {
    const gzip = req.headers['content-encoding'] === 'gzip';
    const run = await importNdjson(db, schema, ndjsonLines(req, gzip));
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
