import type { EntityManager } from 'typeorm';
import type { ContractCheck } from '../../../entities/contract-check';
import { ProductRole, RunScenarioId } from '../../../entities/enums';
import { categoryByName } from '../../../generators/ecommerce/categories';
import { ORDER_RULES, RETURN_WORDS } from '../../../generators/ecommerce/orders';
import { ENGAGEMENT_RULES, TENDENCY_RULES } from '../../../generators/ecommerce/users';
import { ContractChecks, isExactSplit } from '../contract-checks';
import type { ScenarioRequest } from './scenario-request';

/**
 * The proof that a scenario run is what its scenario promises, computed with SQL from the rows as
 * stored — inside the run's transaction, after every row is written and before it commits — and
 * compared with what the scenario table and the order rules (ORDER_RULES, ENGAGEMENT_RULES) say,
 * never with numbers the generator reported. A run that fails any check is rolled back.
 */
export async function checkScenario(
  manager: EntityManager,
  runId: string,
  request: ScenarioRequest,
): Promise<ContractCheck[]> {
  const c = request.config.counts;
  const asOf = request.asOf.toISOString();
  const checks = new ContractChecks();
  const check = checks.check.bind(checks);
  const none = checks.none.bind(checks);
  const q = async <T>(sql: string, params: unknown[] = [runId]): Promise<T> =>
    (await manager.query(sql, params))[0];

  // ---- products ----
  const products: ProductFacts[] = await manager.query(
    `SELECT p.id, p.role, p.asin, p.brand, p.category, p.price::float8 AS price, p.star_rating::float8 AS rating,
            p.review_count, count(r.id)::int AS reviews, avg(r.stars)::float8 AS mean_stars
       FROM products p LEFT JOIN reviews r ON r.run_id = p.run_id AND r.product_id = p.id
      WHERE p.run_id = $1 GROUP BY p.id, p.role, p.asin, p.brand, p.category, p.price, p.star_rating, p.review_count`,
    [runId],
  );
  const byRole = (role: ProductRole) => products.filter((p) => p.role === role);
  const [main] = byRole(ProductRole.MAIN);
  const similar = byRole(ProductRole.SIMILAR);
  const diverse = byRole(ProductRole.DIVERSE);
  check('products.main', 1, byRole(ProductRole.MAIN).length);
  check('products.similar', c.similarProducts, similar.length);
  check('products.diverse', c.diverseProducts, diverse.length);
  if (!main) return checks.list;
  none(
    'products.similarPriceWithin20to40Percent',
    similar.filter((p) => {
      const deviation = Math.abs(p.price / main.price - 1);
      return deviation < 0.2 - 0.005 / main.price || deviation > 0.4 + 0.005 / main.price;
    }).length,
  );
  none('products.similarSameCategory', similar.filter((p) => p.category !== main.category).length);
  const sameBrand = similar.filter((p) => p.brand === main.brand).length;
  check(
    'products.similarMainBrandShare',
    `≥ ${Math.ceil(c.similarProducts * 0.4)}`,
    sameBrand,
    sameBrand >= Math.ceil(c.similarProducts * 0.4),
  );
  // A diverse product is another category's, priced in that category's types' bands.
  const band = (category: string) => {
    const types = categoryByName(category).types;
    return [Math.min(...types.map((t) => t.price[0])), Math.max(...types.map((t) => t.price[1]))];
  };
  none(
    'products.diverseOtherCategoryPricedInItsBand',
    diverse.filter((p) => {
      const [low, high] = band(p.category);
      return p.category === main.category || p.price < low || p.price > high;
    }).length,
  );
  none('products.reviewCountMatchesReviews', products.filter((p) => p.review_count !== p.reviews).length);
  // Rule 4: reviews average to the product's rating (the main product's when its spread is derived).
  const rated = products.filter(
    (p) =>
      p.reviews >= ORDER_RULES.ratingMinReviews && (p.role !== ProductRole.MAIN || request.spread === null),
  );
  const offRating = rated.filter(
    (p) => Math.abs((p.mean_stars ?? 0) - p.rating) > ORDER_RULES.ratingTolerance + 1e-9,
  );
  check(
    'products.reviewsAverageTheirRating',
    `within ${ORDER_RULES.ratingTolerance} on ${rated.length}`,
    offRating.length
      ? `${offRating.length} off (worst ${worstGap(offRating).toFixed(2)})`
      : `within ${ORDER_RULES.ratingTolerance} on ${rated.length}`,
  );

  // ---- users ----
  const { HIGH, MEDIUM } = ENGAGEMENT_RULES;
  const users = await q<Record<string, number>>(
    `WITH t AS (SELECT user_id, count(*) AS n FROM transactions WHERE run_id = $1 GROUP BY user_id),
          r AS (SELECT user_id, count(*) AS n, count(transaction_id) AS wp, avg(stars) AS mean
                  FROM reviews WHERE run_id = $1 GROUP BY user_id),
          u AS (SELECT u.*, coalesce(t.n, 0) AS tp, coalesce(r.n, 0) AS tr, coalesce(r.wp, 0) AS wp, r.mean
                  FROM users u LEFT JOIN t ON t.user_id = u.id LEFT JOIN r ON r.user_id = u.id WHERE u.run_id = $1),
          l AS (SELECT u.*, CASE
                  WHEN tp = 0 THEN CASE WHEN tr > 0 THEN 'MEDIUM' ELSE 'LOW' END
                  WHEN tr >= ${HIGH.minReviews} AND wp::float8 / tp >= ${HIGH.minRate} THEN 'HIGH'
                  WHEN tr >= ${MEDIUM.minReviews} AND wp::float8 / tp >= ${MEDIUM.minRate} THEN 'MEDIUM'
                  ELSE 'LOW' END AS level FROM u)
     SELECT (SELECT max(n) FROM (SELECT count(*) AS n FROM transactions x JOIN users b ON b.run_id = x.run_id AND b.id = x.user_id
               WHERE x.run_id = $1 AND NOT b.is_main_user GROUP BY x.product_id) y)::int AS most_bought,
            (SELECT max(n) FROM (SELECT count(*) AS n FROM reviews x JOIN users b ON b.run_id = x.run_id AND b.id = x.user_id
               WHERE x.run_id = $1 AND NOT b.is_main_user GROUP BY x.product_id) y)::int AS most_reviewed,
            count(*) FILTER (WHERE is_main_user)::int AS main,
            count(*) FILTER (WHERE NOT is_main_user)::int AS mock,
            (count(*) - count(DISTINCT lower(email)))::int AS duplicate_emails,
            count(*) FILTER (WHERE total_purchases <> tp OR total_reviews <> tr OR reviews_without_purchase <> tr - wp
                OR abs(review_engagement_rate - CASE WHEN tp = 0 THEN 0 ELSE wp::numeric / tp END) > 0.00005
                OR (mean IS NULL) <> (avg_review_rating IS NULL) OR abs(avg_review_rating - mean) > 0.005)::int AS wrong_totals,
            count(*) FILTER (WHERE engagement_level <> level)::int AS wrong_level,
            count(*) FILTER (WHERE tp = 0 AND engagement_level = 'HIGH')::int AS high_without_purchase,
            count(*) FILTER (WHERE sentiment_tendency <> CASE WHEN mean IS NULL THEN 'NEUTRAL'
                WHEN mean >= ${TENDENCY_RULES.positiveFrom} THEN 'POSITIVE'
                WHEN mean <= ${TENDENCY_RULES.negativeUpTo} THEN 'NEGATIVE' ELSE 'NEUTRAL' END)::int AS wrong_tendency
       FROM l`,
  );
  check('users.main', 1, users.main);
  checkShoppers(checks, request, users);
  none('users.emailsUnique', users.duplicate_emails);
  none('users.totalsMatchTheirRows', users.wrong_totals);
  none('users.engagementByThresholds', users.wrong_level);
  none('users.noHighEngagementWithoutPurchases', users.high_without_purchase);
  none('users.tendencyByMeanStars', users.wrong_tendency);

  // ---- purchases ----
  const returnPattern = `\\y(${RETURN_WORDS})\\y`;
  const t = await q<Record<string, number>>(
    `WITH tx AS (
       SELECT t.*, p.role, p.price AS list_price, u.is_main_user AS by_main,
              r.id AS review_id, r.stars, r.source, r.title || ' ' || r.text AS words
         FROM transactions t
         JOIN products p ON p.run_id = t.run_id AND p.id = t.product_id
         JOIN users u ON u.run_id = t.run_id AND u.id = t.user_id
         LEFT JOIN reviews r ON r.run_id = t.run_id AND r.transaction_id = t.id
        WHERE t.run_id = $1)
     SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered,
            count(*) FILTER (WHERE status = 'RETURNED')::int AS returned,
            count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
            count(*) FILTER (WHERE review_id IS NULL AND NOT by_main)::int AS pending_eligible,
            count(*) FILTER (WHERE status <> 'PENDING' AND NOT (by_main AND role = 'MAIN')
              AND (review_id IS NULL OR (stars <= ${ORDER_RULES.returnedReviewMaxStars} AND source <> 'RAPIDAPI')))::int AS return_eligible,
            count(*) FILTER (WHERE status = 'PENDING' AND (review_id IS NOT NULL
              OR order_date < $2::timestamptz - interval '${ORDER_RULES.pendingMaxAgeDays} days'
              OR expected_delivery_date < $2::timestamptz - interval '${ORDER_RULES.pendingExpectedMaxPastDays} days'))::int AS stale_pending,
            count(*) FILTER (WHERE status = 'RETURNED' AND review_id IS NOT NULL AND source <> 'RAPIDAPI'
              AND (stars > ${ORDER_RULES.returnedReviewMaxStars} OR words !~* $3))::int AS returned_review_off,
            count(*) FILTER (WHERE status <> 'RETURNED' AND review_id IS NOT NULL AND source <> 'RAPIDAPI' AND words ~* $3)::int AS kept_reads_returned,
            count(*) FILTER (WHERE greatest(order_date, expected_delivery_date, delivery_date, return_date) > $2::timestamptz
              AND NOT (status = 'PENDING' AND order_date <= $2::timestamptz AND delivery_date IS NULL))::int AS after_as_of,
            count(*) FILTER (WHERE status <> 'PENDING' AND NOT (by_main AND role = 'MAIN') AND NOT (order_date BETWEEN
              $2::timestamptz - (CASE WHEN by_main THEN ${ORDER_RULES.mainUserHistoryDays[1]} ELSE ${ORDER_RULES.mockOrderDays[1]} END) * interval '1 day'
              AND $2::timestamptz - (CASE WHEN by_main THEN ${ORDER_RULES.mainUserHistoryDays[0]} ELSE ${ORDER_RULES.mockOrderDays[0]} END) * interval '1 day'))::int AS order_window,
            count(*) FILTER (WHERE NOT (retail_price > 0 AND retail_price <= original_price AND original_price = list_price
              AND retail_price >= floor(original_price * 80) / 100))::int AS prices,
            count(*) FILTER (WHERE by_main AND role = 'MAIN'
              AND order_date < $2::timestamptz - interval '${ORDER_RULES.currentPurchaseDays[1]} days')::int AS main_exact,
            count(*) FILTER (WHERE by_main AND role = 'SIMILAR')::int AS main_similar,
            count(*) FILTER (WHERE by_main AND role = 'MAIN'
              AND order_date >= $2::timestamptz - interval '${ORDER_RULES.currentPurchaseDays[1]} days')::int AS main_current,
            count(*) FILTER (WHERE by_main AND role = 'MAIN' AND status = 'DELIVERED' AND review_id IS NULL AND NOT is_mock
              AND delivery_date <= $2::timestamptz AND order_date BETWEEN
              $2::timestamptz - interval '${ORDER_RULES.currentPurchaseDays[1]} days'
              AND $2::timestamptz - interval '${ORDER_RULES.currentPurchaseDays[0]} days')::int AS main_current_ok,
            count(*) FILTER (WHERE delivery_date > expected_delivery_date)::int AS late,
            count(*) FILTER (WHERE delivery_date > expected_delivery_date + interval '${ORDER_RULES.lateMaxDays} days'
              OR expected_delivery_date NOT BETWEEN order_date + interval '${ORDER_RULES.expectedDeliveryDays[0]} days'
                AND order_date + interval '${ORDER_RULES.expectedDeliveryDays[1]} days' AND NOT (by_main AND role = 'MAIN'
                  AND order_date >= $2::timestamptz - interval '${ORDER_RULES.currentPurchaseDays[1]} days'))::int AS late_off,
            count(*) FILTER (WHERE NOT by_main AND role = 'MAIN' AND review_id IS NULL)::int AS main_silent,
            count(*) FILTER (WHERE NOT by_main AND role = 'SIMILAR' AND review_id IS NULL)::int AS similar_silent,
            (SELECT count(*) FROM (SELECT 1 FROM transactions WHERE run_id = $1 GROUP BY user_id, product_id
               HAVING count(*) > ${ORDER_RULES.maxPurchasesPerShopperAndProduct}) x)::int AS repeat_buyers
       FROM tx`,
    [runId, asOf, returnPattern],
  );
  // Rule 1: the split over all purchases, exact (each status within 1 of its share); pending and
  // returned orders only where they can be (recent unreviewed mock purchases; purchases not
  // reviewed above 3 stars): where fewer can, all that can.
  const split = ORDER_RULES.statusSplit;
  const holds = (n: number, percent: number, eligible: number) => {
    const share = (t.total * percent) / 100;
    return (Math.abs(n - share) < 1 && n <= eligible) || (n === eligible && eligible < share);
  };
  check(
    'purchases.statusSplit',
    `${split.delivered}/${split.returned}/${split.pending} % of ${t.total}, exact (returns ≤ ${t.return_eligible}, pending ≤ ${t.pending_eligible})`,
    `${t.delivered}/${t.returned}/${t.pending}`,
    t.delivered + t.returned + t.pending === t.total &&
      holds(t.returned, split.returned, t.return_eligible) &&
      holds(t.pending, split.pending, t.pending_eligible),
  );
  none('purchases.pendingAreRecent', t.stale_pending);
  // Late deliveries are the exception: exactly their share of the delivered purchases (returned
  // ones included) but the survey trigger, rounded; none later than the rule allows.
  const deliveredButTrigger = t.delivered + t.returned - t.main_current;
  check(
    'purchases.lateDeliveriesTheException',
    `${Math.round(deliveredButTrigger * ORDER_RULES.lateDeliveryShare)} late of ${deliveredButTrigger}, none off`,
    `${t.late} late of ${deliveredButTrigger}${t.late_off ? `, ${t.late_off} off` : ', none off'}`,
  );
  none('purchases.atMost3PerShopperAndProduct', t.repeat_buyers);
  // Dates in order (expected delivery and delivery after the order, a return after the delivery,
  // pending ⇔ undelivered, returned ⇔ a return date) are the database's own CHECK constraints
  // (ck_transactions_*): no stored row can break them, so no check here could ever fail.
  none('purchases.noDateAfterAsOf', t.after_as_of);
  none('purchases.orderWindow', t.order_window);
  none('purchases.prices', t.prices);
  const inRange = (n: number, r: { min: number; max: number }) => n >= r.min && n <= r.max;
  const mainRange = c.mainProductSilentPurchases;
  check(
    'purchases.mainProductWithoutReview',
    `${mainRange.min}–${mainRange.max}`,
    t.main_silent,
    inRange(t.main_silent, mainRange),
  );
  const simRange = c.similarProducts ? c.similarSilentPurchases : { min: 0, max: 0 };
  check(
    'purchases.similarWithoutReview',
    `${simRange.min}–${simRange.max}`,
    t.similar_silent,
    inRange(t.similar_silent, simRange),
  );
  // Every scenario has the survey trigger: one purchase of the main product by the main user,
  // ordered 2–7 days before asOf, delivered, not reviewed yet, after every earlier one of it.
  check('mainUser.surveyTriggerPurchase', '1 of 1', `${t.main_current_ok} of ${t.main_current}`);
  check('mainUser.exactPurchasesBeforeTrigger', c.mainUserExactPurchases, t.main_exact);
  check('mainUser.similarPurchases', c.mainUserSimilarPurchases, t.main_similar);
  // Rule 2: a review fits its purchase.
  none('reviews.returnedReadLikeReturnsAndLeanLow', t.returned_review_off);
  none('reviews.noReturnLanguageOnKeptItems', t.kept_reads_returned);

  // ---- reviews ----
  const r = await q<Record<string, number>>(
    `SELECT count(*) FILTER (WHERE r.source = 'RAPIDAPI')::int AS rapid,
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
      WHERE r.run_id = $1`,
    [runId, asOf],
  );
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
  check('reviews.perSimilarProduct', each(c.reviewsPerSimilarProduct, similar.length), r.per_similar ?? '');
  check('reviews.perDiverseProduct', each(c.reviewsPerDiverseProduct, diverse.length), r.per_diverse ?? '');
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

  // ---- embeddings ----
  if (request.embeddings) {
    const e = await q<Record<string, number>>(
      `SELECT (SELECT count(*) FROM products WHERE run_id = $1)::int AS products,
              (SELECT count(*) FROM product_embeddings WHERE run_id = $1)::int AS product_vectors,
              (SELECT count(*) FROM users WHERE run_id = $1)::int AS users,
              (SELECT count(*) FROM user_embeddings WHERE run_id = $1)::int AS user_vectors,
              (SELECT count(*) FROM reviews WHERE run_id = $1)::int AS reviews,
              (SELECT count(*) FROM review_embeddings WHERE run_id = $1)::int AS review_vectors`,
    );
    check(
      'embeddings.coverage',
      `${e.products}/${e.users}/${e.reviews}`,
      `${e.product_vectors}/${e.user_vectors}/${e.review_vectors}`,
    );
  }
  return checks.list;
}

/** Mock shoppers of each scenario group at its table's counts, as docs/scenarios.md states them. */
const README_SHOPPERS: Record<string, number> = { A: 125, B: 38, C: 25 };

/**
 * Mock shoppers (the rule docs/scenarios.md states): the table's mockUsers, or 1.25 × the most mock reviews of one
 * product when more, or enough that nobody buys one product more than 3 times — whichever is
 * largest. Stored rows give the least that can hold (the purchases drawn); the table's ranges the
 * most (every range at its top). A scenario at its table's counts has the documented number.
 */
function checkShoppers(
  checks: ContractChecks,
  request: ScenarioRequest,
  users: Record<string, number | null>,
): void {
  const c = request.config.counts;
  const cap = ORDER_RULES.maxPurchasesPerShopperAndProduct;
  const needed = (mostBought: number) =>
    Math.max(c.mockUsers, Math.ceil(1.25 * (users.most_reviewed ?? 0)), Math.ceil(mostBought / cap));
  if (request.scenarioId !== RunScenarioId.CUSTOM) {
    checks.check('users.mock', README_SHOPPERS[request.baseScenarioId[0]], users.mock);
    return;
  }
  const mock = users.mock ?? 0;
  const least = needed(users.most_bought ?? 0);
  const most = needed(
    Math.max(
      c.mainProductReviews + c.mainProductSilentPurchases.max,
      c.reviewsPerSimilarProduct + c.similarSilentPurchases.max,
      c.reviewsPerDiverseProduct,
    ),
  );
  checks.check('users.mock', `${least}–${most}`, mock, mock >= least && mock <= most);
}

interface ProductFacts {
  id: string;
  role: ProductRole;
  asin: string;
  brand: string;
  category: string;
  price: number;
  rating: number;
  review_count: number;
  reviews: number;
  mean_stars: number | null;
}

function worstGap(products: readonly ProductFacts[]): number {
  return Math.max(...products.map((p) => Math.abs((p.mean_stars ?? 0) - p.rating)));
}
