import type { Database } from '../../src/data-source';

/**
 * The coherence rules of a scenario run (issue #10), restated here in SQL over the stored rows,
 * independently of the run's own contract: each returns the rows (or a summary) that break it.
 */
export async function scenarioCoherence(db: Database, runId: string) {
  const one = async (text: string) => (await db.dataSource.query(text, [runId]))[0];
  const status = await one(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE t.status = 'DELIVERED')::int AS delivered,
            count(*) FILTER (WHERE t.status = 'RETURNED')::int AS returned,
            count(*) FILTER (WHERE t.status = 'PENDING')::int AS pending,
            count(*) FILTER (WHERE t.status = 'PENDING' AND (g.as_of - t.order_date > interval '10 days'
              OR t.expected_delivery_date < g.as_of - interval '7 days'))::int AS stale_pending
       FROM transactions t JOIN generation_runs g ON g.id = t.run_id WHERE t.run_id = $1`,
  );
  const fit = await one(
    `SELECT count(*) FILTER (WHERE t.status = 'RETURNED' AND (r.stars > 3
              OR NOT (r.title || ' ' || r.text) ~* '(return|refund|sent it back)'))::int AS returned_not_fitting,
            count(*) FILTER (WHERE t.status <> 'RETURNED' AND (r.title || ' ' || r.text) ~* '(return|refund|sent it back)')::int
              AS kept_with_return_words
       FROM reviews r JOIN transactions t ON t.run_id = r.run_id AND t.id = r.transaction_id
      WHERE r.run_id = $1 AND r.source <> 'RAPIDAPI'`,
  );
  const repeats = await one(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM reviews WHERE run_id = $1 GROUP BY user_id, product_id HAVING count(*) > 1) x)::int
              AS repeat_reviews,
            (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM transactions WHERE run_id = $1 GROUP BY user_id, product_id) x)::int
              AS most_purchases_of_one_product`,
  );
  const ratings = await db.dataSource.query(
    `SELECT p.role, p.star_rating::float8 AS rating, avg(r.stars)::float8 AS mean, count(*)::int AS n
       FROM products p JOIN reviews r ON r.run_id = p.run_id AND r.product_id = p.id
      WHERE p.run_id = $1 GROUP BY p.id, p.role, p.star_rating HAVING count(*) >= 20`,
    [runId],
  );
  const engagement = await one(
    `SELECT count(*) FILTER (WHERE engagement_level = 'HIGH' AND total_purchases = 0)::int AS high_without_purchases,
            count(DISTINCT engagement_level) FILTER (WHERE NOT is_main_user)::int AS mock_levels
       FROM users WHERE run_id = $1`,
  );
  return { status, fit, repeats, ratings, engagement };
}
