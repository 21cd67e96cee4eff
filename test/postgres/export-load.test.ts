import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { CATEGORIES } from '../../generators/ecommerce/categories';
import { get } from '../helpers/export-files';
import { appDigests, runDigests, SCENARIO_TABLES } from '../helpers/run-digest';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The SQL exports load with psql into a real Postgres database: the service's own tables (an
 * empty database, then a second run next to the first) and the original Survey Sensei schema
 * (its DDL written here from the column list, constraints included). Needs a Postgres server
 * (MOCKFORGE_TEST_POSTGRES, default DATABASE_URL's): `npm run test:postgres`.
 */
const SERVER = process.env.MOCKFORGE_TEST_POSTGRES ?? (process.env.DATABASE_URL as string);

let app: TestApp;
const scratch: string[] = [];

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  for (const name of scratch) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database on the server; its URL. */
async function emptyDatabase(): Promise<string> {
  const name = `mf_load_${process.pid}_${scratch.length}`;
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  scratch.push(name);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Loads a script with psql, stopping at the first error (exit status ≠ 0 throws). */
function psqlLoad(url: string, script: Buffer): void {
  const file = path.join(os.tmpdir(), `mf-load-${process.pid}-${Date.now()}.sql`);
  fs.writeFileSync(file, script);
  try {
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file], { stdio: 'pipe' });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

async function query<T = any>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET TimeZone = 'UTC'`);
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function scenario(input: Record<string, unknown>) {
  const res = await app.gql(
    `mutation($input: GenerateScenarioInput!) { generateScenario(input: $input) {
      id status rowCounts { products users transactions reviews members agents costRecords } } }`,
    { input: { asOf: '2026-11-01', ...input } },
  );
  expectNoErrors(res);
  expect(res.data!.generateScenario.status).toBe('SUCCEEDED');
  return res.data!.generateScenario;
}

const exported = async (runId: string, query: string) => {
  const res = await get(app.url.replace('/graphql', `/runs/${runId}/export${query}`));
  expect(res.status).toBe(200);
  return res.body;
};

describe('the sql export', () => {
  it('loads with psql into an empty database, every table and vector as stored; a second run loads beside it', async () => {
    const first = await scenario({ scenario: 'A3', seed: 61, embeddings: true });
    const second = await scenario({ scenario: 'B2', seed: 62, embeddings: false });
    const url = await emptyDatabase();
    psqlLoad(url, await exported(first.id, '?format=sql'));
    psqlLoad(url, await exported(second.id, '?format=sql'));

    for (const run of [first, second]) {
      const loaded = await runDigests((sql, params) => query(url, sql, params), run.id, SCENARIO_TABLES());
      expect(loaded).toEqual(await appDigests(app.db.dataSource, run.id, SCENARIO_TABLES()));
    }
    const [{ n }] = await query(url, `SELECT count(*)::int AS n FROM product_embeddings WHERE run_id = $1`, [
      first.id,
    ]);
    expect(n).toBe(first.rowCounts.products);
  });

  it('with a table selection, loads just those tables (no foreign key to a table left out)', async () => {
    const run = await scenario({ scenario: 'C2', seed: 63, embeddings: false });
    const url = await emptyDatabase();
    psqlLoad(url, await exported(run.id, '?format=sql&tables=reviews'));
    const names = await query(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(names.map((r) => r.tablename)).toEqual(['reviews']);
    const [{ n }] = await query(url, `SELECT count(*)::int AS n FROM reviews`);
    expect(n).toBe(run.rowCounts.reviews);
  });
});

/**
 * The original Survey Sensei database, written here from the reference (its migrations 002–005,
 * 008 and match_products), not from the exporter: UUID ids, VARCHAR(20) item_id, JSONB photos,
 * DECIMAL(3,2) ratings, the named CHECKs, UNIQUE email, the review_count and updated_at triggers.
 * This server has no pgvector: embeddings are real[], and match_products computes the cosine
 * itself, as `1 - (a <=> b)` would.
 */
const ORIGINAL_DDL = `
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE TABLE products (
  item_id VARCHAR(20) PRIMARY KEY, product_url TEXT NOT NULL, title TEXT NOT NULL, brand VARCHAR(255),
  description TEXT, photos JSONB, price DECIMAL(12,2), star_rating DECIMAL(3,2), num_ratings INTEGER DEFAULT 0,
  review_count INTEGER DEFAULT 0, category VARCHAR(50) DEFAULT 'general', embeddings real[],
  is_mock BOOLEAN DEFAULT false, created_at TIMESTAMPTZ DEFAULT NOW(), updated_at TIMESTAMPTZ DEFAULT NOW(),
  CONSTRAINT check_price CHECK (price >= 0),
  CONSTRAINT check_star_rating CHECK (star_rating >= 0 AND star_rating <= 5),
  CONSTRAINT check_num_ratings CHECK (num_ratings >= 0),
  CONSTRAINT check_review_count CHECK (review_count >= 0));
CREATE TABLE users (
  user_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(), user_name VARCHAR(255) NOT NULL,
  email_id VARCHAR(255) UNIQUE NOT NULL, age INTEGER, base_location VARCHAR(255), base_zip VARCHAR(20),
  gender VARCHAR(50), embeddings real[], total_purchases INTEGER DEFAULT 0, total_reviews INTEGER DEFAULT 0,
  review_engagement_rate DECIMAL(4,3) DEFAULT 0.000, avg_review_rating DECIMAL(3,2) DEFAULT 0.00,
  sentiment_tendency VARCHAR(20) DEFAULT 'neutral', engagement_level VARCHAR(30) DEFAULT 'new_user',
  is_main_user BOOLEAN DEFAULT false, created_at TIMESTAMPTZ DEFAULT NOW(), updated_at TIMESTAMPTZ DEFAULT NOW(),
  CONSTRAINT check_age CHECK (age > 0 AND age < 150),
  CONSTRAINT check_total_purchases CHECK (total_purchases >= 0),
  CONSTRAINT check_total_reviews CHECK (total_reviews >= 0 AND total_reviews <= total_purchases),
  CONSTRAINT check_review_engagement_rate CHECK (review_engagement_rate >= 0.000 AND review_engagement_rate <= 1.000),
  CONSTRAINT check_avg_review_rating CHECK (avg_review_rating >= 0.00 AND avg_review_rating <= 5.00),
  CONSTRAINT check_sentiment_tendency CHECK (sentiment_tendency IN ('positive','critical','balanced','polarized','neutral')),
  CONSTRAINT check_engagement_level CHECK (engagement_level IN ('highly_engaged','moderately_engaged','passive_buyer','new_user')));
CREATE TABLE transactions (
  transaction_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  item_id VARCHAR(20) NOT NULL REFERENCES products(item_id) ON DELETE CASCADE,
  user_id UUID NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  order_date TIMESTAMPTZ NOT NULL, delivery_date TIMESTAMPTZ, expected_delivery_date TIMESTAMPTZ,
  return_date TIMESTAMPTZ, original_price DECIMAL(12,2) NOT NULL, retail_price DECIMAL(12,2) NOT NULL,
  transaction_status VARCHAR(50) DEFAULT 'delivered', is_mock BOOLEAN DEFAULT false,
  created_at TIMESTAMPTZ DEFAULT NOW(), updated_at TIMESTAMPTZ DEFAULT NOW(),
  CONSTRAINT check_delivery_date CHECK (delivery_date IS NULL OR delivery_date >= order_date),
  CONSTRAINT check_expected_delivery CHECK (expected_delivery_date IS NULL OR expected_delivery_date >= order_date),
  CONSTRAINT check_return_date CHECK (return_date IS NULL OR return_date >= delivery_date),
  CONSTRAINT check_prices CHECK (original_price >= retail_price AND retail_price > 0));
CREATE TABLE reviews (
  review_id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  item_id VARCHAR(20) NOT NULL REFERENCES products(item_id) ON DELETE CASCADE,
  user_id UUID NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  transaction_id UUID NOT NULL REFERENCES transactions(transaction_id) ON DELETE CASCADE,
  timestamp TIMESTAMPTZ DEFAULT NOW(), review_title VARCHAR(500), review_text TEXT NOT NULL,
  review_stars INTEGER NOT NULL, source VARCHAR(20) NOT NULL DEFAULT 'agent_generated',
  manual_or_agent_generated VARCHAR(20) NOT NULL DEFAULT 'agent', embeddings real[],
  created_at TIMESTAMPTZ DEFAULT NOW(), updated_at TIMESTAMPTZ DEFAULT NOW(),
  CONSTRAINT check_review_stars CHECK (review_stars >= 1 AND review_stars <= 5),
  CONSTRAINT check_source CHECK (source IN ('rapidapi','agent_generated','user_survey')),
  CONSTRAINT check_manual_or_agent CHECK (manual_or_agent_generated IN ('manual','agent')),
  CONSTRAINT unique_review_per_transaction UNIQUE (transaction_id));
CREATE FUNCTION update_updated_at_column() RETURNS TRIGGER AS $$
BEGIN NEW.updated_at = NOW(); RETURN NEW; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER update_products_updated_at BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_transactions_updated_at BEFORE UPDATE ON transactions FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER update_reviews_updated_at BEFORE UPDATE ON reviews FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE FUNCTION update_product_review_count() RETURNS TRIGGER AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN UPDATE products SET review_count = review_count + 1 WHERE item_id = NEW.item_id;
  ELSIF TG_OP = 'DELETE' THEN UPDATE products SET review_count = review_count - 1 WHERE item_id = OLD.item_id;
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER trigger_update_review_count AFTER INSERT OR DELETE ON reviews FOR EACH ROW EXECUTE FUNCTION update_product_review_count();
CREATE FUNCTION cosine(a real[], b real[]) RETURNS float LANGUAGE sql IMMUTABLE AS $$
  SELECT sum(x * y) / (sqrt(sum(x * x)) * sqrt(sum(y * y))) FROM unnest(a, b) AS u(x, y) $$;
CREATE FUNCTION match_products(query_embedding real[], match_threshold float DEFAULT 0.7, match_count int DEFAULT 5)
RETURNS TABLE (item_id varchar, title text, category varchar, similarity float) LANGUAGE sql AS $$
  SELECT p.item_id, p.title, p.category, cosine(p.embeddings, query_embedding) AS similarity FROM products p
   WHERE cosine(p.embeddings, query_embedding) > match_threshold
   ORDER BY cosine(p.embeddings, query_embedding) DESC LIMIT match_count $$;
`;

/** The scenarios' counts, as the `scenarios` query gives them. */
async function scenarioCounts(): Promise<Map<string, { mainUserSimilarPurchases: number }>> {
  const res = await app.gql(`{ scenarios { id counts { mainUserSimilarPurchases } } }`);
  expectNoErrors(res);
  return new Map(res.data!.scenarios.map((s: any) => [s.id, s.counts]));
}

/** The product type a title names (the generator's list of types, not its output). */
function typeOfTitle(title: string): string {
  const types = CATEGORIES.flatMap((c) => c.types).sort((a, b) => b.name.length - a.name.length);
  return types.find((t) => title.includes(t.name))!.name;
}

describe('the survey-sensei export', () => {
  const SCENARIO_IDS = ['A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'C4'];

  it.each(SCENARIO_IDS)(
    '%s loads into a database built by the original migrations and serves the survey agents',
    async (id) => {
      const counts = await scenarioCounts();
      const run = await scenario({ scenario: id });
      const url = await emptyDatabase();
      await query(url, ORIGINAL_DDL);
      psqlLoad(url, await exported(run.id, '?format=survey-sensei'));
      const asOf = '2026-11-01T00:00:00Z';
      const one = async (sql: string, params: unknown[] = []) => (await query(url, sql, params))[0];

      // The survey trigger: a purchase of the main product by the main user, 2–7 days before asOf,
      // the latest of their purchases of it.
      const trigger = await one(
        `SELECT t.order_date, t.order_date = (SELECT max(order_date) FROM transactions x
                WHERE x.user_id = t.user_id AND x.item_id = t.item_id) AS latest
         FROM transactions t JOIN users u USING (user_id) JOIN products p USING (item_id)
        WHERE u.is_main_user AND NOT p.is_mock AND t.order_date BETWEEN $1::timestamptz - interval '7 days' AND $1::timestamptz - interval '2 days'`,
        [asOf],
      );
      expect(trigger?.latest).toBe(true);

      // match_products over the main product (threshold 0.7, top 5, review_count > 0, not itself):
      // products of its type, none of another category.
      const main = await one(`SELECT item_id, title, category FROM products WHERE NOT is_mock`);
      const mainType = typeOfTitle(main.title);
      const matches = await query(
        url,
        `SELECT m.item_id, m.title, m.category FROM match_products((SELECT embeddings FROM products WHERE NOT is_mock), 0.7, 6) m
         JOIN products p USING (item_id) WHERE p.review_count > 0 AND m.item_id <> $1 LIMIT 5`,
        [main.item_id],
      );
      expect(matches.length).toBeGreaterThan(0);
      for (const m of matches) {
        expect(m.category).toBe(main.category);
        expect(typeOfTitle(m.title)).toBe(mainType);
      }
      const [{ diverse }] = await query(
        url,
        `SELECT count(*)::int AS diverse FROM products p WHERE p.category <> $1
          AND cosine(p.embeddings, (SELECT embeddings FROM products WHERE NOT is_mock)) >= 0.5`,
        [main.category],
      );
      expect(diverse).toBe(0);

      // The main user's similar purchases: cosine ≥ 0.7 to the main product over their 50 latest purchases.
      const similar = await query(
        url,
        `SELECT DISTINCT p.item_id, p.title FROM (SELECT t.item_id FROM transactions t JOIN users u USING (user_id)
                 WHERE u.is_main_user ORDER BY t.order_date DESC LIMIT 50) t
         JOIN products p USING (item_id)
        WHERE p.item_id <> $1 AND cosine(p.embeddings, (SELECT embeddings FROM products WHERE NOT is_mock)) >= 0.7`,
        [main.item_id],
      );
      const hasSimilar = counts.get(id)!.mainUserSimilarPurchases > 0;
      expect([id, similar.length > 0]).toEqual([id, hasSimilar]);
      for (const p of similar) expect(typeOfTitle(p.title)).toBe(mainType);

      // Every user's figures and labels are the original rules' result from the loaded rows.
      const wrong = await query(
        url,
        `WITH a AS (
         SELECT u.*, (SELECT count(*) FROM transactions t WHERE t.user_id = u.user_id) AS p,
                (SELECT count(*) FROM reviews r JOIN transactions t USING (transaction_id) WHERE t.user_id = u.user_id) AS n,
                (SELECT avg(review_stars) FROM reviews r WHERE r.user_id = u.user_id) AS mean,
                (SELECT stddev_pop(review_stars) FROM reviews r WHERE r.user_id = u.user_id) AS sd
           FROM users u),
       e AS (
         SELECT a.*, CASE WHEN p > 0 THEN n::numeric / p ELSE 0 END AS rate,
                CASE WHEN n = 0 THEN 'neutral' WHEN mean >= 4.5 THEN 'positive' WHEN mean <= 2.5 THEN 'critical'
                     WHEN n >= 2 AND sd > 1.5 THEN 'polarized' WHEN n >= 3 THEN 'balanced' ELSE 'neutral' END AS tendency
           FROM a)
       SELECT user_id FROM e
        WHERE total_purchases <> p OR total_reviews <> n
           OR abs(review_engagement_rate - rate) > 0.0005 OR abs(avg_review_rating - coalesce(mean, 0)) > 0.005
           OR sentiment_tendency <> tendency
           OR engagement_level <> CASE WHEN n >= 5 AND rate >= 0.7 THEN 'highly_engaged'
                                       WHEN n >= 2 AND rate >= 0.4 THEN 'moderately_engaged'
                                       WHEN p > 0 THEN 'passive_buyer' ELSE 'new_user' END`,
      );
      expect(wrong).toEqual([]);

      // review_count is the reviews (the trigger above counts each inserted review once more).
      const [{ off }] = await query(
        url,
        `SELECT count(*)::int AS off FROM products p WHERE review_count <> (SELECT count(*) FROM reviews r WHERE r.item_id = p.item_id)`,
      );
      expect(off).toBe(0);
      // Mock rows are is_mock: every product but the main one; every purchase but the main user's.
      const mock = await one(
        `SELECT (SELECT count(*) FROM products WHERE is_mock = (item_id = $1))::int AS products,
              (SELECT count(*) FROM transactions t JOIN users u USING (user_id) WHERE t.is_mock = u.is_main_user)::int AS transactions`,
        [main.item_id],
      );
      expect(mock).toEqual({ products: 0, transactions: 0 });
      // Embeddings on every product, user and review.
      const missing = await one(
        `SELECT (SELECT count(*) FROM products WHERE cardinality(embeddings) IS DISTINCT FROM 1536)::int AS products,
              (SELECT count(*) FROM users WHERE cardinality(embeddings) IS DISTINCT FROM 1536)::int AS users,
              (SELECT count(*) FROM reviews WHERE cardinality(embeddings) IS DISTINCT FROM 1536)::int AS reviews,
              (SELECT count(*) FROM reviews)::int AS all_reviews`,
      );
      expect(missing).toMatchObject({ products: 0, users: 0, reviews: 0 });
      const [counted] = await query(url, `SELECT count(*)::int AS users FROM users`);
      expect(counted.users).toBe(run.rowCounts.users);
    },
  );

  it('into an empty database it creates exactly the original tables, types and constraints', async () => {
    const run = await scenario({ scenario: 'B3', seed: 65 });
    const original = await emptyDatabase();
    await query(original, ORIGINAL_DDL);
    const empty = await emptyDatabase();
    psqlLoad(empty, await exported(run.id, '?format=survey-sensei'));
    const shape = (url: string) =>
      query(
        url,
        `SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.character_maximum_length, c.numeric_precision,
                c.numeric_scale, c.is_nullable, c.column_default
           FROM information_schema.columns c
          WHERE c.table_schema = 'public' AND c.table_name IN ('products', 'users', 'transactions', 'reviews')
          ORDER BY 1, 2`,
      );
    const constraints = (url: string) =>
      query(
        url,
        `SELECT conrelid::regclass::text AS t, contype, pg_get_constraintdef(oid) AS def FROM pg_constraint
          WHERE conrelid::regclass::text IN ('products', 'users', 'transactions', 'reviews') ORDER BY 1, 2, 3`,
      );
    const triggers = (url: string) =>
      query(url, `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`);
    expect(await shape(empty)).toEqual(await shape(original));
    expect(await constraints(empty)).toEqual(await constraints(original));
    expect(await triggers(empty)).toEqual(await triggers(original));
    const [{ n }] = await query(empty, `SELECT count(*)::int AS n FROM transactions`);
    expect(n).toBe(run.rowCounts.transactions);
  });

  it('refuses a dashboard run', async () => {
    const dashboard = await app.gql(`mutation { generateDashboard(input: { asOf: "2026-11-01" }) { id } }`);
    expectNoErrors(dashboard);
    const res = await get(
      app.url.replace(
        '/graphql',
        `/runs/${dashboard.data!.generateDashboard.id}/export?format=survey-sensei`,
      ),
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString('utf8')).error.message).toMatch(/scenario run/);
  });
});
