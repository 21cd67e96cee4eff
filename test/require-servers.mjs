#!/usr/bin/env node
/**
 * Before a suite that needs servers: checks each one named on the command line (postgres, psql,
 * redis) answers, and stops with what is missing and how to provide it. Suites that need a server
 * fail when it is missing; they never skip.
 */
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import Redis from 'ioredis';

const checks = {
  async postgres() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await client.connect();
    await client.query('SELECT 1');
    await client.end();
  },
  async psql() {
    execFileSync('psql', ['--version'], { stdio: 'pipe' });
  },
  async redis() {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error('REDIS_URL is not set (e.g. redis://127.0.0.1:6379)');
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 5000 });
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  },
};

let missing = 0;
for (const name of process.argv.slice(2)) {
  try {
    await checks[name]();
  } catch (error) {
    missing++;
    console.error(`${name}: not available — ${error.message}`);
  }
}
if (missing) {
  console.error('These suites need the servers above; start them or point the variables at them.');
  process.exit(1);
}
