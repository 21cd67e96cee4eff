import { createHash } from 'node:crypto';
import type { Database } from '../db/data-source';
import { canonicalJson } from '../canonical-json';
import { BadUserInputError, QueueUnavailableApiError } from '../errors';
import type { DashboardRequest } from '../pipeline/dashboard/dashboard-request';
import type { ScenarioRequest } from '../pipeline/scenario/scenario-request';
import { QueueUnavailableError, type JobEngine } from './queue/engine';
import { createRun, deleteQueuedRun, runOfKey, type NewRun } from './run-record';

/**
 * Creates a run (QUEUED, with its request) and queues it; returns its id and whether this call
 * made it. With an idempotency key, the run already made with that key and the same input is
 * returned instead (BAD_USER_INPUT when the input differs). A run the queue will not take is
 * removed again: nothing is kept, and the client may simply try again.
 */
export async function queueRun(
  db: Database,
  engine: JobEngine,
  run: Omit<NewRun, 'request'>,
  request: ScenarioRequest | DashboardRequest,
  key: string | null,
): Promise<{ id: string; made: boolean }> {
  const inputHash = createHash('sha256')
    .update(canonicalJson({ kind: run.kind, input: run.input }))
    .digest('hex');
  const existing = key ? await runOfSameInput(db, key, inputHash) : null;
  if (existing) return { id: existing, made: false };
  let id: string;
  try {
    ({ id } = await createRun(db, {
      ...run,
      request: JSON.parse(JSON.stringify(request)),
      idempotencyKey: key,
      inputHash,
    }));
  } catch (error) {
    // The same key, submitted twice at once: the other submission made the run.
    const other = key ? await runOfSameInput(db, key, inputHash) : null;
    if (!other) throw error;
    return { id: other, made: false };
  }
  try {
    await engine.add(id);
  } catch (error) {
    await deleteQueuedRun(db, id);
    if (error instanceof QueueUnavailableError) {
      throw new QueueUnavailableApiError(
        `The job queue is unreachable (${engine.name}); nothing was started: try again later`,
      );
    }
    throw error;
  }
  return { id, made: true };
}

/** The run of an idempotency key, if any; BAD_USER_INPUT when it was made from another input. */
async function runOfSameInput(db: Database, key: string, inputHash: string): Promise<string | null> {
  const made = await runOfKey(db, key);
  if (!made) return null;
  if (made.inputHash !== inputHash) {
    throw new BadUserInputError(
      'This idempotencyKey was already used with a different input; use a new key for a new run',
      'input.idempotencyKey',
    );
  }
  return made.id;
}
