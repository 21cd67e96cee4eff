import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { get } from '../helpers/export-files';
import { appDigests, runDigests, SCENARIO_TABLES } from '../helpers/run-digest';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The SQL exports load with psql into a real Postgres database: the service's own tables (an
 * empty database, then a second run next to the first) and the original Survey Sensei schema
 * (its DDL written here from the column list, constraints included). Needs a Postgres server
 * (MOCKFORGE_TEST_POSTGRES, default the machine's) whichever database the service runs on.
 */
const SERVER = process.env.MOCKFORGE_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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

/** The Survey Sensei database, written from its column list (not from the exporter). */
const SURVEY_SENSEI_SCHEMA = `
CREATE TABLE products (
  item_id text PRIMARY KEY, product_url text NOT NULL, title text NOT NULL, brand text NOT NULL,
  description text NOT NULL, photos text[] NOT NULL, price numeric NOT NULL, star_rating numeric NOT NULL,
  num_ratings integer NOT NULL, review_count integer NOT NULL, category text NOT NULL,
  embeddings real[], is_mock boolean NOT NULL);
CREATE TABLE users (
  user_id text PRIMARY KEY, user_name text NOT NULL, email_id text NOT NULL, age integer NOT NULL,
  base_location text NOT NULL, base_zip text NOT NULL, gender text NOT NULL,
  total_purchases integer NOT NULL, total_reviews integer NOT NULL,
  review_engagement_rate numeric NOT NULL, avg_review_rating numeric,
  sentiment_tendency text NOT NULL CHECK (sentiment_tendency IN ('positive','critical','balanced','polarized','neutral')),
  engagement_level text NOT NULL CHECK (engagement_level IN ('highly_engaged','moderately_engaged','passive_buyer','new_user')),
  is_main_user boolean NOT NULL,
  CHECK (total_reviews <= total_purchases));
CREATE TABLE transactions (
  transaction_id text PRIMARY KEY, item_id text NOT NULL REFERENCES products, user_id text NOT NULL REFERENCES users,
  order_date timestamptz NOT NULL, delivery_date timestamptz, expected_delivery_date timestamptz,
  return_date timestamptz, original_price numeric NOT NULL, retail_price numeric NOT NULL,
  transaction_status text NOT NULL,
  CHECK (original_price >= retail_price AND retail_price > 0));
CREATE TABLE reviews (
  review_id text PRIMARY KEY, item_id text NOT NULL REFERENCES products, user_id text NOT NULL REFERENCES users,
  transaction_id text NOT NULL UNIQUE REFERENCES transactions, "timestamp" timestamptz NOT NULL,
  review_title text, review_text text, review_stars integer NOT NULL CHECK (review_stars BETWEEN 1 AND 5),
  source text NOT NULL CHECK (source IN ('rapidapi','agent_generated')),
  manual_or_agent_generated text NOT NULL);
`;

describe('the survey-sensei export', () => {
  it.each([
    ['C1', 'the main user reviewed without buying: those reviews are left out and the counts follow'],
    ['A1', 'a warm product and user'],
  ])('%s loads into the Survey Sensei schema with its constraints (%s)', async (id) => {
    const run = await scenario({ scenario: id, seed: 64, embeddings: true });
    const url = await emptyDatabase();
    await query(url, SURVEY_SENSEI_SCHEMA);
    psqlLoad(url, await exported(run.id, '?format=survey-sensei'));

    const [counts] = await query(
      url,
      `SELECT (SELECT count(*) FROM products)::int AS products, (SELECT count(*) FROM users)::int AS users,
              (SELECT count(*) FROM transactions)::int AS transactions, (SELECT count(*) FROM reviews)::int AS reviews`,
    );
    const [purchaseLess] = await app.db.dataSource.query(
      `SELECT count(*)::int AS n FROM reviews WHERE run_id = $1 AND transaction_id IS NULL`,
      [run.id],
    );
    if (id === 'C1') expect(purchaseLess.n).toBeGreaterThan(0);
    expect(counts).toEqual({
      products: run.rowCounts.products,
      users: run.rowCounts.users,
      transactions: run.rowCounts.transactions,
      reviews: run.rowCounts.reviews - purchaseLess.n,
    });
    // Every figure agrees with the rows it describes.
    const disagreeing = await query(
      url,
      `SELECT 'product ' || p.item_id AS what FROM products p
         WHERE p.review_count <> (SELECT count(*) FROM reviews r WHERE r.item_id = p.item_id)
       UNION ALL
       SELECT 'user ' || u.user_id FROM users u
         WHERE u.total_reviews <> (SELECT count(*) FROM reviews r WHERE r.user_id = u.user_id)
            OR u.total_purchases <> (SELECT count(*) FROM transactions t WHERE t.user_id = u.user_id)
            OR u.avg_review_rating IS DISTINCT FROM
               (SELECT round(avg(review_stars), 2) FROM reviews r WHERE r.user_id = u.user_id)
       UNION ALL
       SELECT 'review ' || r.review_id FROM reviews r JOIN transactions t USING (transaction_id)
         WHERE t.user_id <> r.user_id OR t.item_id <> r.item_id`,
    );
    expect(disagreeing).toEqual([]);
    const [vectors] = await query(
      url,
      `SELECT count(*)::int AS n, min(cardinality(embeddings))::int AS dims FROM products WHERE embeddings IS NOT NULL`,
    );
    expect(vectors).toEqual({ n: run.rowCounts.products, dims: 1536 });
    const [main] = await query(url, `SELECT count(*)::int AS n FROM users WHERE is_main_user`);
    expect(main.n).toBe(1);
  });

  it('loads into an empty database with its own schema, and refuses a dashboard run', async () => {
    const run = await scenario({ scenario: 'B3', seed: 65, embeddings: false });
    const url = await emptyDatabase();
    psqlLoad(url, await exported(run.id, '?format=survey-sensei'));
    const [{ n }] = await query(url, `SELECT count(*)::int AS n FROM transactions`);
    expect(n).toBe(run.rowCounts.transactions);

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
