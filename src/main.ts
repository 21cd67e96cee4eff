import 'reflect-metadata';
import { loadConfig } from './config';
import { openDatabase } from './data-source';
import { createLlmServices } from './llm';
import { buildAppSchema } from './schema';
import { startServer } from './server';

/** Entry point: config → database (+ migrations) → schema → HTTP server; SIGTERM/SIGINT stop it cleanly. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  const schema = await buildAppSchema();
  const llm = createLlmServices(config.llm);
  const server = await startServer(db, schema, config, { services: { llm } });
  const where = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `embedded PGlite at ${config.dataDir}`;
  console.log(
    `MockForge ready at ${server.url} — database: ${where}, embeddings: ${db.vectorStorage}, text: ${llm.provider}, ` +
      `API keys: ${config.apiKeys.length ? `on (${config.apiKeys.length})` : 'off'}` +
      (llm.provider === 'openai'
        ? ` (${config.llm.model}${config.llm.baseUrl ? ` at ${config.llm.baseUrl}` : ''})`
        : ''),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing in-flight requests…`);
    try {
      await server.stop();
      await db.dataSource.destroy();
      process.exit(0);
    } catch (error) {
      console.error('Shutdown failed', error);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('MockForge failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
