import { RunScenarioId } from '../../../../entities/enums';
import { ORDER_RULES } from '../../../../generators/ecommerce/orders';
import { ENGAGEMENT_RULES, TENDENCY_RULES } from '../../../../generators/ecommerce/users';
import type { ContractChecks } from '../../contract-checks';
import type { ScenarioRequest } from '../scenario-request';
import { facts, type Contract } from './contract';

/** Shoppers: one main user, the documented number of mock ones, figures that match their rows. */
export async function checkUsers(contract: Contract): Promise<void> {
  const { request, checks } = contract;
  const check = checks.check.bind(checks);
  const none = checks.none.bind(checks);
  const users = await facts<Record<string, number>>(contract, USER_FACTS);
  check('users.main', 1, users.main);
  checkShoppers(checks, request, users);
  none('users.emailsUnique', users.duplicate_emails);
  none('users.totalsMatchTheirRows', users.wrong_totals);
  none('users.engagementByThresholds', users.wrong_level);
  none('users.noHighEngagementWithoutPurchases', users.high_without_purchase);
  none('users.tendencyByMeanStars', users.wrong_tendency);
}

const { HIGH, MEDIUM } = ENGAGEMENT_RULES;

/** Shoppers' figures recomputed from their rows, and how many disagree with the stored ones. */
const USER_FACTS = `WITH t AS (SELECT user_id, count(*) AS n FROM transactions WHERE run_id = $1 GROUP BY user_id),
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
       FROM l`;

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
