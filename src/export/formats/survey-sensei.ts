import type { Writable } from 'node:stream';
import type { ObjectLiteral } from 'typeorm';
import { ReviewSource } from '../../../entities/enums';
import { copyValue, toPgArrayLiteral } from '../../pipeline/bulk-writer';
import { EXPORT_TABLES, tablePages, type ExportRequest, type ExportTable } from '../run-export';
import { surveySenseiFigures } from '../../survey-sensei/rules';
import { send } from './send';

/**
 * The original Survey Sensei schema, as its migrations create it (002–005 and 008): the same
 * tables, column types, defaults, named CHECKs, UNIQUE email, foreign keys, indexes and triggers.
 * Every statement is "if not exists", so the script loads into a database the original migrations
 * made (nothing is redefined) as well as into an empty one. Embeddings are `vector(1536)` where
 * pgvector can be had and `real[]` where it cannot, decided when the script runs.
 */
export const SURVEY_SENSEI_DDL = `DO $mf$ BEGIN CREATE EXTENSION IF NOT EXISTS "uuid-ossp"; EXCEPTION WHEN OTHERS THEN NULL; END $mf$;
DO $mf$ BEGIN CREATE EXTENSION IF NOT EXISTS vector; EXCEPTION WHEN OTHERS THEN NULL; END $mf$;

DO $mf$
DECLARE
  vec text := CASE WHEN to_regtype('vector') IS NOT NULL THEN 'vector(1536)' ELSE 'real[]' END;
  new_id text := CASE WHEN to_regproc('uuid_generate_v4') IS NOT NULL THEN 'uuid_generate_v4()' ELSE 'gen_random_uuid()' END;
BEGIN
  EXECUTE format($ddl$
    CREATE TABLE IF NOT EXISTS products (
      item_id VARCHAR(20) PRIMARY KEY,
      product_url TEXT NOT NULL,
      title TEXT NOT NULL,
      brand VARCHAR(255),
      description TEXT,
      photos JSONB,
      price DECIMAL(12,2),
      star_rating DECIMAL(3,2),
      num_ratings INTEGER DEFAULT 0,
      review_count INTEGER DEFAULT 0,
      category VARCHAR(50) DEFAULT 'general',
      embeddings %1$s,
      is_mock BOOLEAN DEFAULT false,
      created_at TIMESTAMPTZ DEFAULT NOW(),
      updated_at TIMESTAMPTZ DEFAULT NOW(),
      CONSTRAINT check_price CHECK (price >= 0),
      CONSTRAINT check_star_rating CHECK (star_rating >= 0 AND star_rating <= 5),
      CONSTRAINT check_num_ratings CHECK (num_ratings >= 0),
      CONSTRAINT check_review_count CHECK (review_count >= 0)
    )$ddl$, vec);
  EXECUTE format($ddl$
    CREATE TABLE IF NOT EXISTS users (
      user_id UUID PRIMARY KEY DEFAULT %2$s,
      user_name VARCHAR(255) NOT NULL,
      email_id VARCHAR(255) UNIQUE NOT NULL,
      age INTEGER,
      base_location VARCHAR(255),
      base_zip VARCHAR(20),
      gender VARCHAR(50),
      embeddings %1$s,
      total_purchases INTEGER DEFAULT 0,
      total_reviews INTEGER DEFAULT 0,
      review_engagement_rate DECIMAL(4,3) DEFAULT 0.000,
      avg_review_rating DECIMAL(3,2) DEFAULT 0.00,
      sentiment_tendency VARCHAR(20) DEFAULT 'neutral',
      engagement_level VARCHAR(30) DEFAULT 'new_user',
      is_main_user BOOLEAN DEFAULT false,
      created_at TIMESTAMPTZ DEFAULT NOW(),
      updated_at TIMESTAMPTZ DEFAULT NOW(),
      CONSTRAINT check_age CHECK (age > 0 AND age < 150),
      CONSTRAINT check_total_purchases CHECK (total_purchases >= 0),
      CONSTRAINT check_total_reviews CHECK (total_reviews >= 0 AND total_reviews <= total_purchases),
      CONSTRAINT check_review_engagement_rate CHECK (review_engagement_rate >= 0.000 AND review_engagement_rate <= 1.000),
      CONSTRAINT check_avg_review_rating CHECK (avg_review_rating >= 0.00 AND avg_review_rating <= 5.00),
      CONSTRAINT check_sentiment_tendency CHECK (sentiment_tendency IN ('positive', 'critical', 'balanced', 'polarized', 'neutral')),
      CONSTRAINT check_engagement_level CHECK (engagement_level IN ('highly_engaged', 'moderately_engaged', 'passive_buyer', 'new_user'))
    )$ddl$, vec, new_id);
  EXECUTE format($ddl$
    CREATE TABLE IF NOT EXISTS transactions (
      transaction_id UUID PRIMARY KEY DEFAULT %1$s,
      item_id VARCHAR(20) NOT NULL REFERENCES products(item_id) ON DELETE CASCADE,
      user_id UUID NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
      order_date TIMESTAMPTZ NOT NULL,
      delivery_date TIMESTAMPTZ,
      expected_delivery_date TIMESTAMPTZ,
      return_date TIMESTAMPTZ,
      original_price DECIMAL(12,2) NOT NULL,
      retail_price DECIMAL(12,2) NOT NULL,
      transaction_status VARCHAR(50) DEFAULT 'delivered',
      is_mock BOOLEAN DEFAULT false,
      created_at TIMESTAMPTZ DEFAULT NOW(),
      updated_at TIMESTAMPTZ DEFAULT NOW(),
      CONSTRAINT check_delivery_date CHECK (delivery_date IS NULL OR delivery_date >= order_date),
      CONSTRAINT check_expected_delivery CHECK (expected_delivery_date IS NULL OR expected_delivery_date >= order_date),
      CONSTRAINT check_return_date CHECK (return_date IS NULL OR return_date >= delivery_date),
      CONSTRAINT check_prices CHECK (original_price >= retail_price AND retail_price > 0)
    )$ddl$, new_id);
  EXECUTE format($ddl$
    CREATE TABLE IF NOT EXISTS reviews (
      review_id UUID PRIMARY KEY DEFAULT %2$s,
      item_id VARCHAR(20) NOT NULL REFERENCES products(item_id) ON DELETE CASCADE,
      user_id UUID NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
      transaction_id UUID NOT NULL REFERENCES transactions(transaction_id) ON DELETE CASCADE,
      timestamp TIMESTAMPTZ DEFAULT NOW(),
      review_title VARCHAR(500),
      review_text TEXT NOT NULL,
      review_stars INTEGER NOT NULL,
      source VARCHAR(20) NOT NULL DEFAULT 'agent_generated',
      manual_or_agent_generated VARCHAR(20) NOT NULL DEFAULT 'agent',
      embeddings %1$s,
      created_at TIMESTAMPTZ DEFAULT NOW(),
      updated_at TIMESTAMPTZ DEFAULT NOW(),
      CONSTRAINT check_review_stars CHECK (review_stars >= 1 AND review_stars <= 5),
      CONSTRAINT check_source CHECK (source IN ('rapidapi', 'agent_generated', 'user_survey')),
      CONSTRAINT check_manual_or_agent CHECK (manual_or_agent_generated IN ('manual', 'agent')),
      CONSTRAINT unique_review_per_transaction UNIQUE (transaction_id)
    )$ddl$, vec, new_id);
  IF to_regtype('vector') IS NOT NULL THEN
    EXECUTE 'CREATE INDEX IF NOT EXISTS idx_products_embeddings ON products USING ivfflat (embeddings vector_cosine_ops) WITH (lists = 100)';
    EXECUTE 'CREATE INDEX IF NOT EXISTS idx_users_embeddings ON users USING ivfflat (embeddings vector_cosine_ops) WITH (lists = 100)';
    EXECUTE 'CREATE INDEX IF NOT EXISTS idx_reviews_embeddings ON reviews USING ivfflat (embeddings vector_cosine_ops) WITH (lists = 100)';
  END IF;
END $mf$;

CREATE INDEX IF NOT EXISTS idx_products_brand ON products (brand);
CREATE INDEX IF NOT EXISTS idx_products_star_rating ON products (star_rating);
CREATE INDEX IF NOT EXISTS idx_products_category ON products (category);
CREATE INDEX IF NOT EXISTS idx_products_is_mock ON products (is_mock);
CREATE INDEX IF NOT EXISTS idx_users_email ON users (email_id);
CREATE INDEX IF NOT EXISTS idx_users_base_zip ON users (base_zip);
CREATE INDEX IF NOT EXISTS idx_users_is_main_user ON users (is_main_user) WHERE is_main_user = true;
CREATE INDEX IF NOT EXISTS idx_users_engagement_rate ON users (review_engagement_rate);
CREATE INDEX IF NOT EXISTS idx_users_engagement_level ON users (engagement_level);
CREATE INDEX IF NOT EXISTS idx_users_sentiment ON users (sentiment_tendency);
CREATE INDEX IF NOT EXISTS idx_transactions_item_id ON transactions (item_id);
CREATE INDEX IF NOT EXISTS idx_transactions_user_id ON transactions (user_id);
CREATE INDEX IF NOT EXISTS idx_transactions_order_date ON transactions (order_date);
CREATE INDEX IF NOT EXISTS idx_transactions_status ON transactions (transaction_status);
CREATE INDEX IF NOT EXISTS idx_transactions_is_mock ON transactions (is_mock);
CREATE INDEX IF NOT EXISTS idx_reviews_item_id ON reviews (item_id);
CREATE INDEX IF NOT EXISTS idx_reviews_user_id ON reviews (user_id);
CREATE INDEX IF NOT EXISTS idx_reviews_transaction_id ON reviews (transaction_id);
CREATE INDEX IF NOT EXISTS idx_reviews_stars ON reviews (review_stars);
CREATE INDEX IF NOT EXISTS idx_reviews_source ON reviews (source);
CREATE INDEX IF NOT EXISTS idx_reviews_manual_or_agent ON reviews (manual_or_agent_generated);

CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS TRIGGER AS $mf$
BEGIN
  NEW.updated_at = NOW();
  RETURN NEW;
END;
$mf$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION update_product_review_count() RETURNS TRIGGER AS $mf$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE products SET review_count = review_count + 1 WHERE item_id = NEW.item_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE products SET review_count = review_count - 1 WHERE item_id = OLD.item_id;
  END IF;
  RETURN NULL;
END;
$mf$ LANGUAGE plpgsql;

DO $mf$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['products', 'users', 'transactions', 'reviews'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'update_' || t || '_updated_at') THEN
      EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()',
                     'update_' || t || '_updated_at', t);
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'trigger_update_review_count') THEN
    CREATE TRIGGER trigger_update_review_count AFTER INSERT OR DELETE ON reviews
      FOR EACH ROW EXECUTE FUNCTION update_product_review_count();
  END IF;
  IF to_regtype('vector') IS NOT NULL THEN
    EXECUTE $fn$
      CREATE OR REPLACE FUNCTION match_products(query_embedding vector(1536), match_threshold float DEFAULT 0.7, match_count int DEFAULT 5)
      RETURNS TABLE (item_id varchar, product_url text, title text, brand varchar, category varchar, price numeric,
                     description text, embeddings vector(1536), similarity float)
      LANGUAGE plpgsql AS $body$
      BEGIN
        RETURN QUERY
        SELECT p.item_id, p.product_url, p.title, p.brand, p.category, p.price, p.description, p.embeddings,
               1 - (p.embeddings <=> query_embedding) AS similarity
          FROM products p
         WHERE 1 - (p.embeddings <=> query_embedding) > match_threshold
         ORDER BY p.embeddings <=> query_embedding
         LIMIT match_count;
      END;
      $body$$fn$;
  END IF;
END $mf$;
`;

/**
 * The rows go through staging tables (vectors as real[], photos as JSON) and are cast into the
 * target's own column types, whatever they are (pgvector's vector or real[]).
 */
const STAGING = `
CREATE TEMP TABLE mf_products (item_id text, product_url text, title text, brand text, description text,
  photos jsonb, price numeric, star_rating numeric, num_ratings integer, category text, embeddings real[],
  is_mock boolean) ON COMMIT DROP;
CREATE TEMP TABLE mf_users (user_id uuid, user_name text, email_id text, age integer, base_location text,
  base_zip text, gender text, embeddings real[], total_purchases integer, total_reviews integer,
  review_engagement_rate numeric, avg_review_rating numeric, sentiment_tendency text, engagement_level text,
  is_main_user boolean) ON COMMIT DROP;
CREATE TEMP TABLE mf_transactions (transaction_id uuid, item_id text, user_id uuid, order_date timestamptz,
  delivery_date timestamptz, expected_delivery_date timestamptz, return_date timestamptz, original_price numeric,
  retail_price numeric, transaction_status text, is_mock boolean) ON COMMIT DROP;
CREATE TEMP TABLE mf_reviews (review_id uuid, item_id text, user_id uuid, transaction_id uuid, "timestamp" timestamptz,
  review_title text, review_text text, review_stars integer, source text, manual_or_agent_generated text,
  embeddings real[]) ON COMMIT DROP;
`;

/**
 * From staging into the tables, the vectors cast to the embeddings column's type; then each
 * product's review_count set to its reviews (right whether or not the original trigger, which
 * adds one per review inserted, is there); then the ivfflat indexes rebuilt over the loaded rows.
 */
const MOVE_IN = `
DO $mf$
DECLARE
  vec text := (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                WHERE attrelid = 'products'::regclass AND attname = 'embeddings');
BEGIN
  EXECUTE format($sql$INSERT INTO products (item_id, product_url, title, brand, description, photos, price, star_rating,
      num_ratings, review_count, category, embeddings, is_mock)
    SELECT item_id, product_url, title, brand, description, photos, price, star_rating, num_ratings, 0, category,
           embeddings::%s, is_mock FROM mf_products$sql$, vec);
  EXECUTE format($sql$INSERT INTO users (user_id, user_name, email_id, age, base_location, base_zip, gender, embeddings,
      total_purchases, total_reviews, review_engagement_rate, avg_review_rating, sentiment_tendency, engagement_level,
      is_main_user)
    SELECT user_id, user_name, email_id, age, base_location, base_zip, gender, embeddings::%s, total_purchases,
           total_reviews, review_engagement_rate, avg_review_rating, sentiment_tendency, engagement_level, is_main_user
      FROM mf_users$sql$, vec);
  INSERT INTO transactions (transaction_id, item_id, user_id, order_date, delivery_date, expected_delivery_date,
      return_date, original_price, retail_price, transaction_status, is_mock)
    SELECT transaction_id, item_id, user_id, order_date, delivery_date, expected_delivery_date, return_date,
           original_price, retail_price, transaction_status, is_mock FROM mf_transactions;
  EXECUTE format($sql$INSERT INTO reviews (review_id, item_id, user_id, transaction_id, "timestamp", review_title,
      review_text, review_stars, source, manual_or_agent_generated, embeddings)
    SELECT review_id, item_id, user_id, transaction_id, "timestamp", review_title, review_text, review_stars, source,
           manual_or_agent_generated, embeddings::%s FROM mf_reviews$sql$, vec);
  UPDATE products p SET review_count = (SELECT count(*) FROM reviews r WHERE r.item_id = p.item_id)
   WHERE p.item_id IN (SELECT item_id FROM mf_products);
  IF to_regclass('idx_products_embeddings') IS NOT NULL THEN REINDEX INDEX idx_products_embeddings; END IF;
  IF to_regclass('idx_users_embeddings') IS NOT NULL THEN REINDEX INDEX idx_users_embeddings; END IF;
  IF to_regclass('idx_reviews_embeddings') IS NOT NULL THEN REINDEX INDEX idx_reviews_embeddings; END IF;
END $mf$;
`;

const line = (values: unknown[]) => `${values.map(copyValue).join('\t')}\n`;

const table = (name: string): ExportTable => EXPORT_TABLES.SCENARIO.find((t) => t.name === name)!;

/** All rows of a table, page by page, mapped to Survey Sensei's columns as COPY text. */
async function copyBlock(
  req: ExportRequest,
  out: Writable,
  from: ExportTable,
  header: string,
  toLine: (row: ObjectLiteral, vector?: number[]) => string | null,
): Promise<void> {
  await send(out, `\nCOPY ${header} FROM stdin;\n`);
  for await (const page of tablePages(req, from)) {
    let text = '';
    for (const row of page.rows) text += toLine(row, page.vectors.get(row.id)?.vector) ?? '';
    await send(out, text);
  }
  await send(out, '\\.\n');
}

/**
 * What each user did in the rows exported: purchases, and the stars of the reviews that have a
 * purchase (C1's reviews without one cannot exist in Survey Sensei and are left out).
 */
async function exportedActivity(
  req: ExportRequest,
): Promise<Map<string, { purchases: number; stars: number[] }>> {
  const rows: { id: string; purchases: number; stars: number[] }[] = await req.db.dataSource.query(
    `SELECT u.id,
            (SELECT count(*) FROM transactions t WHERE t.run_id = u.run_id AND t.user_id = u.id)::int AS purchases,
            coalesce((SELECT array_agg(r.stars ORDER BY r.id) FROM reviews r
                       WHERE r.run_id = u.run_id AND r.user_id = u.id AND r.transaction_id IS NOT NULL), '{}') AS stars
       FROM users u WHERE u.run_id = $1`,
    [req.run.id],
  );
  return new Map(rows.map((r) => [r.id, { purchases: r.purchases, stars: r.stars.map(Number) }]));
}

/**
 * Survey Sensei SQL: a scenario run as the original Survey Sensei database holds it — its tables,
 * column names, types and vocabulary — schema (if missing) and data in one transaction, loadable
 * into a database built by the original migrations or into an empty one. Users' figures and
 * labels are computed from the exported rows by the original's rules (survey-sensei-rules).
 */
export async function writeSurveySensei(req: ExportRequest, out: Writable): Promise<void> {
  const { run } = req;
  const activity = await exportedActivity(req);
  const asins = new Map<string, string>();
  await send(
    out,
    `-- MockForge run ${run.id} (${run.scenarioId}, seed ${run.seed}, as of ${run.asOf.toISOString().slice(0, 10)}) ` +
      `for the Survey Sensei database.\n-- Load with: psql -v ON_ERROR_STOP=1 -f <this file> <database>\n` +
      `SET client_encoding = 'UTF8';\nBEGIN;\n\n${SURVEY_SENSEI_DDL}${STAGING}`,
  );
  const vectorText = (vector?: number[]) => (vector ? toPgArrayLiteral(vector) : null);
  await copyBlock(
    req,
    out,
    table('products'),
    'mf_products (item_id, product_url, title, brand, description, photos, price, star_rating, num_ratings, category, embeddings, is_mock)',
    (p, vector) => {
      asins.set(p.id, p.asin);
      return line([
        p.asin,
        p.productUrl,
        p.title,
        p.brand,
        p.description,
        JSON.stringify(p.photos),
        p.price,
        p.starRating,
        p.numRatings,
        p.category,
        vectorText(vector),
        p.isMock,
      ]);
    },
  );
  await copyBlock(
    req,
    out,
    table('users'),
    'mf_users (user_id, user_name, email_id, age, base_location, base_zip, gender, embeddings, total_purchases, total_reviews, review_engagement_rate, avg_review_rating, sentiment_tendency, engagement_level, is_main_user)',
    (u, vector) => {
      const f = surveySenseiFigures(activity.get(u.id) ?? { purchases: 0, stars: [] });
      return line([
        u.id,
        u.name,
        u.email,
        u.age,
        u.location,
        u.zip,
        u.gender,
        vectorText(vector),
        f.totalPurchases,
        f.totalReviews,
        f.reviewEngagementRate,
        f.avgReviewRating,
        f.sentimentTendency,
        f.engagementLevel,
        u.isMainUser,
      ]);
    },
  );
  await copyBlock(
    req,
    out,
    table('transactions'),
    'mf_transactions (transaction_id, item_id, user_id, order_date, delivery_date, expected_delivery_date, return_date, original_price, retail_price, transaction_status, is_mock)',
    (t) =>
      line([
        t.id,
        asins.get(t.productId),
        t.userId,
        t.orderDate,
        t.deliveryDate,
        t.expectedDeliveryDate,
        t.returnDate,
        t.originalPrice,
        t.retailPrice,
        String(t.status).toLowerCase(),
        t.isMock,
      ]),
  );
  await copyBlock(
    req,
    out,
    table('reviews'),
    'mf_reviews (review_id, item_id, user_id, transaction_id, "timestamp", review_title, review_text, review_stars, source, manual_or_agent_generated, embeddings)',
    (r, vector) =>
      r.transactionId === null
        ? null
        : line([
            r.id,
            asins.get(r.productId),
            r.userId,
            r.transactionId,
            r.reviewedAt,
            r.title,
            r.text,
            r.stars,
            r.source === ReviewSource.RAPIDAPI ? 'rapidapi' : 'agent_generated',
            r.source === ReviewSource.AGENT_GENERATED ? 'agent' : 'manual',
            vectorText(vector),
          ]),
  );
  await send(out, `${MOVE_IN}\nCOMMIT;\n`);
}
