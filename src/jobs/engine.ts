/**
 * Where queued runs wait and how workers take them: one interface, three engines (an in-process
 * runner for the embedded database, BullMQ on Redis, BullMQ on PostgreSQL). A job is just a run
 * id: the run row carries the request, status, progress and cancellation.
 */
export interface JobEngine {
  readonly name: QueueBackend;
  /** Queues a run (adding the same run twice queues it once). */
  add(runId: string): Promise<void>;
  /** Starts working jobs in this process, `concurrency` at a time. */
  work(processor: (runId: string) => Promise<void>, concurrency: number): Promise<void>;
  /** Takes a run off the queue if no worker has it yet; false otherwise. */
  remove(runId: string): Promise<boolean>;
  /** Stops taking jobs, waits for the ones in hand, closes connections. */
  close(): Promise<void>;
}

export type QueueBackend = 'inline' | 'redis' | 'postgres';

/** Raised at start when the chosen queue backend cannot be reached. */
export class QueueUnavailableError extends Error {}
