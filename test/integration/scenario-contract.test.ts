import type { EntityManager } from 'typeorm';
import { loadConfig } from '../../src/config';
import { createLlmServices } from '../../src/llm';
import { runScenario } from '../../src/pipeline/scenario-run';
import { resolveScenarioRequest } from '../../src/pipeline/scenario-request';
import type { GenerateScenarioInput } from '../../resolvers/types/generate-scenario.input';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The scenario contract is computed from the stored rows: editing them inside the run's
 * transaction (after the pipeline wrote them, before the contract reads them) must fail the named
 * check, roll the run back and leave no row of it. One edit per family of checks.
 */
let app: TestApp;
const llm = createLlmServices(loadConfig({ MOCKFORGE_DATA_DIR: 'memory://' }).llm);

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

async function runWith(scenario: string, tamper: (m: EntityManager, runId: string) => Promise<unknown>) {
  const request = resolveScenarioRequest(
    { scenario, seed: 5, asOf: new Date('2026-11-01T00:00:00Z') } as unknown as GenerateScenarioInput,
    new Date(),
  );
  return runScenario(
    { db: app.db, llm, beforeContract: async (m, runId) => void (await tamper(m, runId)) },
    request,
  );
}

const q = (m: EntityManager, sql: string, runId: string) => m.query(sql, [runId]);

const cases: [string, string, string, (m: EntityManager, runId: string) => Promise<unknown>][] = [
  [
    'a product rated far from its reviews',
    'A1',
    'products.reviewsAverageTheirRating',
    (m, r) => q(m, `UPDATE products SET star_rating = 1.0 WHERE run_id = $1 AND role = 'SIMILAR'`, r),
  ],
  [
    'a review count that is not the reviews',
    'A1',
    'products.reviewCountMatchesReviews',
    (m, r) =>
      q(m, `UPDATE products SET review_count = review_count + 1 WHERE run_id = $1 AND role = 'MAIN'`, r),
  ],
  [
    'a shopper total that is not their rows',
    'A1',
    'users.totalsMatchTheirRows',
    (m, r) =>
      q(m, `UPDATE users SET total_purchases = total_purchases + 1 WHERE run_id = $1 AND is_main_user`, r),
  ],
  [
    'HIGH engagement without purchases',
    'C2',
    'users.noHighEngagementWithoutPurchases',
    // C2's main user has only the survey trigger: without it they have no purchase at all.
    async (m, r) => {
      await q(
        m,
        `DELETE FROM transactions WHERE run_id = $1 AND user_id = (SELECT id FROM users WHERE run_id = $1 AND is_main_user)`,
        r,
      );
      await q(
        m,
        `UPDATE users SET engagement_level = 'HIGH', total_purchases = 0, review_engagement_rate = 0 WHERE run_id = $1 AND is_main_user`,
        r,
      );
    },
  ],
  [
    'an engagement level off its thresholds',
    'B1',
    'users.engagementByThresholds',
    (m, r) =>
      q(
        m,
        `UPDATE users SET engagement_level = CASE engagement_level WHEN 'LOW' THEN 'HIGH' ELSE 'LOW' END
           WHERE run_id = $1 AND NOT is_main_user`,
        r,
      ),
  ],
  [
    'returns turned into deliveries',
    'A1',
    'purchases.statusSplit',
    (m, r) =>
      q(
        m,
        `UPDATE transactions SET status = 'DELIVERED', return_date = NULL WHERE run_id = $1 AND status = 'RETURNED'`,
        r,
      ),
  ],
  [
    'a pending order from last year',
    'B2',
    'purchases.pendingAreRecent',
    (m, r) =>
      q(
        m,
        `UPDATE transactions SET order_date = order_date - interval '300 days',
           expected_delivery_date = expected_delivery_date - interval '300 days' WHERE run_id = $1 AND status = 'PENDING'`,
        r,
      ),
  ],
  [
    'a pending order overdue by three days',
    'B2',
    'purchases.pendingAreRecent',
    (m, r) =>
      q(
        m,
        `UPDATE transactions SET order_date = $2::timestamptz - interval '4 days', expected_delivery_date = $2::timestamptz - interval '3 days'
          WHERE run_id = $1 AND id = (SELECT id FROM transactions WHERE run_id = $1 AND status = 'PENDING' LIMIT 1)`.replace(
          /\$2::timestamptz/g,
          `'2026-11-01T00:00:00Z'::timestamptz`,
        ),
        r,
      ),
  ],
  [
    'every delivery late',
    'A1',
    'purchases.lateDeliveriesTheException',
    (m, r) =>
      q(
        m,
        `UPDATE transactions SET delivery_date = expected_delivery_date + interval '1 day'
          WHERE run_id = $1 AND status = 'DELIVERED' AND delivery_date <= expected_delivery_date
            AND order_date < '2026-10-01'`,
        r,
      ),
  ],
  [
    'a delivery a week late',
    'A1',
    'purchases.lateDeliveriesTheException',
    (m, r) =>
      q(
        m,
        `UPDATE transactions SET delivery_date = expected_delivery_date + interval '7 days'
          WHERE run_id = $1 AND id = (SELECT id FROM transactions WHERE run_id = $1 AND delivery_date > expected_delivery_date
            AND return_date IS NULL LIMIT 1)`,
        r,
      ),
  ],
  [
    'a review of a returned item written before the return',
    'A2',
    'reviews.ofReturnsAfterTheReturn',
    (m, r) =>
      q(
        m,
        `UPDATE reviews v SET reviewed_at = t.delivery_date + interval '1 hour' FROM transactions t
          WHERE v.run_id = $1 AND t.run_id = v.run_id AND t.id = v.transaction_id AND t.status = 'RETURNED'`,
        r,
      ),
  ],
  [
    'return talk on a kept item',
    'C3',
    'reviews.noReturnLanguageOnKeptItems',
    (m, r) =>
      q(
        m,
        `UPDATE reviews SET text = text || ' I returned it.' WHERE run_id = $1 AND transaction_id IN
           (SELECT t.id FROM transactions t JOIN reviews v ON v.run_id = t.run_id AND v.transaction_id = t.id
             WHERE t.run_id = $1 AND t.status = 'DELIVERED' LIMIT 1)`,
        r,
      ),
  ],
  [
    'a glowing review of a returned item',
    'A2',
    'reviews.returnedReadLikeReturnsAndLeanLow',
    (m, r) =>
      q(
        m,
        `UPDATE reviews SET stars = 5 WHERE run_id = $1 AND transaction_id IN
           (SELECT id FROM transactions WHERE run_id = $1 AND status = 'RETURNED')`,
        r,
      ),
  ],
  [
    'one shopper reviewing a product twice',
    'A3',
    'reviews.onePerShopperAndProduct',
    (m, r) =>
      q(
        m,
        `UPDATE reviews SET user_id = (SELECT user_id FROM reviews x WHERE x.run_id = $1 AND x.product_id = reviews.product_id
           ORDER BY x.id LIMIT 1) WHERE run_id = $1 AND product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN')`,
        r,
      ),
  ],
  [
    'one shopper buying a product ten times',
    'A4',
    'purchases.atMost3PerShopperAndProduct',
    (m, r) =>
      q(
        m,
        `UPDATE transactions t SET user_id = (SELECT id FROM users WHERE run_id = $1 AND NOT is_main_user ORDER BY id LIMIT 1)
           WHERE t.run_id = $1 AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.run_id = t.run_id AND v.transaction_id = t.id)
             AND t.product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN')`,
        r,
      ),
  ],
  [
    'the main user without their review',
    'A1',
    'mainUser.exactReviews',
    (m, r) =>
      q(
        m,
        `DELETE FROM reviews WHERE run_id = $1 AND user_id = (SELECT id FROM users WHERE run_id = $1 AND is_main_user)
           AND product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN')`,
        r,
      ),
  ],
  [
    'a review dated after asOf',
    'C4',
    'reviews.noneAfterAsOf',
    (m, r) =>
      q(
        m,
        `UPDATE reviews SET reviewed_at = '2026-11-05T00:00:00Z' WHERE run_id = $1 AND id = (SELECT id FROM reviews WHERE run_id = $1 LIMIT 1)`,
        r,
      ),
  ],
  [
    'a missing embedding',
    'C1',
    'embeddings.coverage',
    (m, r) =>
      q(
        m,
        `DELETE FROM review_embeddings WHERE run_id = $1 AND review_id = (SELECT review_id FROM review_embeddings WHERE run_id = $1 LIMIT 1)`,
        r,
      ),
  ],
];

it.each(cases)('%s (%s): %s fails, no row kept', async (_name, scenario, checkName, tamper) => {
  const run = await runWith(scenario, tamper);
  expect(run.status).toBe('FAILED');
  expect(run.error).toContain(checkName);
  const failed = run.contract.filter((c) => !c.passed).map((c) => c.name);
  expect(failed).toContain(checkName);
  const [{ n }] = await app.db.dataSource.query(
    `SELECT (SELECT count(*) FROM products WHERE run_id = $1) + (SELECT count(*) FROM users WHERE run_id = $1) AS n`,
    [run.id],
  );
  expect(Number(n)).toBe(0);
});

it('untouched, the same runs pass every check', async () => {
  for (const scenario of new Set(cases.map((c) => c[1]))) {
    const run = await runWith(scenario, async () => undefined);
    expect([scenario, run.contract.filter((c) => !c.passed)]).toEqual([scenario, []]);
    expect(run.status).toBe('SUCCEEDED');
  }
});
