import 'reflect-metadata';
import fs from 'node:fs';
import { DataSource, type Logger } from 'typeorm';
import type { Config } from '../config';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { embeddedDriver } from './embedded-pool';
import { SnakeNamingStrategy } from './naming-strategy';
import { ENTITIES } from '../../entities';
import { MIGRATIONS } from '../../migrations';

export type DatabaseMode = 'embedded' | 'postgres';

/** How embeddings are stored: pgvector's `vector(1536)` where it exists, `real[]` otherwise. */
export type VectorStorage = 'pgvector' | 'array';

/** The connected database and what was detected about it. */
export interface Database {
  dataSource: DataSource;
  mode: DatabaseMode;
  vectorStorage: VectorStorage;
  /** The embedded data directory's lock (a file-backed embedded database only). */
  lock: DataDirLock | null;
  /** Closes the connections and releases the data directory. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** TypeORM logger; the statement counter in tests plugs in here. */
  logger?: Logger;
  /** Run pending migrations (default true). */
  migrate?: boolean;
  /** Who holds the embedded data directory while it is open ("server", "cli", …), for other processes to read. */
  owner?: string;
}

/**
 * Builds the TypeORM data source: `DATABASE_URL` → Postgres through `pg`; unset → embedded PGlite.
 * Schema changes only ever come from migrations/ (`synchronize` stays off).
 */
export function createDataSource(config: Config, logger?: Logger): DataSource {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    logger,
    logging: logger || config.logSql ? ('all' as const) : ['error' as const],
  };
  if (config.databaseUrl) {
    return new DataSource({ ...common, url: config.databaseUrl, applicationName: 'mockforge' });
  }
  if (!config.dataDir.startsWith('memory://')) fs.mkdirSync(config.dataDir, { recursive: true });
  return new DataSource({ ...common, driver: embeddedDriver(config.dataDir) });
}

/** Reads back which embedding storage the migrations created on this database. */
export async function detectVectorStorage(dataSource: DataSource): Promise<VectorStorage> {
  const rows: { udt_name: string }[] = await dataSource.query(
    `SELECT udt_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'product_embeddings' AND column_name = 'embedding'`,
  );
  return rows[0]?.udt_name === 'vector' ? 'pgvector' : 'array';
}

/** Connects, migrates and detects: everything the service needs before it serves a request. */
export async function openDatabase(config: Config, options: OpenDatabaseOptions = {}): Promise<Database> {
  // PGlite is single-process: the directory is taken before anything opens it (see data-dir-lock).
  const fileBacked = !config.databaseUrl && !config.dataDir.startsWith('memory://');
  const lock = fileBacked ? lockDataDir(config.dataDir, options.owner ?? 'mockforge') : null;
  const dataSource = createDataSource(config, options.logger);
  const close = async () => {
    try {
      if (dataSource.isInitialized) await dataSource.destroy();
    } finally {
      lock?.release();
    }
  };
  try {
    await dataSource.initialize();
    if (options.migrate ?? true) await dataSource.runMigrations({ transaction: 'each' });
    const vectorStorage = await detectVectorStorage(dataSource);
    return { dataSource, mode: config.databaseUrl ? 'postgres' : 'embedded', vectorStorage, lock, close };
  } catch (error) {
    await close();
    throw error;
  }
}
