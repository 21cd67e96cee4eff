import type { Database } from '../../src/db/data-source';

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

/** What a coherent dashboard run gives for every rule below: no rows breaking any of them. */
export const DASHBOARD_COHERENT = {
  lifecycleOutOfOrder: 0,
  trafficWhileStopped: 0,
  inactiveWithoutFinalStop: 0,
  errorAgentsNotDeclining: 0,
  agentDaysResolvedOffSuccess: 0,
  agentsResolvedOffSuccess: 0,
  conversationsWithImplausibleTokens: 0,
  resolvedShareGapPoints: true,
};

/**
 * The coherence rules of a dashboard run (issue #10, rules 6–8), restated in SQL over the stored
 * rows independently of the run's contract.
 */
export async function dashboardCoherence(
  db: Database,
  runId: string,
  pricing: 'DOCUMENT' | 'CURRENT' = 'DOCUMENT',
) {
  const one = async (text: string) => Number(Object.values((await db.dataSource.query(text, [runId]))[0])[0]);
  const events = `SELECT target_id::uuid AS agent_id, action, occurred_at,
                         lag(action) OVER (PARTITION BY target_id ORDER BY occurred_at) AS previous,
                         lead(occurred_at) OVER (PARTITION BY target_id ORDER BY occurred_at) AS next_at
                    FROM audit_logs WHERE run_id = $1 AND action IN ('agent.started', 'agent.stopped')`;
  const [share] = await db.dataSource.query(
    `SELECT avg(c.resolved::int)::float8 AS resolved,
            (sum(m.success_rate) / count(*))::float8 AS expected
       FROM conversations c JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id
        AND m.date = (c.started_at AT TIME ZONE 'UTC')::date WHERE c.run_id = $1`,
    [runId],
  );
  return {
    // 6. Starts and stops alternate, beginning with a stop (every agent runs when the window opens).
    lifecycleOutOfOrder: await one(
      `SELECT count(*) FROM (${events}) e WHERE previous = action OR (previous IS NULL AND action <> 'agent.stopped')`,
    ),
    // 6. No conversation while an agent was stopped (from a stop to its next start, or to asOf).
    trafficWhileStopped: await one(
      `SELECT count(*) FROM (${events}) e JOIN conversations c ON c.run_id = $1 AND c.agent_id = e.agent_id
         JOIN generation_runs g ON g.id = $1
        WHERE e.action = 'agent.stopped' AND c.ended_at > e.occurred_at AND c.started_at < coalesce(e.next_at, g.as_of)`,
    ),
    // 6. Inactive agents were stopped for good.
    inactiveWithoutFinalStop: await one(
      `SELECT count(*) FROM agents a WHERE a.run_id = $1 AND a.status = 'INACTIVE' AND coalesce((SELECT action FROM audit_logs l
          WHERE l.run_id = a.run_id AND l.target_id = a.id::text AND l.action IN ('agent.started', 'agent.stopped')
          ORDER BY occurred_at DESC LIMIT 1), '') <> 'agent.stopped'`,
    ),
    // 6. Error agents' success rate falls over their last week, and is below what it was before.
    errorAgentsNotDeclining: await one(
      `SELECT count(*) FROM agents a JOIN generation_runs g ON g.id = a.run_id WHERE a.run_id = $1 AND a.status = 'ERROR'
         AND (SELECT avg(success_rate) FROM daily_metrics m WHERE m.run_id = a.run_id AND m.agent_id = a.id
               AND m.date >= (g.as_of AT TIME ZONE 'UTC')::date - 7)
          >= (SELECT avg(success_rate) FROM daily_metrics m WHERE m.run_id = a.run_id AND m.agent_id = a.id
               AND m.date < (g.as_of AT TIME ZONE 'UTC')::date - 7)`,
    ),
    // 7. Each agent-day's and each agent's resolved conversations within one of their success rates.
    agentDaysResolvedOffSuccess: await one(
      `SELECT count(*) FROM (SELECT count(*) FILTER (WHERE c.resolved) AS resolved, count(*) AS n, min(m.success_rate) AS s
          FROM conversations c JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id
           AND m.date = (c.started_at AT TIME ZONE 'UTC')::date
         WHERE c.run_id = $1 GROUP BY c.agent_id, m.date) x WHERE abs(resolved - n * s) >= 1`,
    ),
    agentsResolvedOffSuccess: await one(
      `SELECT count(*) FROM (SELECT count(*) FILTER (WHERE c.resolved) AS resolved, sum(m.success_rate) AS expected
          FROM conversations c JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id
           AND m.date = (c.started_at AT TIME ZONE 'UTC')::date
         WHERE c.run_id = $1 GROUP BY c.agent_id) x WHERE abs(resolved - expected) >= 1`,
    ),
    // 8. Chat traffic (pricing CURRENT): 250–2,000 input and 20–200 output tokens per message.
    // The document's shape (DOCUMENT, the default): output 1.5× input, and a gpt-4o message about
    // 10/26 of a gpt-4o-mini one (~1,900 vs ~5,000 input tokens, ±10 %) so its days cost ~10× more.
    conversationsWithImplausibleTokens: await one(
      pricing === 'CURRENT'
        ? `SELECT count(*) FROM conversations WHERE run_id = $1 AND (input_tokens::float8 / message_count NOT BETWEEN 250 AND 2000
            OR output_tokens::float8 / message_count NOT BETWEEN 20 AND 200)`
        : `SELECT count(*) FROM conversations c JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id
            WHERE c.run_id = $1 AND (abs(c.output_tokens - 1.5 * c.input_tokens) > 2
              OR c.input_tokens::float8 / c.message_count NOT BETWEEN
                 CASE a.model WHEN 'gpt-4o' THEN 1700 ELSE 4500 END AND CASE a.model WHEN 'gpt-4o' THEN 2100 ELSE 6100 END)`,
    ),
    // 7. Overall, the resolved share is the traffic-weighted success rate (within 2 points).
    resolvedShareGapPoints: Math.abs(share.resolved - share.expected) * 100 <= 2,
  };
}
