import type { EntityManager } from 'typeorm';
import type { GenerationRun } from '../../entities';
import { loadConfig } from '../../src/config';
import { logger } from '../../src/log';
import { createLlmServices } from '../../src/llm';
import { checkScenario } from '../../src/pipeline/scenario/scenario-contract';
import { runScenario } from '../../src/runs/scenario-run';
import { resolveScenarioRequest, type ScenarioRequest } from '../../src/pipeline/scenario/scenario-request';
import type { GenerateScenarioInput } from '../../resolvers/types/generate-scenario.input';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The scenario contract is computed from the stored rows. Every check is shown to fail: each case
 * edits an untouched run's rows inside a transaction, runs the contract on them and rolls back;
 * the listing test holds every check name the contract has against the cases (the listing: check
 * name → the edit that fails it). A run whose rows are edited before its contract runs
 * (beforeContract) fails, is rolled back and keeps no row.
 */
let app: TestApp;
const llm = createLlmServices(loadConfig({ MOCKFORGE_DATA_DIR: 'memory://' }).llm);

/** The inputs the cases edit: a scenario by its id, or one with a sentiment spread. */
const INPUTS: Record<string, object> = {
  'A1 spread': { scenario: 'A1', sentimentSpread: { good: 60, neutral: 25, bad: 15 } },
  // CUSTOM runs: shoppers by the table's mockUsers, then by the most-bought product (ceil(61 / 3) = 21).
  'A1 more shoppers': { scenario: 'A1', overrides: { mockUsers: 130 } },
  'A1 busy product': {
    scenario: 'A1',
    overrides: { mockUsers: 1, mainProductReviews: 1, mainProductSilentPurchases: { min: 60, max: 60 } },
  },
};
const requestOf = (key: string): ScenarioRequest =>
  resolveScenarioRequest(
    {
      scenario: key,
      ...INPUTS[key],
      seed: 5,
      asOf: new Date('2026-11-01T00:00:00Z'),
    } as unknown as GenerateScenarioInput,
    new Date(),
  );

/** One untouched, committed run per input the cases use. */
const untouched = new Map<string, GenerationRun>();

beforeAll(async () => {
  app = await startTestApp();
  for (const key of new Set(cases.map((c) => c[1]))) {
    untouched.set(key, await runScenario({ db: app.db, llm }, requestOf(key)));
  }
});
afterAll(() => app?.close());

function runWith(key: string, tamper: (m: EntityManager, runId: string) => Promise<unknown>) {
  return runScenario(
    { db: app.db, llm, beforeContract: async (m, runId) => void (await tamper(m, runId)) },
    requestOf(key),
  );
}

/** The checks that fail on an untouched run's rows once `tamper` edited them (then rolled back). */
async function failedAfter(
  key: string,
  tamper: (m: EntityManager, runId: string) => Promise<unknown>,
): Promise<string[]> {
  const run = untouched.get(key)!;
  expect(run.status).toBe('SUCCEEDED');
  const runner = app.db.dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await tamper(runner.manager, run.id);
    const contract = await checkScenario(runner.manager, run.id, requestOf(key));
    return contract.filter((c) => !c.passed).map((c) => c.name);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

const q = (m: EntityManager, sql: string, runId: string) => m.query(sql, [runId]);
/** A tamper of one statement on the run ($1). */
const sqlq = (sql: string) => (m: EntityManager, runId: string) => q(m, sql, runId);
/** One of the run's rows of `table` (where `filter` holds), by id. */
const one = (table: string, filter = 'true') =>
  `(SELECT id FROM ${table} WHERE run_id = $1 AND ${filter} ORDER BY id LIMIT 1)`;
const mainUser = `(SELECT id FROM users WHERE run_id = $1 AND is_main_user)`;
const oneSimilar = `(SELECT id FROM products WHERE run_id = $1 AND role = 'SIMILAR' ORDER BY id LIMIT 1)`;

/** [what the case does, the input it edits, the check it fails, the edit] */
type Case = [string, string, string, (m: EntityManager, runId: string) => Promise<unknown>];

const cases: Case[] = [
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
  // users.totalsMatchTheirRows: each of the figures it compares, one at a time
  ...(
    [
      ['purchases', 'total_purchases = total_purchases + 1'],
      ['reviews', 'total_reviews = total_reviews + 1'],
      ['reviews without purchase', 'reviews_without_purchase = reviews_without_purchase + 1'],
      ['engagement rate', 'review_engagement_rate = review_engagement_rate + 0.001'],
      ['average rating', 'avg_review_rating = avg_review_rating + 0.01'],
      ['average rating (none)', 'avg_review_rating = NULL'],
    ] as const
  ).map(
    ([figure, set]): Case => [
      `a shopper's ${figure} that is not their rows`,
      'A1',
      'users.totalsMatchTheirRows',
      sqlq(`UPDATE users SET ${set} WHERE run_id = $1 AND is_main_user`),
    ],
  ),
  [
    "a shopper's average rating where they have no review",
    'C4',
    'users.totalsMatchTheirRows',
    sqlq(
      `UPDATE users SET avg_review_rating = 4 WHERE run_id = $1 AND id = ${one(
        'users',
        `NOT EXISTS
            (SELECT 1 FROM reviews r WHERE r.run_id = users.run_id AND r.user_id = users.id)`,
      )}`,
    ),
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
    // (one would stay within 1 of its share: rounded down instead of up)
    'two returns delivered instead',
    'A1',
    'purchases.statusSplit',
    sqlq(`UPDATE transactions SET status = 'DELIVERED', return_date = NULL WHERE run_id = $1 AND id IN
            (SELECT id FROM transactions WHERE run_id = $1 AND status = 'RETURNED' ORDER BY id LIMIT 2)`),
  ],
  [
    'one pending order delivered instead',
    'B2',
    'purchases.statusSplit',
    sqlq(`UPDATE transactions SET status = 'DELIVERED', delivery_date = expected_delivery_date, order_date = order_date - interval '5 days',
            expected_delivery_date = expected_delivery_date - interval '5 days'
          WHERE run_id = $1 AND id = ${one('transactions', `status = 'PENDING'`)}`),
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
  [
    'no main product',
    'A1',
    'products.main',
    sqlq(`UPDATE products SET role = 'SIMILAR' WHERE run_id = $1 AND role = 'MAIN'`),
  ],
  [
    'a similar product too few',
    'A1',
    'products.similar',
    sqlq(
      `UPDATE products SET role = 'DIVERSE' WHERE run_id = $1 AND id = ${one(`products`, `role = 'SIMILAR'`)}`,
    ),
  ],
  [
    'a diverse product too few',
    'A1',
    'products.diverse',
    sqlq(
      `UPDATE products SET role = 'SIMILAR' WHERE run_id = $1 AND id = ${one(`products`, `role = 'DIVERSE'`)}`,
    ),
  ],
  [
    'a similar product priced as the main one',
    'A1',
    'products.similarPriceWithin20to40Percent',
    sqlq(`UPDATE products SET price = (SELECT price FROM products WHERE run_id = $1 AND role = 'MAIN')
      WHERE run_id = $1 AND id = ${one(`products`, `role = 'SIMILAR'`)}`),
  ],
  [
    'a similar product of another category',
    'A1',
    'products.similarSameCategory',
    sqlq(`UPDATE products SET category = (SELECT category FROM products WHERE run_id = $1 AND role = 'DIVERSE' LIMIT 1)
      WHERE run_id = $1 AND id = ${one(`products`, `role = 'SIMILAR'`)}`),
  ],
  [
    'no similar product of the main brand',
    'A1',
    'products.similarMainBrandShare',
    sqlq(`UPDATE products SET brand = 'Nobrand' WHERE run_id = $1 AND role = 'SIMILAR'`),
  ],
  [
    'a diverse product of the main category',
    'A1',
    'products.diverseOtherCategoryPricedInItsBand',
    sqlq(`UPDATE products SET category = (SELECT category FROM products WHERE run_id = $1 AND role = 'MAIN')
      WHERE run_id = $1 AND id = ${one(`products`, `role = 'DIVERSE'`)}`),
  ],
  [
    'a diverse product priced out of its category’s band',
    'A1',
    'products.diverseOtherCategoryPricedInItsBand',
    sqlq(
      `UPDATE products SET price = 99999 WHERE run_id = $1 AND id = ${one(`products`, `role = 'DIVERSE'`)}`,
    ),
  ],
  [
    'no main user',
    'A1',
    'users.main',
    sqlq(`UPDATE users SET is_main_user = false WHERE run_id = $1 AND is_main_user`),
  ],
  [
    'a mock shopper too few',
    'A1',
    'users.mock',
    sqlq(
      `UPDATE users SET is_main_user = true WHERE run_id = $1 AND id = ${one(`users`, `NOT is_main_user`)}`,
    ),
  ],
  [
    'a custom run: a shopper fewer than its mockUsers',
    'A1 more shoppers',
    'users.mock',
    sqlq(
      `UPDATE users SET is_main_user = true WHERE run_id = $1 AND id = ${one(`users`, `NOT is_main_user`)}`,
    ),
  ],
  [
    'a custom run: a shopper more than its table could need',
    'A1 more shoppers',
    'users.mock',
    sqlq(`INSERT INTO users SELECT (json_populate_record(u, json_build_object('id', gen_random_uuid(),
            'email', 'extra-' || u.email)::json)).* FROM users u WHERE run_id = $1 AND id = ${one(`users`, `NOT is_main_user`)}`),
  ],
  [
    'a custom run: a shopper fewer than its most-bought product needs',
    'A1 busy product',
    'users.mock',
    sqlq(
      `UPDATE users SET is_main_user = true WHERE run_id = $1 AND id = ${one(`users`, `NOT is_main_user`)}`,
    ),
  ],
  [
    'two shoppers with one email but for its case',
    'A1',
    'users.emailsUnique',
    sqlq(`UPDATE users SET email = upper((SELECT email FROM users WHERE run_id = $1 AND NOT is_main_user ORDER BY id LIMIT 1))
      WHERE run_id = $1 AND id = (SELECT id FROM users WHERE run_id = $1 AND NOT is_main_user ORDER BY id OFFSET 1 LIMIT 1)`),
  ],
  [
    'a tendency off the mean stars',
    'A1',
    'users.tendencyByMeanStars',
    sqlq(`UPDATE users SET sentiment_tendency = CASE WHEN sentiment_tendency = 'POSITIVE' THEN 'NEGATIVE' ELSE 'POSITIVE' END
      WHERE run_id = $1 AND id = ${one(`users`, `NOT is_main_user`)}`),
  ],
  [
    'a delivery dated after asOf',
    'A1',
    'purchases.noDateAfterAsOf',
    sqlq(`UPDATE transactions SET delivery_date = '2026-11-05T00:00:00Z', expected_delivery_date = '2026-11-05T00:00:00Z'
      WHERE run_id = $1 AND id = ${one(`transactions`, `status = 'DELIVERED'`)}`),
  ],
  [
    'a purchase years before the order window',
    'A1',
    'purchases.orderWindow',
    sqlq(`UPDATE transactions SET order_date = order_date - interval '5 years'
      WHERE run_id = $1 AND id = ${one(`transactions`, `status = 'DELIVERED' AND user_id <> ${mainUser}`)}`),
  ],
  [
    'a discount of half the price',
    'A1',
    'purchases.prices',
    sqlq(
      `UPDATE transactions SET retail_price = round(original_price / 2, 2) WHERE run_id = $1 AND id = ${one(`transactions`)}`,
    ),
  ],
  [
    'an original price that is not the list price',
    'A1',
    'purchases.prices',
    sqlq(
      `UPDATE transactions SET original_price = original_price + 1 WHERE run_id = $1 AND id = ${one(`transactions`)}`,
    ),
  ],
  [
    'the main product’s silent purchases moved to a similar product',
    'A1',
    'purchases.mainProductWithoutReview',
    sqlq(`UPDATE transactions t SET product_id = ${oneSimilar}
      FROM products p WHERE t.run_id = $1 AND p.run_id = $1 AND p.id = t.product_id AND p.role = 'MAIN'
        AND t.user_id <> ${mainUser} AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.run_id = $1 AND r.transaction_id = t.id)`),
  ],
  [
    'the similar products’ silent purchases moved to the main product',
    'A1',
    'purchases.similarWithoutReview',
    sqlq(`UPDATE transactions t SET product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN')
      FROM products p WHERE t.run_id = $1 AND p.run_id = $1 AND p.id = t.product_id AND p.role = 'SIMILAR'
        AND t.user_id <> ${mainUser} AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.run_id = $1 AND r.transaction_id = t.id)`),
  ],
  [
    'the survey trigger marked as a mock purchase',
    'A1',
    'mainUser.surveyTriggerPurchase',
    sqlq(`UPDATE transactions SET is_mock = true WHERE run_id = $1 AND user_id = ${mainUser}
      AND product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN') AND order_date >= '2026-10-25T00:00:00Z'`),
  ],
  [
    'a mock shopper’s earlier purchase of the main product given to the main user',
    'A1',
    'mainUser.exactPurchasesBeforeTrigger',
    sqlq(
      `UPDATE transactions SET user_id = ${mainUser} WHERE run_id = $1 AND id = ${one(
        `transactions`,
        `user_id <> ${mainUser} AND order_date < '2026-10-20T00:00:00Z' AND product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN')`,
      )}`,
    ),
  ],
  [
    'a mock shopper’s similar purchase given to the main user',
    'A1',
    'mainUser.similarPurchases',
    sqlq(
      `UPDATE transactions SET user_id = ${mainUser} WHERE run_id = $1 AND id = ${one(
        `transactions`,
        `user_id <> ${mainUser} AND product_id = ${oneSimilar}`,
      )}`,
    ),
  ],
  [
    'a mock review of the main product moved to a diverse product',
    'A1',
    'reviews.mainProduct.mock',
    sqlq(`UPDATE reviews SET product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'DIVERSE' LIMIT 1)
      WHERE run_id = $1 AND id = ${one(`reviews`, `user_id <> ${mainUser} AND product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN')`)}`),
  ],
  [
    'a good review of the main product turned bad',
    'A1 spread',
    'reviews.mainProduct.sentimentSpread',
    sqlq(
      `UPDATE reviews SET stars = 1 WHERE run_id = $1 AND id = ${one(
        `reviews`,
        `stars = 5 AND user_id <> ${mainUser} AND product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN')`,
      )}`,
    ),
  ],
  [
    'a generated review labelled as from the API',
    'A1',
    'reviews.rapidApi',
    sqlq(
      `UPDATE reviews SET source = 'RAPIDAPI' WHERE run_id = $1 AND id = ${one(`reviews`, `user_id <> ${mainUser}`)}`,
    ),
  ],
  [
    'a similar product’s review moved to another similar product',
    'A1',
    'reviews.perSimilarProduct',
    sqlq(`UPDATE reviews SET product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'SIMILAR' ORDER BY id LIMIT 1)
      WHERE run_id = $1 AND id = ${one(`reviews`, `user_id <> ${mainUser} AND product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'SIMILAR' ORDER BY id OFFSET 1 LIMIT 1)`)}`),
  ],
  [
    'a diverse product’s review moved to the main product',
    'A1',
    'reviews.perDiverseProduct',
    sqlq(`UPDATE reviews SET product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN')
      WHERE run_id = $1 AND id = ${one(`reviews`, `user_id <> ${mainUser} AND product_id IN (SELECT id FROM products WHERE run_id = $1 AND role = 'DIVERSE')`)}`),
  ],
  [
    'a review cut from its purchase',
    'A1',
    'reviews.withoutPurchase',
    sqlq(
      `UPDATE reviews SET transaction_id = NULL WHERE run_id = $1 AND id = ${one(`reviews`, `user_id <> ${mainUser} AND transaction_id IS NOT NULL`)}`,
    ),
  ],
  [
    'a mock shopper’s review of a similar product given to the main user',
    'A1',
    'mainUser.similarReviewsWithPurchase',
    sqlq(
      `UPDATE reviews SET user_id = ${mainUser} WHERE run_id = $1 AND id = ${one(
        `reviews`,
        `user_id <> ${mainUser} AND transaction_id IS NOT NULL AND product_id IN (SELECT id FROM products WHERE run_id = $1 AND role = 'SIMILAR')`,
      )}`,
    ),
  ],
  [
    'a review by the main user without a purchase',
    'A1',
    'mainUser.reviewsWithoutPurchase',
    sqlq(
      `UPDATE reviews SET user_id = ${mainUser}, transaction_id = NULL WHERE run_id = $1 AND id = ${one(
        `reviews`,
        `user_id <> ${mainUser} AND product_id IN (SELECT id FROM products WHERE run_id = $1 AND role = 'DIVERSE')`,
      )}`,
    ),
  ],
  [
    'a review of another product than its purchase',
    'A1',
    'reviews.matchTheirPurchase',
    sqlq(`UPDATE reviews SET product_id = (SELECT id FROM products WHERE run_id = $1 AND role = 'DIVERSE' ORDER BY id LIMIT 1)
      WHERE run_id = $1 AND id = ${one(`reviews`, `transaction_id IS NOT NULL AND product_id IN (SELECT id FROM products WHERE run_id = $1 AND role = 'SIMILAR')`)}`),
  ],
  [
    'a review written on the order day',
    'A1',
    'reviews.afterDelivery',
    sqlq(`UPDATE reviews r SET reviewed_at = t.order_date FROM transactions t
      WHERE r.run_id = $1 AND t.run_id = $1 AND t.id = r.transaction_id AND r.id = ${one(`reviews`, `transaction_id IS NOT NULL`)}`),
  ],
];

it.each(cases)('%s (%s): %s fails', async (_name, key, checkName, tamper) => {
  expect(await failedAfter(key, tamper)).toContain(checkName);
});

it('every check of the contract is failed by a case above (the listing)', () => {
  const names = new Set<string>();
  for (const run of untouched.values()) for (const c of run.contract) names.add(c.name);
  expect(names.size).toBeGreaterThan(40);
  expect([...new Set(cases.map((c) => c[2]))].sort()).toEqual([...names].sort());
});

it('a run whose rows break a check fails, is rolled back, keeps no row and logs one line', async () => {
  const [, key, checkName, tamper] = cases[0];
  const warn = jest.spyOn(logger, 'warn');
  const run = await runWith(key, tamper);
  const calls = [...warn.mock.calls];
  warn.mockRestore();
  expect(run.status).toBe('FAILED');
  const lines = calls.filter(([fields]) => (fields as { runId?: string }).runId === run.id);
  expect(lines).toEqual([
    [{ runId: run.id, reason: run.error, failedChecks: expect.arrayContaining([checkName]) }, 'run failed'],
  ]);
  expect(run.error).toContain(checkName);
  expect(run.contract.filter((c) => !c.passed).map((c) => c.name)).toContain(checkName);
  const [{ n }] = await app.db.dataSource.query(
    `SELECT (SELECT count(*) FROM products WHERE run_id = $1) + (SELECT count(*) FROM users WHERE run_id = $1) AS n`,
    [run.id],
  );
  expect(Number(n)).toBe(0);
});

it('untouched, the runs pass every check', () => {
  for (const [key, run] of untouched) {
    expect([key, run.contract.filter((c) => !c.passed)]).toEqual([key, []]);
    expect(run.status).toBe('SUCCEEDED');
  }
});
