import { Mutex } from 'async-mutex';
import { PGliteDriver } from 'typeorm-pglite';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool';
import { vector } from '@electric-sql/pglite-pgvector';

type Done = (err?: unknown) => void;
type ConnectCallback = (error: unknown, client: PGlitePool | null, done: Done) => void;

const lease = new Mutex();

/**
 * typeorm-pglite hands the same PGlite session to every caller, so two concurrent transactions
 * would interleave their statements on one session. This pool behaves like a pg pool of size one:
 * a caller holds the session from `connect` until it releases it, and everybody else waits. A
 * transaction therefore runs alone, and reads never see another caller's uncommitted rows.
 */
export class SerialPGlitePool extends PGlitePool {
  override async connect(callback: ConnectCallback): Promise<void> {
    const release = await lease.acquire();
    await super.connect((error, client) => {
      let released = false;
      const done: Done = () => {
        if (!released) {
          released = true;
          release();
        }
      };
      if (error) done();
      callback(error, client, done);
    });
  }
}

/**
 * The pg-compatible driver module TypeORM loads for the embedded database: PGlite with pgvector,
 * file-backed under `dataDir` (or in memory for `memory://`).
 */
export function embeddedDriver(dataDir: string): { Pool: typeof PGlitePool } {
  const base = new PGliteDriver({ dataDir, extensions: { vector } }).driver;
  return Object.assign(base, { Pool: SerialPGlitePool });
}
