import { ORDER_RULES, RETURN_WORDS } from '../../../../generators/ecommerce/orders';
import { facts, type Contract } from './contract';

/** Purchases: the status split, dates, prices and windows of the order rules, and the main user's history. */
export async function checkPurchases(contract: Contract): Promise<void> {
  const { request, checks } = contract;
  const c = request.config.counts;
  const asOf = request.asOf.toISOString();
  const check = checks.check.bind(checks);
  const none = checks.none.bind(checks);
  const returnPattern = `\\y(${RETURN_WORDS})\\y`;
  const t = await facts<Record<string, number>>(contract, PURCHASE_FACTS, [
    contract.runId,
    asOf,
    returnPattern,
  ]);
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
}

/** Purchases by status and the order rules' violations ($2 asOf, $3 the return words). */
const PURCHASE_FACTS = `WITH tx AS (
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
       FROM tx`;
