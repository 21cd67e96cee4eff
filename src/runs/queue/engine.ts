/**
 * Where queued runs wait and how workers take them: one interface, three engines (an in-process
 * runner for the embedded database, BullMQ on Redis, BullMQ on PostgreSQL). A job names a run and
 * a step: the run row carries the request, status, progress and cancellation.
 */
export interface JobEngine {
  readonly name: QueueBackend;
  /** Whether it can fan a run out over workers (shard jobs and a finishing job: BullMQ flows). */
  readonly fansOut: boolean;
  /** Queues a run (adding the same run twice queues it once). */
  add(runId: string): Promise<void>;
  /** Queues a run's shards, and a job that finishes the run once every shard is done. */
  fanOut(runId: string, shards: number): Promise<void>;
  /** Starts working jobs in this process, `concurrency` at a time. */
  work(processor: (job: RunJob) => Promise<void>, concurrency: number): Promise<void>;
  /** Takes a run off the queue if no worker has it yet; false otherwise (or when the queue is unreachable). */
  remove(runId: string): Promise<boolean>;
  /**
   * Whether the queue still holds a job for the run (its whole-run job, or the job that finishes a
   * fanned-out run); null when the queue cannot be asked right now. A RUNNING run that no job
   * covers and no worker heartbeats for has lost its owner.
   */
  covers(runId: string): Promise<boolean | null>;
  /** Stops taking jobs, waits for the ones in hand, closes connections. */
  close(): Promise<void>;
}

/** A unit of work: a whole run, or one shard of a fanned-out run, or the step that finishes it. */
export type RunJob =
  | { runId: string; step: 'run' }
  | { runId: string; step: 'shard'; shard: number }
  | { runId: string; step: 'finish' };

export type QueueBackend = 'inline' | 'redis' | 'postgres';

/** Raised when the chosen queue backend cannot be reached (at start, or by an operation that needs it). */
export class QueueUnavailableError extends Error {}

/** Most a queue operation on a request's path may take: past it the queue counts as unreachable. */
export const QUEUE_TIMEOUT_MS = 3000;

/** An operation on the queue, failing fast (QueueUnavailableError) when the queue does not answer in time. */
export async function withQueueTimeout<T>(what: string, operation: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new QueueUnavailableError(`the job queue did not answer within ${QUEUE_TIMEOUT_MS} ms (${what})`),
        ),
      QUEUE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([operation, timeout]);
  } catch (error) {
    if (error instanceof QueueUnavailableError) throw error;
    throw new QueueUnavailableError(
      `the job queue refused ${what} (${error instanceof Error ? error.message : String(error)})`,
    );
  } finally {
    clearTimeout(timer);
  }
}
