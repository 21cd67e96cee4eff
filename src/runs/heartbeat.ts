import { hostname } from 'node:os';
import type { Database } from '../db/data-source';
import { stampHeartbeat } from './run-record';

/** How often a run being worked is stamped (RunJobs sets it from its Recovery settings). */
let everyMs = 5000;
const WORKER = `${hostname()}/${process.pid}`;

export function setHeartbeatInterval(ms: number): void {
  everyMs = ms;
}

/**
 * Runs `work` on a run while stamping its `heartbeat_at` (and this process as its `worker`), so
 * that any process looking for runs whose owner is gone (RunJobs.recover) leaves it alone —
 * whoever executes it: a job, a shard, a benchmark. On the embedded database one process has every
 * run, so nothing is stamped there.
 */
export async function withHeartbeat<T>(db: Database, runId: string, work: () => Promise<T>): Promise<T> {
  if (db.mode !== 'postgres') return work();
  const stamp = () => stampHeartbeat(db, runId, WORKER).catch(() => undefined);
  void stamp();
  const timer = setInterval(() => void stamp(), everyMs);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
