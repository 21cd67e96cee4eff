import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/data-source';
import { createLlmServices } from '../../src/llm';
import { runScenario } from '../../src/runs/scenario-run';
import { resolveScenarioRequest } from '../../src/pipeline/scenario/scenario-request';
import type { GenerateScenarioInput } from '../../resolvers/types/generate-scenario.input';
import { expectNoErrors, startTestApp, usingPostgres, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/until';

/**
 * What happens to a run whose worker dies. With a shared queue (BullMQ on PostgreSQL or Redis) a
 * worker process is killed with SIGKILL mid-run: another worker takes the job over and the run
 * still succeeds, with the same rows, within 60 s. With the in-process queue (embedded database)
 * the process itself is what dies: the next start sweeps what it left.
 */
const ROOT = path.resolve(__dirname, '../..');

const INPUT = {
  scenario: 'A2',
  seed: 17,
  asOf: '2026-11-01',
  embeddings: false,
  overrides: {
    mockUsers: 3000,
    mainProductReviews: 20_000,
    reviewsPerSimilarProduct: 4000,
    mainProductSilentPurchases: { min: 2000, max: 2000 },
    similarSilentPurchases: { min: 6000, max: 6000 },
  },
};

/** The fingerprint of the same run written whole by this process, uninterrupted. */
async function expectedFingerprint(db: Database): Promise<string> {
  const input = { ...INPUT, asOf: new Date('2026-11-01T00:00:00Z') } as unknown as GenerateScenarioInput;
  const llm = createLlmServices(loadConfig({}).llm);
  const run = await runScenario({ db, llm }, resolveScenarioRequest(input, new Date()));
  expect(run.status).toBe('SUCCEEDED');
  return run.fingerprint!;
}

const RUN = `query($id: ID!) { run(id: $id) { id status error fingerprint attempts progress { rowsDone } rowCounts { transactions reviews } } }`;

if (usingPostgres) {
  describe('a worker process killed mid-run', () => {
    let app: TestApp;
    const workers: ChildProcess[] = [];

    beforeAll(async () => {
      // This process queues and answers; only separate worker processes work jobs.
      app = await startTestApp({ MOCKFORGE_WORKERS: '0' });
    });
    afterAll(async () => {
      for (const w of workers) w.kill('SIGKILL');
      await app?.close();
    });

    function startWorker(): Promise<ChildProcess> {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/app/worker.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: app.config.databaseUrl!,
          MOCKFORGE_QUEUE: app.config.queue.backend,
          MOCKFORGE_QUEUE_NAME: app.config.queue.name,
          ...(app.config.queue.redisUrl ? { REDIS_URL: app.config.queue.redisUrl } : {}),
          MOCKFORGE_DATA_DIR: 'memory://',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      workers.push(child);
      return new Promise((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 60_000);
        const onData = (data: Buffer) => {
          output += data.toString();
          if (output.includes('MockForge worker ready')) {
            clearTimeout(timer);
            resolve(child);
          }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${output}`)));
      });
    }

    it('is taken over by another worker: the run succeeds with the same rows, within 60 s', async () => {
      const [reference, first] = await Promise.all([expectedFingerprint(app.db), startWorker()]);
      const res = await app.gql(
        `mutation($input: GenerateScenarioInput!) { generateScenario(input: $input, wait: false) { id status } }`,
        { input: INPUT },
      );
      expectNoErrors(res);
      const id = res.data!.generateScenario.id;
      const running = await until(
        async () => (await app.gql(RUN, { id })).data!.run,
        (r) => r.status === 'RUNNING' && r.progress?.rowsDone > 0,
        60_000,
      );
      expect(running.status).toBe('RUNNING');
      first.kill('SIGKILL');
      const killedAt = Date.now();
      await startWorker();
      const finished = await until(
        async () => (await app.gql(RUN, { id })).data!.run,
        (r) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status),
        90_000,
      );
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      expect(finished).toMatchObject({ status: 'SUCCEEDED', fingerprint: reference });
      // Exactly the rows of one complete run: the dead worker's partial rows were removed.
      const [rows] = await app.db.dataSource.query(
        `SELECT (SELECT count(*) FROM transactions WHERE run_id = $1)::int AS transactions,
                (SELECT count(*) FROM reviews WHERE run_id = $1)::int AS reviews`,
        [id],
      );
      expect(rows).toEqual(finished.rowCounts);
    });
  });
} else {
  describe('the embedded service restarted after a crash', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(() => app?.close());

    it('ends runs left RUNNING as FAILED without their rows, and runs the ones left QUEUED', async () => {
      const generate = (input: object) =>
        app.gql(
          `mutation($input: GenerateScenarioInput!) { generateScenario(input: $input) { id status fingerprint } }`,
          {
            input,
          },
        );
      const crashed = (await generate({ scenario: 'C2', seed: 1, asOf: '2026-11-01' })).data!
        .generateScenario;
      const waiting = (await generate({ scenario: 'C3', seed: 1, asOf: '2026-11-01' })).data!
        .generateScenario;
      // What a process killed mid-run leaves: one run RUNNING with some of its rows, one QUEUED.
      await app.db.dataSource.query(`UPDATE generation_runs SET status = 'RUNNING' WHERE id = $1`, [
        crashed.id,
      ]);
      await app.db.dataSource.query(
        `UPDATE generation_runs SET status = 'QUEUED', fingerprint = NULL, finished_at = NULL WHERE id = $1`,
        [waiting.id],
      );
      await app.db.dataSource.query(`DELETE FROM reviews WHERE run_id = $1`, [waiting.id]);
      await app.db.dataSource.query(`DELETE FROM transactions WHERE run_id = $1`, [waiting.id]);
      await app.db.dataSource.query(`DELETE FROM product_embeddings WHERE run_id = $1`, [waiting.id]);
      await app.db.dataSource.query(`DELETE FROM user_embeddings WHERE run_id = $1`, [waiting.id]);
      await app.db.dataSource.query(`DELETE FROM users WHERE run_id = $1`, [waiting.id]);
      await app.db.dataSource.query(`DELETE FROM products WHERE run_id = $1`, [waiting.id]);
      await app.db.dataSource.query(`DELETE FROM cost_records WHERE run_id = $1`, [waiting.id]);
      await app.db.dataSource.query(`DELETE FROM agents WHERE run_id = $1`, [waiting.id]);
      await app.db.dataSource.query(`DELETE FROM members WHERE run_id = $1`, [waiting.id]);

      expect(await app.jobs.recover(0)).toEqual({ failed: 1, requeued: 1, cleared: 0 });
      const failed = (await app.gql(RUN, { id: crashed.id })).data!.run;
      expect(failed.status).toBe('FAILED');
      expect(failed.error).toMatch(/Interrupted/);
      const [{ n }] = await app.db.dataSource.query(
        `SELECT count(*)::int AS n FROM products WHERE run_id = $1`,
        [crashed.id],
      );
      expect(n).toBe(0);
      const rerun = await until(
        async () => (await app.gql(RUN, { id: waiting.id })).data!.run,
        (r) => r.status === 'SUCCEEDED',
        60_000,
      );
      expect(rerun.fingerprint).toBe(waiting.fingerprint);
    });
  });
}
