import { logger } from '../log';
import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from '../db/data-source';
import { openJobs, queueDescription } from '../runs';
import { createLlmServices } from '../llm';

/**
 * `npm run worker`: a process that only works jobs (no HTTP). Run as many as you like, on this
 * machine or others that reach the same database and queue; each takes
 * MOCKFORGE_WORKER_CONCURRENCY jobs at a time.
 */
export async function worker(): Promise<void> {
  const config = loadConfig();
  if (config.queue.backend === 'inline') {
    throw new Error(
      'A separate worker needs a shared queue: set REDIS_URL, or DATABASE_URL for the PostgreSQL queue (the in-process queue lives inside the API)',
    );
  }
  const db = await openDatabase(config);
  const llm = createLlmServices(config.llm);
  const jobs = await openJobs(config, db, llm, { work: true });
  logger.info(
    `MockForge worker ready — ${queueDescription({ ...config.queue, workers: 1 }, config.databaseUrl)}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing the jobs in hand…`);
    await jobs.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (require.main === module) {
  worker().catch((error) => {
    logger.fatal(
      { err: error },
      `MockForge worker failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}
