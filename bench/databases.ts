import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/data-source';

export type BenchTarget = 'embedded' | 'postgres';

/** The Postgres the bench may create scratch databases on (BENCH_DATABASE_URL, else DATABASE_URL, else local). */
export function adminUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres'
  );
}

export async function postgresReachable(): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh database of the given kind: a file-backed PGlite in a temp directory (as `npm start`
 * uses it) or a scratch database on the real Postgres. `drop` removes it.
 */
export async function freshDatabase(
  target: BenchTarget,
): Promise<{ db: Database; url?: string; drop: () => Promise<void> }> {
  const base = loadConfig({});
  if (target === 'embedded') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-bench-'));
    const db = await openDatabase({ ...base, databaseUrl: null, dataDir: dir });
    return {
      db,
      drop: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `mf_bench_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const db = await openDatabase({ ...base, databaseUrl: url.toString() });
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
