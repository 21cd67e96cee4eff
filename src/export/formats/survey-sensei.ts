import type { Writable } from 'node:stream';
import type { ObjectLiteral } from 'typeorm';
import { EngagementLevel, ReviewSource, Sentiment } from '../../../entities/enums';
import { copyValue, toPgArrayLiteral } from '../../pipeline/bulk-writer';
import { EXPORT_TABLES, tablePages, type ExportRequest, type ExportTable } from '../run-export';
import { send } from './send';

/**
 * The original Survey Sensei database's schema, with its constraints. `CREATE TABLE IF NOT
 * EXISTS`, so the script loads into an empty database or one that already has these tables.
 */
export const SURVEY_SENSEI_DDL = `CREATE TABLE IF NOT EXISTS products (
  item_id text PRIMARY KEY,
  product_url text NOT NULL,
  title text NOT NULL,
  brand text NOT NULL,
  description text NOT NULL,
  photos text[] NOT NULL,
  price numeric(12,2) NOT NULL CHECK (price > 0),
  star_rating numeric(2,1) NOT NULL CHECK (star_rating BETWEEN 0 AND 5),
  num_ratings integer NOT NULL CHECK (num_ratings >= 0),
  review_count integer NOT NULL CHECK (review_count >= 0),
  category text NOT NULL,
  embeddings real[],
  is_mock boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
  user_id text PRIMARY KEY,
  user_name text NOT NULL,
  email_id text NOT NULL,
  age integer NOT NULL,
  base_location text NOT NULL,
  base_zip text NOT NULL,
  gender text NOT NULL,
  total_purchases integer NOT NULL CHECK (total_purchases >= 0),
  total_reviews integer NOT NULL CHECK (total_reviews >= 0),
  review_engagement_rate numeric(5,4) NOT NULL CHECK (review_engagement_rate BETWEEN 0 AND 1),
  avg_review_rating numeric(3,2) CHECK (avg_review_rating BETWEEN 1 AND 5),
  sentiment_tendency text NOT NULL
    CHECK (sentiment_tendency IN ('positive', 'critical', 'balanced', 'polarized', 'neutral')),
  engagement_level text NOT NULL
    CHECK (engagement_level IN ('highly_engaged', 'moderately_engaged', 'passive_buyer', 'new_user')),
  is_main_user boolean NOT NULL,
  CHECK (total_reviews <= total_purchases)
);
CREATE TABLE IF NOT EXISTS transactions (
  transaction_id text PRIMARY KEY,
  item_id text NOT NULL REFERENCES products (item_id),
  user_id text NOT NULL REFERENCES users (user_id),
  order_date timestamptz NOT NULL,
  delivery_date timestamptz,
  expected_delivery_date timestamptz NOT NULL,
  return_date timestamptz,
  original_price numeric(12,2) NOT NULL,
  retail_price numeric(12,2) NOT NULL,
  transaction_status text NOT NULL,
  CHECK (original_price >= retail_price AND retail_price > 0)
);
CREATE TABLE IF NOT EXISTS reviews (
  review_id text PRIMARY KEY,
  item_id text NOT NULL REFERENCES products (item_id),
  user_id text NOT NULL REFERENCES users (user_id),
  transaction_id text NOT NULL UNIQUE REFERENCES transactions (transaction_id),
  "timestamp" timestamptz NOT NULL,
  review_title text NOT NULL,
  review_text text NOT NULL,
  review_stars integer NOT NULL CHECK (review_stars BETWEEN 1 AND 5),
  source text NOT NULL CHECK (source IN ('rapidapi', 'agent_generated')),
  manual_or_agent_generated text NOT NULL CHECK (manual_or_agent_generated IN ('manual', 'agent'))
);
`;

/** Our enums in the Survey Sensei vocabulary. */
const ENGAGEMENT: Record<EngagementLevel, string> = {
  [EngagementLevel.HIGH]: 'highly_engaged',
  [EngagementLevel.MEDIUM]: 'moderately_engaged',
  [EngagementLevel.LOW]: 'passive_buyer',
};

function tendency(sentiment: Sentiment, avgRating: number | null): string {
  if (sentiment === Sentiment.POSITIVE) return 'positive';
  if (sentiment === Sentiment.NEGATIVE) return 'critical';
  // Our NEUTRAL is both "no reviews" and "a middling mean".
  return avgRating === null ? 'neutral' : 'balanced';
}

const line = (values: unknown[]) => `${values.map(copyValue).join('\t')}\n`;

/**
 * What Survey Sensei cannot hold: its reviews need a transaction (one review each), and a user's
 * reviews never outnumber their purchases. C1's reviews without a purchase are therefore left
 * out, and the counts they fed are taken back (product review counts, the reviewer's total and
 * mean rating), so every exported figure matches the exported rows.
 */
async function purchaseLessReviews(req: ExportRequest) {
  const perProduct: { product_id: string; n: number }[] = await req.db.dataSource.query(
    `SELECT product_id, count(*)::int AS n FROM reviews WHERE run_id = $1 AND transaction_id IS NULL GROUP BY product_id`,
    [req.run.id],
  );
  const perUser: { user_id: string; backed_mean: string | null }[] = await req.db.dataSource.query(
    `SELECT r.user_id, round(avg(r.stars) FILTER (WHERE r.transaction_id IS NOT NULL), 2)::text AS backed_mean
       FROM reviews r WHERE r.run_id = $1 GROUP BY r.user_id HAVING bool_or(r.transaction_id IS NULL)`,
    [req.run.id],
  );
  return {
    productReviews: new Map(perProduct.map((p) => [p.product_id, p.n])),
    userMean: new Map(perUser.map((u) => [u.user_id, u.backed_mean === null ? null : Number(u.backed_mean)])),
  };
}

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
 * Survey Sensei SQL: a scenario run as the original Survey Sensei database holds it (tables
 * products, users, transactions, reviews with its column names and vocabulary), schema and
 * data in one transaction. Product ids are ASINs (`item_id`); embeddings are real[].
 */
export async function writeSurveySensei(req: ExportRequest, out: Writable): Promise<void> {
  const { run } = req;
  const { productReviews, userMean } = await purchaseLessReviews(req);
  const asins = new Map<string, string>();
  await send(
    out,
    `-- MockForge run ${run.id} (${run.scenarioId}, seed ${run.seed}, as of ${run.asOf.toISOString().slice(0, 10)}) ` +
      `for the Survey Sensei database.\n-- Load with: psql -v ON_ERROR_STOP=1 -f <this file> <database>\n` +
      `SET client_encoding = 'UTF8';\nBEGIN;\n\n${SURVEY_SENSEI_DDL}`,
  );
  await copyBlock(
    req,
    out,
    table('products'),
    'products (item_id, product_url, title, brand, description, photos, price, star_rating, num_ratings, review_count, category, embeddings, is_mock)',
    (p, vector) => {
      asins.set(p.id, p.asin);
      const reviewCount = p.reviewCount - (productReviews.get(p.id) ?? 0);
      return line([
        p.asin,
        p.productUrl,
        p.title,
        p.brand,
        p.description,
        toPgArrayLiteral(p.photos),
        p.price,
        p.starRating,
        p.numRatings,
        reviewCount,
        p.category,
        vector ? toPgArrayLiteral(vector) : null,
        p.isMock,
      ]);
    },
  );
  await copyBlock(
    req,
    out,
    table('users'),
    'users (user_id, user_name, email_id, age, base_location, base_zip, gender, total_purchases, total_reviews, review_engagement_rate, avg_review_rating, sentiment_tendency, engagement_level, is_main_user)',
    (u) => {
      const reviews = u.totalReviews - u.reviewsWithoutPurchase;
      const mean = userMean.has(u.id) ? userMean.get(u.id)! : u.avgReviewRating;
      const level =
        u.totalPurchases === 0 && reviews === 0
          ? 'new_user'
          : ENGAGEMENT[u.engagementLevel as EngagementLevel];
      return line([
        u.id,
        u.name,
        u.email,
        u.age,
        u.location,
        u.zip,
        u.gender,
        u.totalPurchases,
        reviews,
        u.reviewEngagementRate,
        mean,
        tendency(u.sentimentTendency, mean),
        level,
        u.isMainUser,
      ]);
    },
  );
  await copyBlock(
    req,
    out,
    table('transactions'),
    'transactions (transaction_id, item_id, user_id, order_date, delivery_date, expected_delivery_date, return_date, original_price, retail_price, transaction_status)',
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
      ]),
  );
  await copyBlock(
    req,
    out,
    table('reviews'),
    'reviews (review_id, item_id, user_id, transaction_id, "timestamp", review_title, review_text, review_stars, source, manual_or_agent_generated)',
    (r) =>
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
          ]),
  );
  await send(out, '\nCOMMIT;\n');
}
