import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { INTERRUPTED_REASON, type Recovery } from '../../src/runs/recovery';
import { createLlmServices } from '../../src/llm';
import { createRun } from '../../src/runs/run-record';
import { resolveScenarioRequest } from '../../src/pipeline/scenario/scenario-request';
import { scenarioRun } from '../../src/runs/scenario-run';
import { expectNoErrors, startTestApp, usingPostgres, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/until';

/**
 * Faults that must never leave a run lying about its rows or stuck: an owner that is gone, a
 * database connection killed under a run, a queue that loses its jobs, a Redis that goes away and
 * comes back empty. Recovery is shortened here (a stamp every 200 ms, stale after 1.5 s, looked
 * for every 500 ms); the defaults (5 s, 30 s, 10 s) bound it to about 40 s.
 */
const FAST: Recovery = { heartbeatMs: 200, staleMs: 1500, watchdogMs: 500 };

const RUN = `query($id: ID!) { run(id: $id) { id status error durationMs } }`;
const RUN_TABLES = [
  'products',
  'users',
  'transactions',
  'reviews',
  'members',
  'agents',
  'daily_metrics',
  'conversations',
  'cost_records',
  'audit_logs',
  'product_embeddings',
  'user_embeddings',
  'review_embeddings',
];

/** Rows a run has in every table, counted on a connection of the test's own (on Postgres). */
async function rowsOf(app: TestApp, runId: string): Promise<number> {
  const sql = RUN_TABLES.map((t) => `(SELECT count(*)::int FROM ${t} WHERE run_id = $1)`).join(' + ');
  if (!app.config.databaseUrl) return (await app.db.dataSource.query(`SELECT ${sql} AS n`, [runId]))[0].n;
  const client = new Client({ connectionString: app.config.databaseUrl });
  await client.connect();
  try {
    return (await client.query(`SELECT ${sql} AS n`, [runId])).rows[0].n;
  } finally {
    await client.end();
  }
}

describe('runs whose owner is gone', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { recovery: FAST });
  });
  afterAll(() => app?.close());

  /** A run as a worker elsewhere left it: RUNNING, with a heartbeat `ageMs` old and some rows; no job anywhere. */
  async function leftRunning(ageMs: number): Promise<string> {
    const request = resolveScenarioRequest(
      { scenario: 'C3', seed: 5, asOf: new Date('2026-11-01T00:00:00Z'), embeddings: false } as never,
      new Date(),
    );
    const { id } = await createRun(app.db, {
      ...(await scenarioRun(createLlmServices(app.config.llm), request)),
      request: JSON.parse(JSON.stringify(request)),
    });
    await app.db.dataSource.query(
      `UPDATE generation_runs SET status = 'RUNNING', started_at = now() - interval '5 seconds', worker = 'elsewhere/1',
         heartbeat_at = now() - $2 * interval '1 millisecond' WHERE id = $1`,
      [id, ageMs],
    );
    await app.db.dataSource.query(
      `INSERT INTO members (run_id, id, name, email, avatar_url, role)
       VALUES ($1, gen_random_uuid(), 'Left Behind', 'left@example.com', 'https://example.com/a.png', 'VIEWER')`,
      [id],
    );
    return id;
  }

  it('only runs without a heartbeat and without a job are ended, their rows removed; live workers keep theirs', async () => {
    const alive = await leftRunning(0);
    const gone = await leftRunning(60_000);
    const result = await app.jobs.recover(FAST.staleMs);
    expect(result.failed).toBe(1);
    const goneRun = (await app.gql(RUN, { id: gone })).data!.run;
    expect(goneRun).toMatchObject({ status: 'FAILED', error: INTERRUPTED_REASON });
    // Its duration runs from its start on the row (this process never had it in hand).
    expect(goneRun.durationMs).toBeGreaterThanOrEqual(5000);
    expect(await rowsOf(app, gone)).toBe(0);
    expect((await app.gql(RUN, { id: alive })).data!.run.status).toBe('RUNNING');
    expect(await rowsOf(app, alive)).toBe(1);
  });
});

describe('a failed run whose rows cannot be removed at once', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { recovery: FAST });
  });
  afterAll(() => app?.close());

  it('says its rows are being removed, and the sweep removes them once the database lets it', async () => {
    const q = (sql: string) => app.db.dataSource.query(sql);
    // The run fails at its last table (its other rows are committed by then: a large run)…
    await q(`ALTER TABLE audit_logs ADD CONSTRAINT ck_test_refuse CHECK (false) NOT VALID`);
    // …and removing its rows fails while the block is on (as a database that keeps refusing would).
    await q(`CREATE TABLE test_block (on_ boolean)`);
    await q(`INSERT INTO test_block VALUES (true)`);
    await q(`CREATE FUNCTION test_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN IF EXISTS (SELECT 1 FROM test_block WHERE on_) THEN RAISE EXCEPTION 'blocked'; END IF; RETURN OLD; END $$`);
    await q(
      `CREATE TRIGGER test_refuse_delete BEFORE DELETE ON members FOR EACH ROW EXECUTE FUNCTION test_refuse_delete()`,
    );
    try {
      const res = await app.gql(
        `mutation { generateDashboard(input: { seed: 4, asOf: "2026-11-01", days: 60, agents: 200, conversations: 5000, auditLogs: 400 }) { id status error } }`,
      );
      expectNoErrors(res);
      const run = res.data!.generateDashboard;
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(/ck_test_refuse.*its partial rows are being removed/);
      expect(await rowsOf(app, run.id)).toBeGreaterThan(0);
      await q(`UPDATE test_block SET on_ = false`);
      expect(
        await until(
          () => rowsOf(app, run.id),
          (n) => n === 0,
          30_000,
        ),
      ).toBe(0);
      const [{ rows_pending }] = await app.db.dataSource.query(
        `SELECT rows_pending FROM generation_runs WHERE id = $1`,
        [run.id],
      );
      expect(rows_pending).toBe(false);
    } finally {
      await q(`DROP TRIGGER test_refuse_delete ON members`);
      await q(`DROP FUNCTION test_refuse_delete()`);
      await q(`DROP TABLE test_block`);
      await q(`ALTER TABLE audit_logs DROP CONSTRAINT ck_test_refuse`);
    }
  });
});

if (usingPostgres) {
  describe('a database connection killed under a large run', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({}, { recovery: FAST });
    });
    afterAll(() => app?.close());

    it('the run ends FAILED and keeps no rows: the cleanup runs on fresh connections', async () => {
      const res = await app.gql(
        `mutation { generateDashboard(wait: false, input: { seed: 8, asOf: "2026-11-01", days: 90, agents: 600, conversations: 60000, auditLogs: 20000 }) { id } }`,
      );
      expectNoErrors(res);
      const { id } = res.data!.generateDashboard;
      // Once rows are being written, every connection of the service is cut.
      await until(
        () => rowsOf(app, id),
        (n) => n > 1000,
        60_000,
      );
      const admin = new Client({ connectionString: app.config.databaseUrl ?? undefined });
      await admin.connect();
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'mockforge' AND pid <> pg_backend_pid()`,
      );
      await admin.end();
      expect(rows.length).toBeGreaterThan(0);
      const run = await until(
        async () => (await app.gql(RUN, { id })).data?.run,
        (r) => r?.status === 'FAILED',
        60_000,
      );
      expect(run.status).toBe('FAILED');
      // What the run says about its rows is true.
      if (/no rows were kept/.test(run.error)) expect(await rowsOf(app, id)).toBe(0);
      else expect(run.error).toMatch(/being removed/);
      expect(
        await until(
          () => rowsOf(app, id),
          (n) => n === 0,
          30_000,
        ),
      ).toBe(0);
    });
  });

  describe('the queue loses a fanned-out run’s jobs', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({}, { recovery: FAST });
    });
    afterAll(() => app?.close());

    it('the run ends FAILED within the recovery bound and keeps no rows', async () => {
      const res = await app.gql(
        `mutation { generateScenario(wait: false, input: { scenario: A1, seed: 31, asOf: "2026-11-01", embeddings: false,
          overrides: { mockUsers: 1000, mainProductReviews: 3000, reviewsPerSimilarProduct: 500,
            mainProductSilentPurchases: { min: 40000, max: 40000 } } }) { id } }`,
      );
      expectNoErrors(res);
      const { id } = res.data!.generateScenario;
      await until(
        () => rowsOf(app, id),
        (n) => n > 0,
        60_000,
      );
      // What a Redis restarted empty, or a wiped queue schema, does: every job of the queue is gone.
      const q = app.config.queue;
      const queue = new Queue(q.name, bullConnection(app) as never, bullFactory(app) as never);
      await queue.obliterate({ force: true });
      await queue.close();
      const lost = Date.now();
      const run = await until(
        async () => (await app.gql(RUN, { id })).data!.run,
        (r) => r.status === 'FAILED',
        60_000,
      );
      expect(run).toMatchObject({ status: 'FAILED', error: INTERRUPTED_REASON });
      expect(Date.now() - lost).toBeLessThan(30_000);
      expect(await rowsOf(app, id)).toBe(0);
    });
  });
}

/** How the test reaches the app's BullMQ queue from outside (its own connection). */
function bullConnection(app: TestApp) {
  if (app.config.queue.backend === 'redis') return { connection: redisOptions(app.config.queue.redisUrl!) };
  return { connection: { connectionString: app.config.databaseUrl, schema: 'bullmq', migrate: true } };
}

function bullFactory(app: TestApp) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return app.config.queue.backend === 'postgres' ? require('bullmq').createPostgresBackend : undefined;
}

function redisOptions(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
}

if (process.env.REDIS_URL) {
  describe('Redis killed mid-run and restarted empty', () => {
    let redis: ChildProcess | null = null;
    let port: number;
    let app: TestApp;

    const startRedis = async () => {
      redis = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      await until(
        () =>
          new Promise<boolean>((resolve) => {
            const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
            socket.on('error', () => resolve(false));
          }),
        (up) => up,
        10_000,
      );
    };
    const stopRedis = async () => {
      const r = redis!;
      redis = null;
      await new Promise((resolve) => {
        r.once('exit', resolve);
        r.kill('SIGKILL');
      });
    };

    beforeAll(async () => {
      port = await freePort();
      await startRedis();
      app = await startTestApp(
        { REDIS_URL: `redis://127.0.0.1:${port}`, MOCKFORGE_QUEUE: 'redis' },
        { recovery: FAST },
      );
    });
    afterAll(async () => {
      await app?.close();
      if (redis) await stopRedis();
    });

    it('mutations fail fast with QUEUE_UNAVAILABLE meanwhile; the lost run ends FAILED with no rows; then all works again', async () => {
      const res = await app.gql(
        `mutation { generateScenario(wait: false, input: { scenario: A1, seed: 32, asOf: "2026-11-01", embeddings: false,
          overrides: { mockUsers: 1000, mainProductReviews: 3000, mainProductSilentPurchases: { min: 40000, max: 40000 } } }) { id } }`,
      );
      expectNoErrors(res);
      const { id } = res.data!.generateScenario;
      await until(
        () => rowsOf(app, id),
        (n) => n > 0,
        60_000,
      );
      await stopRedis();

      const [{ n: runsBefore }] = await app.db.dataSource.query(
        `SELECT count(*)::int AS n FROM generation_runs`,
      );
      const started = Date.now();
      const refused = await app.gql(
        `mutation { generateDashboard(wait: false, input: { seed: 1, asOf: "2026-11-01", days: 2, agents: 2 }) { id } }`,
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect(refused.status).toBe(503);
      expect(refused.errors?.[0]?.extensions?.code).toBe('QUEUE_UNAVAILABLE');
      const [{ n: runsAfter }] = await app.db.dataSource.query(
        `SELECT count(*)::int AS n FROM generation_runs`,
      );
      expect(runsAfter).toBe(runsBefore);

      await startRedis();
      const run = await until(
        async () => (await app.gql(RUN, { id })).data!.run,
        (r) => r.status !== 'RUNNING',
        60_000,
      );
      // Its finishing job went with Redis's data: nothing can finish it, so it fails, cleanly.
      expect(run).toMatchObject({ status: 'FAILED', error: INTERRUPTED_REASON });
      expect(await rowsOf(app, id)).toBe(0);
      const again = await until(
        () =>
          app.gql(
            `mutation { generateDashboard(input: { seed: 1, asOf: "2026-11-01", days: 2, agents: 2 }) { id status } }`,
          ),
        (r) => !r.errors,
        20_000,
      );
      expectNoErrors(again);
      expect(again.data!.generateDashboard.status).toBe('SUCCEEDED');
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
