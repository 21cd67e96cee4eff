import { createPostgresBackend, FlowProducer, Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { QueueUnavailableError, withQueueTimeout, type JobEngine, type RunJob } from './engine';

/** How BullMQ notices a worker that died: its job lock lapses, a stalled check moves it back. */
export const STALL = {
  /** A worker renews its job's lock this often (half the duration) while it is alive. */
  lockDurationMs: 10_000,
  /** How often any worker looks for jobs whose lock lapsed. */
  stalledIntervalMs: 5_000,
  /** A job whose worker died is retried this many times, then fails. */
  maxStalledCount: 1,
} as const;

export interface BullEngineOptions {
  backend: 'redis' | 'postgres';
  /** redis://… or postgres://… */
  url: string;
  queueName: string;
  /** Called when BullMQ gives a job up (it stalled more than allowed). */
  onGivenUp: (job: RunJob, reason: string) => Promise<void>;
}

/** A job's data; jobs queued before runs were fanned out have no step (a whole run). */
type JobData = { runId: string; step?: RunJob['step']; shard?: number };

/** Finished jobs are dropped: the run row (and run_shards) are the record. */
const DROP_WHEN_DONE = { removeOnComplete: true, removeOnFail: true } as const;

function runJob(data: JobData): RunJob {
  if (data.step === 'shard') return { runId: data.runId, step: 'shard', shard: data.shard! };
  if (data.step === 'finish') return { runId: data.runId, step: 'finish' };
  return { runId: data.runId, step: 'run' };
}

/**
 * BullMQ, on Redis or on PostgreSQL (its own `bullmq` schema in the service's database, migrated
 * on connect): the same Queue and Worker either way. Jobs are named by their run id, so a run is
 * queued once; finished jobs are dropped (the run row is the record). A worker killed mid-run
 * loses its lock; another worker (or the same one restarted) takes the job over and runs it again
 * from the start — generation is deterministic, so the result is the same. A large run is fanned
 * out as a flow: its shard jobs, then (once all are done, failed ones included) its finishing job.
 */
export class BullEngine implements JobEngine {
  readonly name: 'redis' | 'postgres';
  readonly fansOut = true;
  private readonly queue: Queue<JobData>;
  private flows: FlowProducer | null = null;
  private worker: Worker<JobData> | null = null;

  private constructor(private readonly options: BullEngineOptions) {
    this.name = options.backend;
    // The queue's own connection fails fast while Redis is away (no offline queue, one retry per
    // command): a mutation then answers QUEUE_UNAVAILABLE instead of waiting for Redis to return.
    this.queue = new Queue<JobData>(options.queueName, this.connection('fail-fast') as never, this.factory());
  }

  /** Connects and checks the backend answers; a clear error otherwise. */
  static async open(options: BullEngineOptions): Promise<BullEngine> {
    if (options.backend === 'redis') await pingRedis(options.url);
    const engine = new BullEngine(options);
    try {
      await engine.queue.waitUntilReady();
    } catch (error) {
      await engine.queue.close().catch(() => undefined);
      throw new QueueUnavailableError(
        `The PostgreSQL job queue could not be set up (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    return engine;
  }

  async add(runId: string): Promise<void> {
    await withQueueTimeout(
      'adding the run',
      this.queue.add('run', { runId, step: 'run' }, { jobId: runId, ...DROP_WHEN_DONE }),
    );
  }

  async covers(runId: string): Promise<boolean | null> {
    try {
      for (const id of [runId, `${runId}.finish`]) {
        const job = await withQueueTimeout('looking up a job', this.queue.getJob(id));
        if (!job) continue;
        const state = await withQueueTimeout('reading a job', job.getState());
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return true;
      }
      return false;
    } catch {
      return null;
    }
  }

  async fanOut(runId: string, shards: number): Promise<void> {
    this.flows ??= new FlowProducer(this.connection() as never, this.factory());
    const queueName = this.options.queueName;
    // Job ids from the run: queuing the same fan-out twice (a retried step) queues it once.
    await this.flows.add({
      name: 'finish',
      queueName,
      data: { runId, step: 'finish' },
      opts: { jobId: `${runId}.finish`, ...DROP_WHEN_DONE },
      children: Array.from({ length: shards }, (_, shard) => ({
        name: 'shard',
        queueName,
        data: { runId, step: 'shard' as const, shard },
        // A shard BullMQ gives up on still lets the run finish: the finishing step fails it.
        opts: { jobId: `${runId}.shard.${shard}`, ...DROP_WHEN_DONE, ignoreDependencyOnFailure: true },
      })),
    });
  }

  async work(processor: (job: RunJob) => Promise<void>, concurrency: number): Promise<void> {
    this.worker = new Worker<JobData>(
      this.options.queueName,
      async (job: Job<JobData>) => processor(runJob(job.data)),
      {
        ...(this.connection() as object),
        concurrency: Math.max(1, concurrency),
        lockDuration: STALL.lockDurationMs,
        stalledInterval: STALL.stalledIntervalMs,
        maxStalledCount: STALL.maxStalledCount,
      } as never,
      this.factory(),
    );
    this.worker.on('failed', (job, error) => {
      if (job) void this.options.onGivenUp(runJob(job.data), error?.message ?? 'the job failed');
    });
    // A lost connection is reported and retried by BullMQ; it must not crash the process.
    this.worker.on('error', () => undefined);
    await this.worker.waitUntilReady();
  }

  async remove(runId: string): Promise<boolean> {
    try {
      const job = await withQueueTimeout('looking up a job', this.queue.getJob(runId));
      if (!job) return false;
      const state = await withQueueTimeout('reading a job', job.getState());
      if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
      await withQueueTimeout('removing a job', job.remove());
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.flows?.close();
    await this.queue.close();
  }

  private connection(mode: 'worker' | 'fail-fast' = 'worker') {
    if (this.options.backend === 'redis') {
      // Workers block on Redis; BullMQ requires unlimited retries per request on their connection.
      if (mode === 'worker')
        return { connection: { ...redisOptions(this.options.url), maxRetriesPerRequest: null } };
      return {
        connection: { ...redisOptions(this.options.url), maxRetriesPerRequest: 1, enableOfflineQueue: false },
      };
    }
    return { connection: { connectionString: this.options.url, schema: 'bullmq', migrate: true } };
  }

  private factory() {
    return (this.options.backend === 'postgres' ? createPostgresBackend : undefined) as never;
  }
}

/** ioredis options from a redis:// or rediss:// URL. */
function redisOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

async function pingRedis(url: string): Promise<void> {
  const client = new IORedis({
    ...redisOptions(url),
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new QueueUnavailableError(
      `Redis at ${redact(url)} is not reachable (${error instanceof Error ? error.message : String(error)})`,
    );
  } finally {
    client.disconnect();
  }
}

/** The URL without a password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
