import { configureGeneratorThreads } from '../pipeline/scenario/chunk-source';
import { setHeartbeatInterval } from './heartbeat';
import type { Config } from '../config';
import type { Database } from '../db/data-source';
import { consoleLogger, type ErrorLogger } from '../errors';
import type { LlmServices } from '../llm';
import { BullEngine, redact } from './queue/bull-engine';
import type { JobEngine } from './queue/engine';
import { InlineEngine } from './queue/inline-engine';
import type { Recovery } from './recovery';
import { RunJobs } from './run-jobs';

export { RunJobs } from './run-jobs';
export { QueueUnavailableError } from './queue/engine';

export interface OpenJobsOptions {
  /** Work jobs in this process (the API unless MOCKFORGE_WORKERS=0; `npm run worker` always). */
  work: boolean;
  log?: ErrorLogger;
  /** This worker's name (default host/pid), recorded on the shards it writes. */
  workerName?: string;
  /** How runs whose owner is gone are found (tests shorten it). */
  recovery?: Recovery;
}

/**
 * The job queue of this process: the configured engine, this process's workers when it has any,
 * and, for the in-process engine, a sweep of runs a previous process left unfinished.
 */
export async function openJobs(
  config: Pick<Config, 'databaseUrl' | 'queue'>,
  db: Database,
  llm: LlmServices,
  options: OpenJobsOptions,
): Promise<RunJobs> {
  let jobs: RunJobs | null = null;
  const q = config.queue;
  configureGeneratorThreads(q.generatorThreads);
  const engine: JobEngine =
    q.backend === 'inline'
      ? new InlineEngine()
      : await BullEngine.open({
          backend: q.backend,
          url: q.backend === 'redis' ? q.redisUrl! : config.databaseUrl!,
          queueName: q.name,
          onGivenUp: (job, reason) => jobs?.givenUp(job, reason) ?? Promise.resolve(),
        });
  jobs = new RunJobs(db, llm, engine, options.log ?? consoleLogger, options.workerName, options.recovery);
  setHeartbeatInterval(jobs.recovery.heartbeatMs);
  if (options.work) await engine.work((job) => jobs!.process(job), q.concurrency);
  // The embedded database is this process's alone (its directory is locked): whatever a previous
  // process left RUNNING is orphaned now. On Postgres, only runs whose owner is gone (Recovery).
  await jobs.recover(db.mode === 'embedded' ? 0 : jobs.recovery.staleMs);
  jobs.startRecovery();
  return jobs;
}

/** "BullMQ on Redis at redis://…/ (REDIS_URL is set), working 1 job at a time here". */
export function queueDescription(q: Config['queue'], databaseUrl: string | null): string {
  const where =
    q.backend === 'inline'
      ? 'in-process runner'
      : q.backend === 'redis'
        ? `BullMQ on Redis at ${redact(q.redisUrl ?? '')}`
        : `BullMQ on PostgreSQL at ${redact(databaseUrl ?? '')} (schema bullmq)`;
  const work =
    q.workers > 0
      ? `working ${q.concurrency} job${q.concurrency > 1 ? 's' : ''} at a time here`
      : 'no workers here';
  return `${where} (${q.chosenBy}), ${work}`;
}
