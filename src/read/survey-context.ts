import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { Product, Review, Transaction, User } from '../../entities';
import { RunKind, RunStatus } from '../../entities/enums';
import type { Database } from '../db/data-source';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { hydrate } from '../db/hydrate';
import { loadRun } from '../runs/run-record';
import { surveySenseiFigures, type SurveySenseiFigures } from '../survey-sensei/rules';

/**
 * What Survey Sensei's survey agents read for a run, taken from its stored rows as the original
 * reads its database (the reference, "things the data must satisfy downstream"): the purchase that
 * triggers the survey, the main product with its latest reviews, similar products as
 * `match_products` ranks them with their latest reviews, and the main user with their figures,
 * labels and purchases of similar products. Reviews without a purchase (C1) do not exist there
 * and are not read here either.
 */

/** The original's settings (config.py) and the limits its agents read with. */
export const SURVEY_SENSEI_READS = {
  similarityThreshold: 0.7,
  maxSimilarProducts: 5,
  mainProductReviews: 50,
  similarProductReviews: 10,
  latestPurchases: 50,
} as const;

export interface SurveyContextData {
  runId: string;
  /** The main user's latest purchase of the main product (by order date). */
  triggerPurchase: Transaction | null;
  mainProduct: Product;
  /** The main product's reviews, newest first, at most 50. */
  mainProductReviews: Review[];
  /** Cosine > 0.7 to the main product, with reviews, not itself; best first, at most 5. */
  similarProducts: { product: Product; similarity: number; reviews: Review[] }[];
  mainUser: User;
  /** The main user's figures and labels by the original's rules. */
  mainUserProfile: SurveySenseiFigures;
  /** Among the main user's 50 latest purchases, those of products with cosine ≥ 0.7 to the main one (not itself). */
  mainUserSimilarPurchases: { transaction: Transaction; product: Product; similarity: number }[];
  /** Whether the run has embeddings (without them nothing is similar, as in the original). */
  hasEmbeddings: boolean;
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** pgvector prints `[x,y]`, real[] `{x,y}`. */
const parseVector = (text: string | null) => (text ? text.slice(1, -1).split(',').map(Number) : null);

export async function surveyContext(db: Database, runId: string): Promise<SurveyContextData> {
  const run = await loadRun(db, runId);
  if (!run) throw new NotFoundError('GenerationRun', 'runId', runId);
  if (run.kind !== RunKind.SCENARIO) {
    throw new BadUserInputError('surveyContext needs a scenario run (this one is a dashboard)', 'runId');
  }
  if (run.status !== RunStatus.SUCCEEDED) {
    throw new ConflictError(`Run ${runId} is ${run.status}: only a succeeded run has rows to read`, 'runId');
  }
  const ds = db.dataSource;
  const as = <T extends ObjectLiteral>(entity: EntityTarget<T>, rows: ObjectLiteral[]): T[] =>
    rows.map((row) => hydrate<T>(ds, ds.getMetadata(entity), row));

  // Every product of the run (a scenario has a few dozen), its vector and its reviews with a purchase.
  const productRows: ObjectLiteral[] = await ds.query(
    `SELECT p.*, e.embedding::text AS __vector,
            (SELECT count(*) FROM reviews r WHERE r.run_id = p.run_id AND r.product_id = p.id
                AND r.transaction_id IS NOT NULL)::int AS __reviews
       FROM products p LEFT JOIN product_embeddings e ON e.run_id = p.run_id AND e.product_id = p.id
      WHERE p.run_id = $1`,
    [runId],
  );
  const products = new Map(
    productRows.map((row) => [
      row.id as string,
      { product: as(Product, [row])[0], vector: parseVector(row.__vector), reviews: Number(row.__reviews) },
    ]),
  );
  const main = [...products.values()].find((p) => p.product.role === 'MAIN')!;
  const similarity = (id: string) => {
    const other = products.get(id)?.vector;
    return main.vector && other ? cosine(main.vector, other) : 0;
  };
  const reads = SURVEY_SENSEI_READS;

  const [mainUser] = as(
    User,
    await ds.query(`SELECT * FROM users WHERE run_id = $1 AND is_main_user`, [runId]),
  );
  const [trigger] = as(
    Transaction,
    await ds.query(
      `SELECT * FROM transactions WHERE run_id = $1 AND user_id = $2 AND product_id = $3
        ORDER BY order_date DESC, id LIMIT 1`,
      [runId, mainUser.id, main.product.id],
    ),
  );

  const similar = [...products.values()]
    .filter((p) => p.product.id !== main.product.id && p.reviews > 0)
    .map((p) => ({ ...p, similarity: similarity(p.product.id) }))
    .filter((p) => p.similarity > reads.similarityThreshold)
    .sort((a, b) => b.similarity - a.similarity || a.product.id.localeCompare(b.product.id))
    .slice(0, reads.maxSimilarProducts);

  // The latest reviews of the main product and of each similar one, in one statement.
  const reviewRows: ObjectLiteral[] = await ds.query(
    `SELECT r.* FROM unnest($2::uuid[], $3::int[]) AS k(product_id, n)
       CROSS JOIN LATERAL (SELECT * FROM reviews r WHERE r.run_id = $1 AND r.product_id = k.product_id
                             AND r.transaction_id IS NOT NULL ORDER BY r.reviewed_at DESC, r.id LIMIT k.n) r`,
    [
      runId,
      [main.product.id, ...similar.map((s) => s.product.id)],
      [reads.mainProductReviews, ...similar.map(() => reads.similarProductReviews)],
    ],
  );
  const reviews = as(Review, reviewRows);
  const reviewsOf = (productId: string) => reviews.filter((r) => r.productId === productId);

  const latest = as(
    Transaction,
    await ds.query(
      `SELECT * FROM transactions WHERE run_id = $1 AND user_id = $2 ORDER BY order_date DESC, id LIMIT $3`,
      [runId, mainUser.id, reads.latestPurchases],
    ),
  );
  const [activity] = await ds.query(
    `SELECT (SELECT count(*) FROM transactions WHERE run_id = $1 AND user_id = $2)::int AS purchases,
            coalesce((SELECT array_agg(stars ORDER BY id) FROM reviews
                       WHERE run_id = $1 AND user_id = $2 AND transaction_id IS NOT NULL), '{}') AS stars`,
    [runId, mainUser.id],
  );

  return {
    runId,
    triggerPurchase: trigger ?? null,
    mainProduct: main.product,
    mainProductReviews: reviewsOf(main.product.id),
    similarProducts: similar.map((s) => ({
      product: s.product,
      similarity: s.similarity,
      reviews: reviewsOf(s.product.id),
    })),
    mainUser,
    mainUserProfile: surveySenseiFigures({
      purchases: activity.purchases,
      stars: (activity.stars as (number | string)[]).map(Number),
    }),
    mainUserSimilarPurchases: latest
      .filter((t) => t.productId !== main.product.id)
      .map((t) => ({
        transaction: t,
        product: products.get(t.productId)!.product,
        similarity: similarity(t.productId),
      }))
      .filter((p) => p.similarity >= reads.similarityThreshold),
    hasEmbeddings: main.vector !== null,
  };
}
