import { logger } from '../log';
import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from '../db/data-source';
import { openJobs, queueDescription } from '../runs';
import { createLlmServices } from '../llm';
import { buildAppSchema } from './schema';
import { startServer } from './server';

/** Entry point: config → database (+ migrations) → job queue → schema → HTTP server; SIGTERM/SIGINT stop it cleanly. */
export async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, { owner: 'server' });
  const llm = createLlmServices(config.llm);
  const jobs = await openJobs(config, db, llm, { work: config.queue.workers > 0 }).catch(async (error) => {
    await db.close();
    throw error;
  });
  const schema = await buildAppSchema();
  const server = await startServer(db, schema, config, { services: { llm, jobs } });
  // The CLI on this machine finds the server here and talks to it instead of opening the directory.
  db.lock?.advertise(reachableUrl(server.url, config.host));
  const where = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `embedded PGlite at ${config.dataDir}`;
  logger.info(
    `MockForge ready at ${server.url} — database: ${where}, embeddings: ${db.vectorStorage}, text: ${llm.provider}` +
      (llm.provider === 'openai'
        ? ` (${config.llm.model}${config.llm.baseUrl ? ` at ${config.llm.baseUrl}` : ''})`
        : '') +
      `, queue: ${queueDescription(config.queue, config.databaseUrl)}, ` +
      `API keys: ${config.apiKeys.length ? `on (${config.apiKeys.length})` : 'off'}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests and jobs…`);
    try {
      await server.stop();
      await jobs.close();
      await db.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'Shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** The server's URL as a process on this machine reaches it (a wildcard listen address is reached on loopback). */
function reachableUrl(url: string, host: string | null): string {
  return host && !['0.0.0.0', '::'].includes(host)
    ? url.replace('//localhost:', `//${host.includes(':') ? `[${host}]` : host}:`)
    : url;
}

if (require.main === module) {
  main().catch((error) => {
    logger.fatal(
      { err: error },
      `MockForge failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}
