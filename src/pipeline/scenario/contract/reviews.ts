import { isExactSplit } from '../../contract-checks';
import { facts, type Contract } from './contract';

/** Reviews: how many per product and per main-user history, the main product's spread, and that each fits its purchase. */
export async function checkReviews(
  contract: Contract,
  products: { similar: number; diverse: number },
): Promise<void> {
  const { request, checks } = contract;
  const c = request.config.counts;
  const asOf = request.asOf.toISOString();
  const check = checks.check.bind(checks);
  const none = checks.none.bind(checks);
  const r = await facts<Record<string, number>>(contract, REVIEW_FACTS, [contract.runId, asOf]);
  check('reviews.mainProduct.mock', c.mainProductReviews, r.main_product_mock);
  if (request.spread && c.mainProductReviews > 0) {
    const { good, neutral, bad } = request.spread;
    check(
      'reviews.mainProduct.sentimentSpread',
      `${good}/${neutral}/${bad} % of ${c.mainProductReviews}, exact`,
      `${r.good}/${r.neutral}/${r.bad}`,
      r.good + r.neutral + r.bad === c.mainProductReviews &&
        isExactSplit([r.good, r.neutral, r.bad], [good, neutral, bad]),
    );
  }
  check('reviews.rapidApi', request.apiReviews.length, r.rapid);
  const each = (n: number, products: number) => Array(products).fill(n).join(',');
  check('reviews.perSimilarProduct', each(c.reviewsPerSimilarProduct, products.similar), r.per_similar ?? '');
  check('reviews.perDiverseProduct', each(c.reviewsPerDiverseProduct, products.diverse), r.per_diverse ?? '');
  const withoutPurchase = request.config.reviewsWithoutPurchase ? c.mainUserSimilarReviews : 0;
  check('reviews.withoutPurchase', withoutPurchase, r.without_tx);
  check('mainUser.exactReviews', c.mainUserExactReviews, r.main_exact);
  check(
    'mainUser.similarReviewsWithPurchase',
    request.config.reviewsWithoutPurchase ? 0 : c.mainUserSimilarReviews,
    r.main_similar,
  );
  check('mainUser.reviewsWithoutPurchase', withoutPurchase, r.main_without_purchase);
  // Rule 3: one review per shopper and product.
  none('reviews.onePerShopperAndProduct', r.repeat_reviewers);
  none('reviews.matchTheirPurchase', r.mismatch);
  none('reviews.afterDelivery', r.before_delivery);
  none('reviews.ofReturnsAfterTheReturn', r.before_return);
  none('reviews.noneAfterAsOf', r.after_as_of);
}

/** Reviews by kind and the rules' violations ($2 asOf). */
const REVIEW_FACTS = `SELECT count(*) FILTER (WHERE r.source = 'RAPIDAPI')::int AS rapid,
            count(*) FILTER (WHERE r.transaction_id IS NULL)::int AS without_tx,
            count(*) FILTER (WHERE r.transaction_id IS NOT NULL
              AND (t.id IS NULL OR t.product_id <> r.product_id OR t.user_id <> r.user_id))::int AS mismatch,
            count(*) FILTER (WHERE t.id IS NOT NULL AND (t.delivery_date IS NULL OR r.reviewed_at <= t.delivery_date))::int AS before_delivery,
            count(*) FILTER (WHERE t.status = 'RETURNED' AND (t.return_date IS NULL OR r.reviewed_at <= t.return_date))::int AS before_return,
            count(*) FILTER (WHERE r.reviewed_at > $2::timestamptz)::int AS after_as_of,
            count(*) FILTER (WHERE u.is_main_user AND p.role = 'MAIN')::int AS main_exact,
            count(*) FILTER (WHERE u.is_main_user AND p.role = 'SIMILAR' AND r.transaction_id IS NOT NULL)::int AS main_similar,
            count(*) FILTER (WHERE u.is_main_user AND r.transaction_id IS NULL)::int AS main_without_purchase,
            count(*) FILTER (WHERE NOT u.is_main_user AND p.role = 'MAIN')::int AS main_product_mock,
            count(*) FILTER (WHERE NOT u.is_main_user AND p.role = 'MAIN' AND r.stars >= 4)::int AS good,
            count(*) FILTER (WHERE NOT u.is_main_user AND p.role = 'MAIN' AND r.stars = 3)::int AS neutral,
            count(*) FILTER (WHERE NOT u.is_main_user AND p.role = 'MAIN' AND r.stars <= 2)::int AS bad,
            (SELECT count(*) FROM (SELECT 1 FROM reviews WHERE run_id = $1 GROUP BY user_id, product_id HAVING count(*) > 1) x)::int
              AS repeat_reviewers,
            (SELECT string_agg(n::text, ',' ORDER BY n) FROM (SELECT count(*) AS n FROM reviews rv
               JOIN users uu ON uu.run_id = rv.run_id AND uu.id = rv.user_id
               JOIN products pp ON pp.run_id = rv.run_id AND pp.id = rv.product_id
              WHERE rv.run_id = $1 AND NOT uu.is_main_user AND pp.role = 'SIMILAR' GROUP BY pp.id) x) AS per_similar,
            (SELECT string_agg(n::text, ',' ORDER BY n) FROM (SELECT count(*) AS n FROM reviews rv
               JOIN users uu ON uu.run_id = rv.run_id AND uu.id = rv.user_id
               JOIN products pp ON pp.run_id = rv.run_id AND pp.id = rv.product_id
              WHERE rv.run_id = $1 AND NOT uu.is_main_user AND pp.role = 'DIVERSE' GROUP BY pp.id) x) AS per_diverse
       FROM reviews r
       JOIN users u ON u.run_id = r.run_id AND u.id = r.user_id
       JOIN products p ON p.run_id = r.run_id AND p.id = r.product_id
       LEFT JOIN transactions t ON t.run_id = r.run_id AND t.id = r.transaction_id
      WHERE r.run_id = $1`;
