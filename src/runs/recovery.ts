import { RunStatus } from '../../entities/enums';
import type { Database } from '../db/data-source';
import type { JobEngine } from './queue/engine';
import { removeOrMarkPending, sweepPendingRows } from './run-cleanup';
import type { RunEvents } from './run-events';
import { rowsSaid } from './run-executor';
import { endRun, queuedRunsOlderThan, staleRunningRuns } from './run-record';

/**
 * How a run whose owner is gone is found. A worker stamps the runs it has every `heartbeatMs`; any
 * process looks every `watchdogMs` for RUNNING runs without a stamp for `staleMs` that the queue no
 * longer holds a job for (their worker died and BullMQ gave up, or the queue lost its data) and
 * ends them FAILED, their rows removed; QUEUED runs the queue lost are queued again. So such a run
 * ends within staleMs + watchdogMs (40 s by default) of its owner's last stamp.
 */
export interface Recovery {
  heartbeatMs: number;
  staleMs: number;
  watchdogMs: number;
}

export const RECOVERY: Recovery = { heartbeatMs: 5000, staleMs: 30_000, watchdogMs: 10_000 };

export const INTERRUPTED_REASON =
  'Interrupted: the worker running it stopped, or the job queue lost its job; no rows were kept';

/** What recovery works with: the database, the queue, and the runs this process is working on. */
export interface RecoveryScope {
  db: Database;
  engine: JobEngine;
  events: RunEvents;
  mine: ReadonlySet<string>;
}

/**
 * Ends the runs whose owner is gone and re-queues the queued runs the queue lost (see Recovery),
 * and removes the rows the sweep still owes. Only runs without a heartbeat for `staleMs`, not
 * worked here, and that the queue holds no job for are touched: other workers' runs are theirs.
 * At the start of the embedded service (one process, the data directory locked) staleMs is 0.
 */
export async function recoverRuns(
  { db, engine, events, mine }: RecoveryScope,
  staleMs: number,
  { orphans = true }: { orphans?: boolean } = {},
): Promise<{ failed: number; requeued: number; cleared: number }> {
  let failed = 0;
  for (const { id, startedAt } of orphans ? await staleRunningRuns(db, staleMs) : []) {
    if (mine.has(id) || (await engine.covers(id)) !== false) continue;
    const gone = await removeOrMarkPending(db, id);
    await endRun(db, id, RunStatus.FAILED, startedAt, rowsSaid(INTERRUPTED_REASON, !gone));
    events.changed(id);
    failed++;
  }
  let requeued = 0;
  for (const id of await queuedRunsOlderThan(db, staleMs)) {
    if ((await engine.covers(id)) !== false) continue;
    await engine.add(id);
    requeued++;
  }
  return { failed, requeued, cleared: await sweepPendingRows(db) };
}

/** Runs `task` every `ms`, skipping a beat while the last one still runs; the timer does not hold the process. */
export function every(ms: number, task: () => Promise<unknown>): NodeJS.Timeout {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    task()
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, ms);
  timer.unref();
  return timer;
}
