import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * surveyContext: what Survey Sensei's agents read for each scenario, checked against the stored
 * rows with SQL of the test's own (not the service's code).
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const CONTEXT = `query($runId: ID!) { surveyContext(runId: $runId) {
  runId hasEmbeddings
  triggerPurchase { id orderDate status userId productId }
  mainProduct { id role reviewCount }
  mainProductReviews { id reviewedAt productId transactionId }
  similarProducts { similarity product { id role category } reviews { id reviewedAt productId } }
  mainUser { id isMainUser }
  mainUserProfile { totalPurchases totalReviews reviewEngagementRate avgReviewRating sentimentTendency engagementLevel }
  mainUserSimilarPurchases { similarity transaction { id userId productId orderDate } product { id role } }
} }`;

const sql = (text: string, params: unknown[]) => app.db.dataSource.query(text, params);

async function generate(input: Record<string, unknown>) {
  const res = await app.gql(
    `mutation($input: GenerateScenarioInput!) { generateScenario(input: $input) { id status } }`,
    { input: { asOf: '2026-11-01', ...input } },
  );
  expectNoErrors(res);
  expect(res.data!.generateScenario.status).toBe('SUCCEEDED');
  return res.data!.generateScenario.id as string;
}

async function contextOf(runId: string) {
  const res = await app.gql(CONTEXT, { runId });
  expectNoErrors(res);
  return res.data!.surveyContext;
}

const newestFirst = (dates: string[]) => [...dates].sort().reverse();

describe('surveyContext', () => {
  let counts: Map<string, { mainUserSimilarPurchases: number; mainProductReviews: number }>;
  beforeAll(async () => {
    const res = await app.gql(`{ scenarios { id counts { mainUserSimilarPurchases mainProductReviews } } }`);
    expectNoErrors(res);
    counts = new Map(res.data!.scenarios.map((s: any) => [s.id, s.counts]));
  });

  it.each(['A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'C4'])(
    '%s: the trigger, the main product and its reviews, similar products and the main user as the agents read them',
    async (scenario) => {
      const runId = await generate({ scenario });
      const c = await contextOf(runId);
      expect(c.hasEmbeddings).toBe(true);
      const [main] = await sql(`SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN'`, [runId]);
      const [user] = await sql(`SELECT id FROM users WHERE run_id = $1 AND is_main_user`, [runId]);
      expect(c.mainProduct.id).toBe(main.id);
      expect(c.mainUser).toEqual({ id: user.id, isMainUser: true });

      // The trigger: the main user's latest purchase of the main product, 2–7 days before asOf.
      const [latest] = await sql(
        `SELECT id FROM transactions WHERE run_id = $1 AND user_id = $2 AND product_id = $3 ORDER BY order_date DESC LIMIT 1`,
        [runId, user.id, main.id],
      );
      expect(c.triggerPurchase.id).toBe(latest.id);
      const age = Date.parse('2026-11-01T00:00:00Z') - Date.parse(c.triggerPurchase.orderDate);
      expect(age).toBeGreaterThanOrEqual(2 * 86_400_000);
      expect(age).toBeLessThanOrEqual(7 * 86_400_000);

      // The main product's reviews with a purchase, newest first, at most 50.
      const [{ n }] = await sql(
        `SELECT count(*)::int AS n FROM reviews WHERE run_id = $1 AND product_id = $2 AND transaction_id IS NOT NULL`,
        [runId, main.id],
      );
      expect(c.mainProductReviews).toHaveLength(Math.min(50, n));
      expect(n > 0).toBe(counts.get(scenario)!.mainProductReviews > 0);
      const dates = c.mainProductReviews.map((r: any) => r.reviewedAt);
      expect(dates).toEqual(newestFirst(dates));

      // Similar products: the main product's own kind (SIMILAR, never DIVERSE), best first, at most 5.
      expect(c.similarProducts.length).toBeGreaterThan(0);
      expect(c.similarProducts.length).toBeLessThanOrEqual(5);
      const scores = c.similarProducts.map((s: any) => s.similarity);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const s of c.similarProducts) {
        expect(s.similarity).toBeGreaterThan(0.7);
        expect(s.product.role).toBe('SIMILAR');
        expect(s.reviews.length).toBeGreaterThan(0);
        expect(s.reviews.length).toBeLessThanOrEqual(10);
        for (const r of s.reviews) expect(r.productId).toBe(s.product.id);
      }

      // The main user: figures from their rows, labels by the original rules.
      const [activity] = await sql(
        `SELECT (SELECT count(*) FROM transactions WHERE run_id = $1 AND user_id = $2)::int AS purchases,
                (SELECT count(*) FROM reviews WHERE run_id = $1 AND user_id = $2 AND transaction_id IS NOT NULL)::int AS reviews,
                (SELECT avg(stars)::float8 FROM reviews WHERE run_id = $1 AND user_id = $2 AND transaction_id IS NOT NULL) AS mean`,
        [runId, user.id],
      );
      const p = c.mainUserProfile;
      expect([p.totalPurchases, p.totalReviews]).toEqual([activity.purchases, activity.reviews]);
      expect(Math.abs(Number(p.avgReviewRating) - (activity.mean ?? 0))).toBeLessThanOrEqual(0.005);
      const rate = activity.reviews / activity.purchases;
      expect(p.engagementLevel).toBe(
        activity.reviews >= 5 && rate >= 0.7
          ? 'highly_engaged'
          : activity.reviews >= 2 && rate >= 0.4
            ? 'moderately_engaged'
            : 'passive_buyer',
      );

      // Similar purchases: found exactly in the scenarios whose main user bought similar products.
      const hasSimilar = counts.get(scenario)!.mainUserSimilarPurchases > 0;
      expect([scenario, c.mainUserSimilarPurchases.length > 0]).toEqual([scenario, hasSimilar]);
      for (const s of c.mainUserSimilarPurchases) {
        expect(s.transaction.userId).toBe(user.id);
        expect(s.product.role).toBe('SIMILAR');
        expect(s.similarity).toBeGreaterThanOrEqual(0.7);
      }
    },
  );

  it('without embeddings nothing is similar, as in the original', async () => {
    const c = await contextOf(await generate({ scenario: 'A1', embeddings: false }));
    expect(c).toMatchObject({ hasEmbeddings: false, similarProducts: [], mainUserSimilarPurchases: [] });
    expect(c.triggerPurchase).not.toBeNull();
  });

  it('refuses an unknown run, a malformed id and a dashboard run', async () => {
    const code = async (runId: string) => (await app.gql(CONTEXT, { runId })).errors?.[0]?.extensions;
    expect(await code('00000000-0000-4000-8000-00000000dead')).toMatchObject({ code: 'NOT_FOUND' });
    expect(await code('not-a-run')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'runId' });
    const dashboard = await app.gql(
      `mutation { generateDashboard(input: { asOf: "2026-11-01", days: 2, agents: 2 }) { id } }`,
    );
    expectNoErrors(dashboard);
    expect(await code(dashboard.data!.generateDashboard.id)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'runId',
    });
  });
});
