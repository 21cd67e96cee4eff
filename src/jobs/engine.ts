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
  /** Takes a run off the queue if no worker has it yet; false otherwise. */
  remove(runId: string): Promise<boolean>;
  /** Stops taking jobs, waits for the ones in hand, closes connections. */
  close(): Promise<void>;
}

/** A unit of work: a whole run, or one shard of a fanned-out run, or the step that finishes it. */
export type RunJob =
  | { runId: string; step: 'run' }
  | { runId: string; step: 'shard'; shard: number }
  | { runId: string; step: 'finish' };

export type QueueBackend = 'inline' | 'redis' | 'postgres';

/** Raised at start when the chosen queue backend cannot be reached. */
export class QueueUnavailableError extends Error {}
