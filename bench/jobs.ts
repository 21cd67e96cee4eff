/**
 * Bench section 5 (child process): runs as jobs. `read-latency <target> <rows>` answers simple
 * reads over HTTP while a large run generates; `queue-overhead <target> <queue>` times the 12
 * default scenarios through the queue against the direct path; `fan-out <queue> <workers> <rows>`
 * times a large run on Postgres written by that many worker processes. Prints one JSON line.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { GenerateScenarioInput } from '../resolvers/types/generate-scenario.input';
import { SCENARIOS } from '../generators/ecommerce/scenarios';
import { loadConfig, type Config } from '../src/config';
import { openJobs } from '../src/runs';
import { createLlmServices } from '../src/llm';
import { runScenario } from '../src/runs/scenario-run';
import { resolveScenarioRequest } from '../src/pipeline/scenario/scenario-request';
import { buildAppSchema } from '../src/app/schema';
import { startServer } from '../src/app/server';
import { freshDatabase, type BenchTarget } from './databases';
import { largeRequest } from './large-run';

function queueConfig(target: BenchTarget, queue: string, url?: string): Config {
  return loadConfig({
    MOCKFORGE_DATA_DIR: 'memory://',
    ...(url ? { DATABASE_URL: url } : {}),
    MOCKFORGE_QUEUE: queue,
    REDIS_URL: queue === 'redis' ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : '',
    MOCKFORGE_QUEUE_NAME: `mf-bench-${randomUUID().slice(0, 8)}`,
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function readLatency(target: BenchTarget, rows: number) {
  const { db, url, drop } = await freshDatabase(target);
  const config = queueConfig(target, target === 'embedded' ? 'inline' : 'postgres', url);
  const llm = createLlmServices(config.llm);
  const jobs = await openJobs({ ...config, databaseUrl: url ?? null }, db, llm, { work: true });
  const server = await startServer(
    db,
    await buildAppSchema(),
    { ...config, port: 0, host: '127.0.0.1' },
    {
      services: { llm, jobs },
      warn: () => undefined,
    },
  );
  try {
    const started = performance.now();
    const run = await jobs.submitScenario(largeRequest(rows), { wait: false });
    const latencies: number[] = [];
    for (;;) {
      const t = performance.now();
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ runs(first: 5) { nodes { id status progress { percent } } } }' }),
      });
      const body = (await res.json()) as { data: { runs: { nodes: { id: string; status: string }[] } } };
      latencies.push(performance.now() - t);
      const status = body.data.runs.nodes.find((n) => n.id === run.id)?.status;
      if (status && !['QUEUED', 'RUNNING'].includes(status)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const runMs = performance.now() - started;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      target,
      rows,
      reads: latencies.length,
      p50: Math.round(percentile(sorted, 0.5)),
      p99: Math.round(percentile(sorted, 0.99)),
      max: Math.round(sorted[sorted.length - 1]),
      runMs: Math.round(runMs),
    };
  } finally {
    await server.stop();
    await jobs.engine.close();
    await drop();
  }
}

async function queueOverhead(target: BenchTarget, queue: string) {
  const { db, url, drop } = await freshDatabase(target);
  const config = queueConfig(target, queue, url);
  const llm = createLlmServices(config.llm);
  const jobs = await openJobs({ ...config, databaseUrl: url ?? null }, db, llm, { work: true });
  try {
    const requests = SCENARIOS.map((s) =>
      resolveScenarioRequest(
        { scenario: s.id, asOf: new Date('2026-11-01T00:00:00Z') } as GenerateScenarioInput,
        new Date(),
      ),
    );
    let t = performance.now();
    for (const request of requests) await runScenario({ db, llm }, request);
    const directMs = performance.now() - t;
    t = performance.now();
    for (const request of requests) await jobs.submitScenario(request, { wait: true });
    const queuedMs = performance.now() - t;
    return { target, queue, directMs: Math.round(directMs), queuedMs: Math.round(queuedMs) };
  } finally {
    await jobs.engine.close();
    await drop();
  }
}

/** Starts `npm run worker`'s entry point and waits until it is ready. */
function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/app/worker.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      if (output.includes('MockForge worker ready')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${output}`)));
  });
}

/** A large run on Postgres, fanned out over `workers` worker processes (this one only queues it). */
async function fanOut(queue: string, workers: number, rows: number) {
  const { db, url, drop } = await freshDatabase('postgres');
  const config = queueConfig('postgres', queue, url);
  const jobs = await openJobs({ ...config, databaseUrl: url! }, db, createLlmServices(config.llm), {
    work: false,
  });
  const children: ChildProcess[] = [];
  try {
    const env = {
      DATABASE_URL: url,
      MOCKFORGE_QUEUE: queue,
      MOCKFORGE_QUEUE_NAME: config.queue.name,
      REDIS_URL: config.queue.redisUrl ?? '',
      MOCKFORGE_DATA_DIR: 'memory://',
    };
    for (let i = 0; i < workers; i++) children.push(await startWorker(env));
    const started = performance.now();
    const run = await jobs.submitScenario(largeRequest(rows), { wait: true });
    const ms = performance.now() - started;
    if (run.status !== 'SUCCEEDED') throw new Error(`run ${run.status}: ${run.error}`);
    const [{ shards }] = await db.dataSource.query(
      `SELECT count(*)::int AS shards FROM run_shards WHERE run_id = $1 AND shard >= 0`,
      [run.id],
    );
    return {
      queue,
      workers,
      rows: Object.values(run.rowCounts).reduce((a, b) => a + b, 0),
      shards,
      ms: Math.round(ms),
      fingerprint: run.fingerprint,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await jobs.engine.close();
    await drop();
  }
}

async function main() {
  const [mode, target, arg, more] = process.argv.slice(2) as [string, BenchTarget, string, string];
  const result =
    mode === 'read-latency'
      ? await readLatency(target, Number(arg))
      : mode === 'fan-out'
        ? await fanOut(target, Number(arg), Number(more))
        : await queueOverhead(target, arg);
  console.log(JSON.stringify(result));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
