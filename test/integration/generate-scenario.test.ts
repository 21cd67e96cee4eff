import fs from 'node:fs';
import path from 'node:path';
import { SCENARIOS } from '../../generators/ecommerce/scenarios';
import { scenarioCoherence } from '../helpers/coherence';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { nonEmpty } from '../helpers/non-empty';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());
afterEach(() => expect(app.maskedErrors).toEqual([]));

const GENERATE = `mutation($input: GenerateScenarioInput!) {
  generateScenario(input: $input) {
    id status error scenarioId baseScenarioId seed asOf fingerprint generatorVersion durationMs
    rowCounts { products users transactions reviews extraShoppers }
    contract { name expected actual passed }
  }
}`;

async function generate(input: Record<string, unknown>) {
  const res = await app.gql(GENERATE, { input });
  expectNoErrors(res);
  return res.data!.generateScenario;
}

const sql = (text: string, params: unknown[] = []) => app.db.dataSource.query(text, params);

/** What the stored rows say about a run, measured with SQL (independently of the contract). */
async function measure(runId: string) {
  const [main] = await sql(`SELECT id, review_count FROM products WHERE run_id = $1 AND role = 'MAIN'`, [
    runId,
  ]);
  const [mainUser] = await sql(`SELECT * FROM users WHERE run_id = $1 AND is_main_user`, [runId]);
  const one = async (text: string) => Number((await sql(text, [runId, main.id, mainUser.id]))[0].n);
  return {
    products: await one(
      `SELECT count(*) AS n FROM products WHERE run_id = $1 AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL`,
    ),
    similar: await one(
      `SELECT count(*) AS n FROM products WHERE run_id = $1 AND role = 'SIMILAR' AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL`,
    ),
    mockUsers: await one(
      `SELECT count(*) AS n FROM users WHERE run_id = $1 AND NOT is_main_user AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL`,
    ),
    mainProductMockReviews: await one(
      `SELECT count(*) AS n FROM reviews WHERE run_id = $1 AND product_id = $2 AND user_id <> $3`,
    ),
    exactPurchases: await one(
      `SELECT count(*) AS n FROM transactions WHERE run_id = $1 AND product_id = $2 AND user_id = $3`,
    ),
    // The survey trigger: the main user's latest purchase of the main product, 2–7 days before asOf,
    // delivered and not reviewed.
    triggers: await one(
      `SELECT count(*) AS n FROM transactions t WHERE t.run_id = $1 AND t.product_id = $2 AND t.user_id = $3
          AND t.order_date BETWEEN timestamptz '2026-11-01' - interval '7 days' AND timestamptz '2026-11-01' - interval '2 days'
          AND t.status = 'DELIVERED' AND t.delivery_date <= timestamptz '2026-11-01'
          AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.run_id = t.run_id AND r.transaction_id = t.id)
          AND t.order_date = (SELECT max(order_date) FROM transactions x WHERE x.run_id = $1 AND x.product_id = $2 AND x.user_id = $3)`,
    ),
    similarPurchases: await one(
      `SELECT count(*) AS n FROM transactions t JOIN products p ON p.run_id = t.run_id AND p.id = t.product_id
        WHERE t.run_id = $1 AND p.role = 'SIMILAR' AND t.user_id = $3 AND $2::uuid IS NOT NULL`,
    ),
    exactReviews: await one(
      `SELECT count(*) AS n FROM reviews WHERE run_id = $1 AND product_id = $2 AND user_id = $3`,
    ),
    similarReviews: await one(
      `SELECT count(*) AS n FROM reviews WHERE run_id = $1 AND product_id <> $2 AND user_id = $3`,
    ),
    reviewsWithoutPurchase: await one(
      `SELECT count(*) AS n FROM reviews WHERE run_id = $1 AND transaction_id IS NULL AND user_id = $3 AND $2::uuid IS NOT NULL`,
    ),
    orphanReviews: await one(
      `SELECT count(*) AS n FROM reviews WHERE run_id = $1 AND transaction_id IS NULL AND user_id <> $3 AND $2::uuid IS NOT NULL`,
    ),
    reviewsBeforeDelivery: await one(
      `SELECT count(*) AS n FROM reviews r JOIN transactions t ON t.run_id = r.run_id AND t.id = r.transaction_id
        WHERE r.run_id = $1 AND (t.delivery_date IS NULL OR r.reviewed_at <= t.delivery_date
          OR r.product_id <> t.product_id OR r.user_id <> t.user_id) AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL`,
    ),
    datesAfterAsOf: await one(
      `SELECT count(*) AS n FROM transactions t JOIN generation_runs g ON g.id = t.run_id
        WHERE t.run_id = $1 AND GREATEST(t.order_date, t.delivery_date, t.return_date,
            CASE WHEN t.status = 'PENDING' THEN NULL ELSE t.expected_delivery_date END) > g.as_of
          AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL`,
    ),
    reviewCountMismatches: await one(
      `SELECT count(*) AS n FROM products p WHERE p.run_id = $1 AND p.review_count <>
         (SELECT count(*) FROM reviews r WHERE r.run_id = p.run_id AND r.product_id = p.id) AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL`,
    ),
    userTotalsMismatches: await one(
      `SELECT count(*) AS n FROM users u WHERE u.run_id = $1 AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL AND (
         u.total_purchases <> (SELECT count(*) FROM transactions t WHERE t.run_id = u.run_id AND t.user_id = u.id) OR
         u.total_reviews <> (SELECT count(*) FROM reviews r WHERE r.run_id = u.run_id AND r.user_id = u.id))`,
    ),
    mainUser,
  };
}

/**
 * The scenario table of docs/scenarios.md (the README's reference), as written there (not the generators' SCENARIOS): main product
 * reviews, reviews per similar product, the main user's exact / similar purchases before the
 * trigger and exact / similar reviews; and the mock shoppers a run of each group has once the
 * extra ones are added ("A: 125 shoppers, B: 38, C: 25"), 5 similar products each.
 */
const README_TABLE: Record<string, [number, number, number, number, number, number]> = {
  A1: [100, 20, 1, 3, 1, 3],
  A2: [100, 20, 1, 3, 1, 0],
  A3: [100, 20, 1, 3, 0, 3],
  A4: [100, 20, 1, 3, 0, 0],
  B1: [0, 30, 0, 3, 0, 3],
  B2: [0, 30, 0, 3, 0, 0],
  B3: [0, 30, 1, 3, 0, 3],
  B4: [0, 30, 1, 3, 0, 0],
  C1: [0, 20, 0, 0, 0, 2],
  C2: [0, 20, 0, 0, 0, 0],
  C3: [0, 20, 1, 0, 0, 0],
  C4: [0, 20, 0, 2, 0, 0],
};
const README_SHOPPERS: Record<string, number> = { A: 125, B: 38, C: 25 };

describe('generateScenario: all 12 scenarios', () => {
  const seeds = [1, 7, 2026];
  for (const scenario of SCENARIOS) {
    it(`${scenario.id}: every contract check passes and the stored rows match the table (seeds ${seeds.join(', ')})`, async () => {
      for (const seed of seeds) {
        const run = await generate({ scenario: scenario.id, seed, asOf: '2026-11-01' });
        expect(run.contract.filter((c: any) => !c.passed)).toEqual([]);
        expect(run).toMatchObject({
          status: 'SUCCEEDED',
          error: null,
          scenarioId: scenario.id,
          baseScenarioId: scenario.id,
          seed,
        });
        expect(run.contract.length).toBeGreaterThan(25);
        const m = await measure(run.id);
        const [mainReviews, perSimilar, exactBought, similarBought, exactReviewed, similarReviewed] =
          README_TABLE[scenario.id];
        expect(m.similar).toBe(5);
        const perProduct: { n: number }[] = await app.db.dataSource.query(
          `SELECT count(*)::int AS n FROM reviews r
             JOIN products p ON p.run_id = r.run_id AND p.id = r.product_id AND p.role = 'SIMILAR'
             JOIN users u ON u.run_id = r.run_id AND u.id = r.user_id AND NOT u.is_main_user
            WHERE r.run_id = $1 GROUP BY p.id`,
          [run.id],
        );
        expect(perProduct.map((p) => p.n)).toEqual([
          perSimilar,
          perSimilar,
          perSimilar,
          perSimilar,
          perSimilar,
        ]);
        // The table's shoppers, plus extra ones so no shopper reviews a product twice.
        expect(m.mockUsers).toBe(README_SHOPPERS[scenario.id[0]]);
        expect(m.mockUsers).toBe(scenario.counts.mockUsers + run.rowCounts.extraShoppers);
        expect(m.mainProductMockReviews).toBe(mainReviews);
        // Every scenario has the survey trigger; the table's exact purchases come before it.
        expect(m.triggers).toBe(1);
        expect(m.exactPurchases).toBe(exactBought + 1);
        expect(m.similarPurchases).toBe(similarBought);
        expect(m.exactReviews).toBe(exactReviewed);
        expect(m.similarReviews).toBe(similarReviewed);
        // C1's main-user reviews are the ones without a purchase.
        expect(m.reviewsWithoutPurchase).toBe(scenario.id === 'C1' ? 2 : 0);
        expect(m.orphanReviews).toBe(0);
        expect(m.reviewsBeforeDelivery).toBe(0);
        expect(m.datesAfterAsOf).toBe(0);
        // The coherence rules, over the stored rows.
        const k = await scenarioCoherence(app.db, run.id);
        const share = (n: number) => (100 * n) / k.status.total;
        expect(Math.abs(share(k.status.delivered) - 85)).toBeLessThanOrEqual(2);
        expect(Math.abs(share(k.status.returned) - 10)).toBeLessThanOrEqual(2);
        expect(Math.abs(share(k.status.pending) - 5)).toBeLessThanOrEqual(2);
        expect(k.status.stale_pending).toBe(0);
        expect(k.fit).toEqual({ returned_not_fitting: 0, kept_with_return_words: 0 });
        expect(k.repeats.repeat_reviews).toBe(0);
        expect(k.repeats.most_purchases_of_one_product).toBeLessThanOrEqual(3);
        expect(k.ratings.filter((p: any) => Math.abs(p.mean - p.rating) > 0.3)).toEqual([]);
        expect(k.engagement.high_without_purchases).toBe(0);
        expect(k.engagement.mock_levels).toBe(3);
        expect(m.reviewCountMismatches).toBe(0);
        expect(m.userTotalsMismatches).toBe(0);
        expect(run.rowCounts.products).toBe(m.products);
      }
    });
  }

  it('C2: the main user has only the survey trigger and no reviews; C1: reviews without purchases', async () => {
    const c2 = await measure((await generate({ scenario: 'C2', asOf: '2026-11-01' })).id);
    expect(c2.mainUser).toMatchObject({ total_purchases: 1, total_reviews: 0 });
    const c1 = await measure((await generate({ scenario: 'C1', asOf: '2026-11-01' })).id);
    expect(c1.mainUser).toMatchObject({ total_purchases: 1, total_reviews: 2, reviews_without_purchase: 2 });
  });

  it('resolves the scenario from flags, including the ones the original system confused', async () => {
    const b2 = await generate({
      productWarmth: 'COLD',
      userWarmth: 'WARM',
      userPurchasedExact: false,
      userPurchasedSimilar: true,
      userReviewedExact: false,
      userReviewedSimilar: false,
    });
    const c4 = await generate({
      productWarmth: 'COLD',
      userWarmth: 'COLD',
      userPurchasedExact: false,
      userPurchasedSimilar: true,
      userReviewedExact: false,
      userReviewedSimilar: false,
    });
    expect([b2.scenarioId, c4.scenarioId]).toEqual(['B2', 'C4']);
  });
});

describe('inputs shape the data', () => {
  it('keeps the main user and product as given, and client reviews verbatim', async () => {
    const apiReviews = [
      { title: 'Great mouse', text: 'Clicks are quiet, battery lasts forever.', stars: 5 },
      { title: 'Meh', text: 'Scroll wheel feels loose.', stars: 3 },
      { title: 'Broke', text: 'Left button died after a month.', stars: 1 },
    ];
    const run = await generate({
      scenario: 'A1',
      asOf: '2026-11-01',
      mainUser: {
        name: 'John Doe',
        email: 'john@example.com',
        age: 28,
        location: 'San Francisco, CA',
        zip: '94102',
        gender: 'Male',
      },
      mainProduct: {
        asin: 'B09XYZ1234',
        title: 'Logitech M720 Wireless Mouse',
        brand: 'Logitech',
        price: '29.99',
        starRating: 4.5,
        numRatings: 1250,
      },
      apiReviews,
      sentimentSpread: { good: 50, neutral: 30, bad: 20 },
    });
    expect(run.status).toBe('SUCCEEDED');
    const [product] = await sql(`SELECT * FROM products WHERE run_id = $1 AND role = 'MAIN'`, [run.id]);
    expect(product).toMatchObject({
      asin: 'B09XYZ1234',
      title: 'Logitech M720 Wireless Mouse',
      brand: 'Logitech',
      price: '29.99',
      category: 'electronics',
    });
    const [user] = await sql(`SELECT * FROM users WHERE run_id = $1 AND is_main_user`, [run.id]);
    expect(user).toMatchObject({
      name: 'John Doe',
      email: 'john@example.com',
      age: 28,
      location: 'San Francisco, CA',
      zip: '94102',
    });
    const stored = await sql(
      `SELECT title, text, stars FROM reviews WHERE run_id = $1 AND source = 'RAPIDAPI' ORDER BY stars DESC`,
      [run.id],
    );
    expect(stored).toEqual(apiReviews);
    const spread = await sql(
      `SELECT CASE WHEN stars >= 4 THEN 'good' WHEN stars = 3 THEN 'neutral' ELSE 'bad' END AS s, count(*)::int AS n
         FROM reviews WHERE run_id = $1 AND product_id = $2 AND user_id <> $3 GROUP BY 1 ORDER BY 1`,
      [run.id, product.id, user.id],
    );
    expect(spread).toEqual([
      { s: 'bad', n: 20 },
      { s: 'good', n: 50 },
      { s: 'neutral', n: 30 },
    ]);
    // Similar products follow the main one: same category, ±20–40 % of its price, ≥ 40 % Logitech.
    const similar = await sql(
      `SELECT brand, price, category FROM products WHERE run_id = $1 AND role = 'SIMILAR'`,
      [run.id],
    );
    for (const p of similar) {
      const deviation = Math.abs(Number(p.price) / 29.99 - 1);
      expect(deviation).toBeGreaterThanOrEqual(0.19);
      expect(deviation).toBeLessThanOrEqual(0.41);
      expect(p.category).toBe('electronics');
    }
    expect(similar.filter((p: any) => p.brand === 'Logitech').length).toBeGreaterThanOrEqual(2);
    const brands = new Set(similar.map((p: any) => p.brand).filter((b: string) => b !== 'Logitech'));
    expect(brands.size).toBeGreaterThanOrEqual(1);
    expect(brands.size).toBeLessThanOrEqual(3);
  });

  it('meets a rounded spread exactly (7 reviews at 60/25/15 → 4/2/1)', async () => {
    const run = await generate({
      scenario: 'A4',
      asOf: '2026-11-01',
      overrides: { mainProductReviews: 7 },
      sentimentSpread: { good: 60, neutral: 25, bad: 15 },
    });
    expect(run).toMatchObject({ status: 'SUCCEEDED', scenarioId: 'CUSTOM', baseScenarioId: 'A4' });
    const spreadCheck = run.contract.find((c: any) => c.name === 'reviews.mainProduct.sentimentSpread');
    expect(spreadCheck).toMatchObject({ expected: '60/25/15 % of 7, exact', actual: '4/2/1', passed: true });
  });

  it('applies overrides and marks the run CUSTOM', async () => {
    const run = await generate({
      scenario: 'B1',
      asOf: '2026-11-01',
      overrides: {
        similarProducts: 8,
        mockUsers: 40,
        reviewsPerSimilarProduct: 12,
        diverseProducts: 0,
        mainUserSimilarPurchases: 5,
        mainUserSimilarReviews: 4,
      },
    });
    expect(run).toMatchObject({ status: 'SUCCEEDED', scenarioId: 'CUSTOM', baseScenarioId: 'B1' });
    const m = await measure(run.id);
    expect(m).toMatchObject({
      similar: 8,
      mockUsers: 40, // 40 ≥ 12 reviews per product × 1.25: no extra shoppers needed
      products: 9,
      similarPurchases: 5,
      similarReviews: 4,
    });
  });
});

describe('determinism', () => {
  const ids = (runId: string, table: string) =>
    sql(`SELECT id FROM ${table} WHERE run_id = $1 ORDER BY id`, [runId]).then((rows: any[]) =>
      rows.map((r) => r.id),
    );
  const content = (runId: string) =>
    sql(
      `SELECT r.id, r.title, r.text, r.stars, r.reviewed_at, t.order_date, t.retail_price, t.status
         FROM reviews r LEFT JOIN transactions t ON t.run_id = r.run_id AND t.id = r.transaction_id
        WHERE r.run_id = $1 ORDER BY r.id`,
      [runId],
    );

  it('the same input, seed and asOf give the same rows, ids and fingerprint; another seed does not', async () => {
    const input = { scenario: 'A2', seed: 99, asOf: '2026-10-15' };
    const first = await generate(input);
    const second = await generate(input);
    expect(second.id).not.toBe(first.id);
    expect(second.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(second.fingerprint).toBe(first.fingerprint);
    for (const table of ['products', 'users', 'transactions', 'reviews']) {
      expect(await ids(second.id, table)).toEqual(await ids(first.id, table));
    }
    expect(await content(second.id)).toEqual(await content(first.id));
    const personas = (runId: string) =>
      sql(`SELECT id, persona FROM users WHERE run_id = $1 ORDER BY id`, [runId]);
    expect(await personas(second.id)).toEqual(await personas(first.id));

    // A stored run has the fingerprint pinned for its input (test/integration/golden-fingerprints.json).
    const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'golden-fingerprints.json'), 'utf8'));
    const pinned = await generate({ scenario: 'A1', seed: 42, asOf: '2026-11-01' });
    expect(pinned.fingerprint).toBe(golden[pinned.generatorVersion]['A1/42/2026-11-01']);

    const other = await generate({ ...input, seed: 100 });
    expect(other.fingerprint).not.toBe(first.fingerprint);
    expect(await ids(other.id, 'reviews')).not.toEqual(await ids(first.id, 'reviews'));
    const later = await generate({ ...input, asOf: '2026-10-16' });
    expect(later.fingerprint).not.toBe(first.fingerprint);
  });

  it('defaults: seed 42 and asOf today 00:00 UTC', async () => {
    const run = await generate({ scenario: 'C2' });
    const today = new Date();
    expect(run.seed).toBe(42);
    expect(run.asOf).toBe(
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())).toISOString(),
    );
    expect(run.generatorVersion).toMatch(/^scenario@\d+ faker@9\.9\.0$/);
  });
});

describe('personas and the pipeline’s agents (offline)', () => {
  it('every shopper gets a persona fitting their facts; the four agents are recorded, with no cost', async () => {
    const run = await generate({ scenario: 'B2', seed: 21, asOf: '2026-11-01' });
    expect(run.status).toBe('SUCCEEDED');
    const users = await sql(`SELECT age, location, persona FROM users WHERE run_id = $1`, [run.id]);
    for (const u of users) {
      expect(u.persona.length).toBeGreaterThanOrEqual(20);
      expect(u.persona.length).toBeLessThanOrEqual(400);
      expect(u.persona).toContain(u.location);
    }
    expect(new Set(users.map((u: any) => u.persona)).size).toBeGreaterThan(users.length / 2);
    // Life stage follows age: the young are never retirees.
    expect(users.some((u: any) => u.age < 45 && /Retiree|Grandparent/.test(u.persona))).toBe(false);

    const res = await app.gql(
      `query($id: ID!, $r: ID!) {
        run(id: $id) { rowCounts { members agents costRecords } costEstimate { totals { calls } } costByPhase { phase } actualCostUsd }
        agents(filter: { runId: $r }) { nodes { name model status createdAt createdBy { name role } } }
      }`,
      { id: run.id, r: run.id },
    );
    expectNoErrors(res);
    expect(res.data!.run).toEqual({
      rowCounts: { members: 1, agents: 4, costRecords: 0 },
      costEstimate: null,
      costByPhase: [],
      actualCostUsd: '0',
    });
    const agents = res.data!.agents.nodes;
    expect(agents.map((a: any) => [a.name, a.model]).sort()).toEqual([
      ['MOCK_PDT_MINI_AGENT', 'offline-templates'],
      ['MOCK_RVW_MINI_AGENT', 'offline-templates'],
      ['MOCK_TRX_MINI_AGENT', 'rules'],
      ['MOCK_USR_MINI_AGENT', 'offline-templates'],
    ]);
    for (const a of agents) {
      expect(a).toMatchObject({
        status: 'ACTIVE',
        createdAt: '2026-11-01T00:00:00.000Z',
        createdBy: { name: 'MockForge pipeline', role: 'ADMIN' },
      });
    }

    // They belong to their run: the dashboard's lists, unfiltered, show dashboard runs' rows only.
    const dashboard = await app.gql(
      `mutation { generateDashboard(input: { asOf: "2026-11-01", days: 2, agents: 3, members: 3, conversations: 10, auditLogs: 10 }) { status } }`,
    );
    expectNoErrors(dashboard);
    expect(dashboard.data!.generateDashboard.status).toBe('SUCCEEDED');
    const lists = await app.gql(
      `query($id: ID!) {
        run(id: $id) { agents { totalCount nodes { name } } }
        agents(first: 500) { totalCount nodes { run { kind } } }
        members(first: 500) { totalCount nodes { name run { kind } } }
        costRecords(first: 500) { totalCount nodes { run { kind } } }
      }`,
      { id: run.id },
    );
    expectNoErrors(lists);
    const d = lists.data!;
    expect(d.run.agents.totalCount).toBe(4);
    const dashboardRows = async (table: string) =>
      Number(
        (
          await sql(
            `SELECT count(*) AS n FROM ${table} t JOIN generation_runs r ON r.id = t.run_id
              WHERE r.kind = 'DASHBOARD' AND r.status = 'SUCCEEDED'`,
          )
        )[0].n,
      );
    for (const list of ['agents', 'members', 'costRecords'] as const) {
      expect(d[list].nodes.filter((n: any) => n.run.kind !== 'DASHBOARD')).toEqual([]);
    }
    expect(d.agents.totalCount).toBeGreaterThanOrEqual(3);
    expect(d.agents.totalCount).toBe(await dashboardRows('agents'));
    expect(d.members.totalCount).toBe(await dashboardRows('members'));
    expect(d.costRecords.totalCount).toBe(await dashboardRows('cost_records'));
    expect(d.members.nodes.map((m: any) => m.name)).not.toContain('MockForge pipeline');
  });
});

describe('atomicity', () => {
  it('a database failure mid-write leaves no row of the run and records it FAILED', async () => {
    // A real failure inside the write: reviews are inserted after products, users and transactions.
    await sql(`CREATE FUNCTION mf_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN RAISE EXCEPTION 'disk on fire'; END $$`);
    await sql(
      `CREATE TRIGGER mf_test_fail BEFORE INSERT ON reviews FOR EACH STATEMENT EXECUTE FUNCTION mf_test_fail()`,
    );
    let run: any;
    try {
      run = await generate({ scenario: 'A1', seed: 5, asOf: '2026-11-01' });
    } finally {
      await sql(`DROP TRIGGER mf_test_fail ON reviews`);
      await sql(`DROP FUNCTION mf_test_fail()`);
    }
    expect(run.status).toBe('FAILED');
    expect(run.error).toMatch(/^Database write failed: .*\(SQLSTATE P0001\); no rows were kept$/);
    expect(run.error).not.toMatch(/disk on fire|INSERT|reviews/); // no driver text
    expect(run.fingerprint).toBeNull();
    for (const table of ['products', 'users', 'transactions', 'reviews', 'members', 'agents']) {
      const [{ n }] = await sql(`SELECT count(*)::int AS n FROM ${table} WHERE run_id = $1`, [run.id]);
      expect({ table, n }).toEqual({ table, n: 0 });
    }
    const listed = await app.gql(
      `query($id: ID!) { run(id: $id) { status rowCounts { reviews } products { totalCount } } }`,
      { id: run.id },
    );
    expect(listed.data!.run).toEqual({
      status: 'FAILED',
      rowCounts: { reviews: 0 },
      products: { totalCount: 0 },
    });
    // The service keeps working afterwards.
    expect((await generate({ scenario: 'A1', seed: 5, asOf: '2026-11-01' })).status).toBe('SUCCEEDED');
  });
});

describe('scenarios query', () => {
  it('lists the 12 configs with flags, defaults and descriptions', async () => {
    const res =
      await app.gql(`{ scenarios { id group productWarmth userWarmth reviewsWithoutPurchase description
      flags { userPurchasedExact userPurchasedSimilar userReviewedExact userReviewedSimilar }
      counts { similarProducts mockUsers mainProductReviews reviewsPerSimilarProduct mainUserExactPurchases
        mainUserSimilarPurchases mainUserExactReviews mainUserSimilarReviews mainProductSilentPurchases { min max } } } }`);
    expectNoErrors(res);
    const list = res.data!.scenarios;
    expect(list.map((s: any) => s.id)).toEqual([
      'A1',
      'A2',
      'A3',
      'A4',
      'B1',
      'B2',
      'B3',
      'B4',
      'C1',
      'C2',
      'C3',
      'C4',
    ]);
    expect(list[0]).toMatchObject({
      group: 'A',
      productWarmth: 'WARM',
      flags: {
        userPurchasedExact: true,
        userPurchasedSimilar: true,
        userReviewedExact: true,
        userReviewedSimilar: true,
      },
      counts: {
        similarProducts: 5,
        mockUsers: 20,
        mainProductReviews: 100,
        reviewsPerSimilarProduct: 20,
        mainProductSilentPurchases: { min: 10, max: 20 },
      },
    });
    expect(list[8]).toMatchObject({
      id: 'C1',
      reviewsWithoutPurchase: true,
      counts: { mainUserSimilarReviews: 2 },
    });
    expect(nonEmpty(list).every((s: any) => s.description.length > 10)).toBe(true);
  });
});
