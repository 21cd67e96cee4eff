import type { GenerateScenarioInput } from '../../resolvers/types/generate-scenario.input';
import { openDatabase } from '../../src/db/data-source';
import { openJobs } from '../../src/runs';
import { createLlmServices } from '../../src/llm';
import { resolveScenarioRequest } from '../../src/pipeline/scenario/scenario-request';
import { ONE_TRANSACTION_MAX_ROWS } from '../../src/runs/run-cleanup';
import { runScenario } from '../../src/runs/scenario-run';
import { StatementCounter } from '../helpers/statement-counter';
import { storedRows } from '../helpers/stored-rows';
import { appDigests, SCENARIO_TABLES } from '../helpers/run-digest';
import { expectNoErrors, startTestApp, usingPostgres, type TestApp } from '../helpers/test-app';

/**
 * A large run fanned out over workers (BullMQ flows: shard jobs, then a finishing job) gives the
 * very rows and fingerprint that one worker writing it whole gives. On the embedded database runs
 * are never fanned out (one process, one session): there the whole-run path is checked against
 * the same reference.
 */

/**
 * ~35k rows: two shards. Embeddings on, as a user gets them by default (few reviews and many
 * silent purchases, so the ~10k vectors stay cheap).
 */
const INPUT = {
  scenario: 'A1',
  seed: 11,
  asOf: '2026-11-01',
  overrides: {
    mockUsers: 1000,
    mainProductReviews: 3000,
    reviewsPerSimilarProduct: 500,
    mainProductSilentPurchases: { min: 16_000, max: 16_000 },
    similarSilentPurchases: { min: 6000, max: 6000 },
  },
};

/**
 * On the embedded database (no fan-out): just over ONE_TRANSACTION_MAX_ROWS (25,000), so the run
 * is committed as it goes like a large one, without embeddings (they are not what this shows).
 */
const EMBEDDED_INPUT = {
  scenario: 'A1',
  seed: 11,
  asOf: '2026-11-01',
  embeddings: false,
  overrides: {
    mockUsers: 300,
    mainProductReviews: 800,
    reviewsPerSimilarProduct: 100,
    mainProductSilentPurchases: { min: 20_000, max: 20_000 },
    similarSilentPurchases: { min: 500, max: 500 },
  },
};

const GENERATE = `mutation($input: GenerateScenarioInput!) {
  generateScenario(input: $input) { id status error fingerprint contract { name passed actual } rowCounts { products users transactions reviews } } }`;

const request = (input: object) =>
  resolveScenarioRequest(
    { ...input, asOf: new Date('2026-11-01T00:00:00Z') } as unknown as GenerateScenarioInput,
    new Date(),
  );

const RUN_TABLES = ['products', 'users', 'transactions', 'reviews'];

let app: TestApp;

async function generate(input: object) {
  const res = await app.gql(GENERATE, { input });
  expectNoErrors(res);
  return res.data!.generateScenario;
}

async function shards(runId: string): Promise<{ shard: number; written_by: string }[]> {
  return app.db.dataSource.query(
    `SELECT shard, written_by FROM run_shards WHERE run_id = $1 AND shard >= 0 ORDER BY shard`,
    [runId],
  );
}

if (usingPostgres) {
  describe('a large run fanned out over workers', () => {
    const workers: { close(): Promise<void> }[] = [];

    beforeAll(async () => {
      // The API only queues; the workers below (each with its own connections) work the jobs.
      app = await startTestApp({ MOCKFORGE_WORKERS: '0' });
    });
    afterAll(async () => {
      for (const w of workers) await w.close();
      await app?.close();
    });

    async function addWorker(name: string): Promise<void> {
      // A logger of its own: the failing-shard test's refused inserts are expected, not news.
      const db = await openDatabase(app.config, { logger: new StatementCounter() });
      const jobs = await openJobs(app.config, db, createLlmServices(app.config.llm), {
        work: true,
        workerName: name,
      });
      workers.push({
        close: async () => {
          await jobs.close();
          await db.close();
        },
      });
    }

    it('gives the same rows and fingerprint with one worker, with two, and written whole', async () => {
      const whole = await runScenario({ db: app.db, llm: createLlmServices(app.config.llm) }, request(INPUT));
      const reference = whole.fingerprint;
      expect(reference).toMatch(/^[0-9a-f]{64}$/);
      await addWorker('worker-a');
      const one = await generate(INPUT);
      await addWorker('worker-b');
      const two = await generate(INPUT);

      for (const run of [whole, one, two]) {
        expect([run.status, run.error, run.contract?.filter((c: { passed: boolean }) => !c.passed)]).toEqual([
          'SUCCEEDED',
          null,
          [],
        ]);
        expect(run.fingerprint).toBe(reference);
      }
      expect(await shards(whole.id)).toEqual([]);
      const byOne = await shards(one.id);
      expect(byOne.length).toBeGreaterThan(1);
      expect(new Set(byOne.map((s) => s.written_by))).toEqual(new Set(['worker-a']));
      const byTwo = await shards(two.id);
      expect(byTwo.map((s) => s.shard)).toEqual(byOne.map((s) => s.shard));
      expect(new Set(byTwo.map((s) => s.written_by))).toEqual(new Set(['worker-a', 'worker-b']));
      // Every row and vector, the pipeline's own rows included (the embedding tables were lost once).
      const rows = await appDigests(app.db.dataSource, whole.id, SCENARIO_TABLES());
      for (const table of [
        'products',
        'users',
        'reviews',
        'product_embeddings',
        'user_embeddings',
        'review_embeddings',
      ]) {
        expect(rows[table]).not.toMatch(/^0 /);
      }
      expect(rows['user_embeddings'].split(' ')[0]).toBe(String(whole.rowCounts.users));
      expect(rows['review_embeddings'].split(' ')[0]).toBe(String(whole.rowCounts.reviews));
      expect(await appDigests(app.db.dataSource, one.id, SCENARIO_TABLES())).toEqual(rows);
      expect(await appDigests(app.db.dataSource, two.id, SCENARIO_TABLES())).toEqual(rows);
      const { products, users, transactions, reviews } = whole.rowCounts;
      expect(one.rowCounts).toEqual({ products, users, transactions, reviews });
      expect(two.rowCounts).toEqual({ products, users, transactions, reviews });

      // Text, people and dates stay believable at this size, as stored.
      const [look] = await app.db.dataSource.query(
        `SELECT (SELECT count(DISTINCT text)::float8 / count(*) FROM reviews WHERE run_id = $1) AS texts,
                (SELECT count(DISTINCT title) FROM reviews WHERE run_id = $1)::int AS titles,
                (SELECT count(DISTINCT name)::float8 / count(*) FROM users WHERE run_id = $1) AS names,
                (SELECT count(DISTINCT zip) FROM users WHERE run_id = $1 AND location = 'New York, NY')::int AS new_york_zips,
                (SELECT count(*) FILTER (WHERE location = 'New York, NY')::float8 / nullif(count(*) FILTER (WHERE location = 'Fargo, ND'), 0)
                   FROM users WHERE run_id = $1) AS new_york_over_fargo,
                (SELECT count(*) FILTER (WHERE expected_delivery_date < $2)::float8 / count(*) FROM transactions
                  WHERE run_id = $1 AND status = 'PENDING') AS pending_overdue,
                (SELECT count(*) FILTER (WHERE delivery_date > expected_delivery_date)::float8 / count(delivery_date)
                   FROM transactions WHERE run_id = $1) AS late,
                (SELECT count(*) FROM reviews r JOIN transactions t ON t.run_id = r.run_id AND t.id = r.transaction_id
                  WHERE r.run_id = $1 AND t.status = 'RETURNED' AND r.reviewed_at <= t.return_date)::int AS reviewed_before_return`,
        [whole.id, '2026-11-01T00:00:00Z'],
      );
      expect(look.texts).toBeGreaterThanOrEqual(0.95);
      expect(look.titles).toBeGreaterThan(100);
      expect(look.names).toBeGreaterThanOrEqual(0.95);
      expect(look.new_york_zips).toBeGreaterThanOrEqual(5);
      expect(look.new_york_over_fargo ?? Infinity).toBeGreaterThan(20);
      expect(look.pending_overdue).toBeLessThan(0.2);
      expect(look.late).toBeGreaterThan(0.07);
      expect(look.late).toBeLessThan(0.09);
      expect(look.reviewed_before_return).toBe(0);
    });

    it('a shard that fails fails the run with its reason and keeps none of its rows', async () => {
      // Every shard writes 3-star reviews; the products and shoppers before them are fine.
      await app.db.dataSource.query(
        `ALTER TABLE reviews ADD CONSTRAINT ck_test_no_three_stars CHECK (stars <> 3) NOT VALID`,
      );
      try {
        const run = await generate({ ...INPUT, seed: 12 });
        expect(run.status).toBe('FAILED');
        expect(run.error).toMatch(/SQLSTATE 23514, constraint ck_test_no_three_stars/);
        for (const table of RUN_TABLES) expect(await storedRows(app.db, table, run.id)).toMatch(/^0:/);
      } finally {
        await app.db.dataSource.query(`ALTER TABLE reviews DROP CONSTRAINT ck_test_no_three_stars`);
      }
    });
  });
} else {
  describe('a large run on the embedded database', () => {
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(() => app?.close());

    it('is worked whole by the in-process queue, with the fingerprint of the same rows', async () => {
      expect(app.jobs.engine.fansOut).toBe(false);
      const run = await generate(EMBEDDED_INPUT);
      const whole = await runScenario(
        { db: app.db, llm: createLlmServices(app.config.llm) },
        request(EMBEDDED_INPUT),
      );
      expect(request(EMBEDDED_INPUT).maxRows).toBeGreaterThan(ONE_TRANSACTION_MAX_ROWS);
      expect([whole.status, whole.error]).toEqual(['SUCCEEDED', null]);
      expect(run).toMatchObject({ status: 'SUCCEEDED', fingerprint: whole.fingerprint });
      expect(await shards(run.id)).toEqual([]);
      expect(await appDigests(app.db.dataSource, run.id, SCENARIO_TABLES())).toEqual(
        await appDigests(app.db.dataSource, whole.id, SCENARIO_TABLES()),
      );
    });
  });
}
