import type { EntityManager } from 'typeorm';
import type { ContractCheck } from '../../../entities/contract-check';
import { AuditAction } from '../../../entities/enums';
import { ALLOWED_ACTIONS, TARGET_TYPES } from '../../../generators/dashboard/audit-logs';
import {
  AGENT_KINDS,
  AGENT_MODELS,
  meanConversationTokens,
  POLICIES,
  REPORTS,
  TOKEN_NOISE,
  tokenShapeOf,
} from '../../../generators/dashboard/catalog';
import { DECLINE_DAYS, DECLINE_FLOOR } from '../../../generators/dashboard/metrics';
import { priceUnder } from '../../pricing/prices';
import { ContractChecks, isExactSplit } from '../contract-checks';
import type { DashboardRequest } from './dashboard-request';

/** `(VALUES ('a', 'b'), …)` of SQL literals (constants of this module only, never user input). */
const values = (rows: (string | number)[][]) =>
  `(VALUES ${rows.map((r) => `(${r.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(', ')})`).join(', ')})`;

/** Admins / operators / viewers 20/40/40, exact, and at least one admin (the README's rule). */
export const roleSplitHolds = (roles: readonly number[]): boolean =>
  roles[0] >= 1 && isExactSplit(roles, [20, 40, 40]);

/**
 * The consistency checks of a dashboard dataset, computed with SQL from the rows as stored —
 * inside the run's transaction, after they are written and before it commits — against the
 * request and the rules stated in the generators (status split, role permissions, lifecycle,
 * decline, the token shape of the run's pricing) and the one pricing module: counts and splits, every agent's starts and
 * stops alternating with its traffic only while it runs, inactive agents stopped for good,
 * error agents declining, each day's resolved conversations matching its success rate, plausible
 * tokens, costs equal to tokens × price, audit events allowed and pointing at real things.
 */
export async function checkDashboard(
  manager: EntityManager,
  runId: string,
  request: DashboardRequest,
): Promise<ContractCheck[]> {
  const checks = new ContractChecks();
  const check = checks.check.bind(checks);
  const none = checks.none.bind(checks);
  const asOf = request.asOf.toISOString();
  const start = new Date(request.asOf.getTime() - request.days * 86_400_000).toISOString();
  // $1 run, $2 asOf, $3 window start: each statement gets the ones it uses.
  const q = async (sql: string) => {
    const used = Math.max(1, ...[...sql.matchAll(/\$(\d)/g)].map((m) => Number(m[1])));
    return (await manager.query(sql, [runId, asOf, start].slice(0, used)))[0] as Record<string, number>;
  };

  const counts = await q(
    `SELECT (SELECT count(*) FROM members WHERE run_id = $1)::int AS members,
            (SELECT count(*) FROM agents WHERE run_id = $1)::int AS agents,
            (SELECT count(*) FROM conversations WHERE run_id = $1)::int AS conversations,
            (SELECT count(*) FROM daily_metrics WHERE run_id = $1)::int AS metrics,
            (SELECT count(DISTINCT (agent_id, date)) FROM daily_metrics WHERE run_id = $1)::int AS agent_days,
            (SELECT count(*) FROM cost_records WHERE run_id = $1)::int AS costs,
            (SELECT count(*) FROM audit_logs WHERE run_id = $1)::int AS audit_logs,
            (SELECT string_agg(n::text, '/' ORDER BY o) FROM (SELECT o, (SELECT count(*) FROM members WHERE run_id = $1 AND role = r) AS n
               FROM ${values([
                 ['ADMIN', 1],
                 ['OPERATOR', 2],
                 ['VIEWER', 3],
               ])} AS v(r, o)) x) AS roles,
            (SELECT string_agg(n::text, '/' ORDER BY o) FROM (SELECT o, (SELECT count(*) FROM agents WHERE run_id = $1 AND status = s) AS n
               FROM ${values([
                 ['ACTIVE', 1],
                 ['INACTIVE', 2],
                 ['ERROR', 3],
               ])} AS v(s, o)) x) AS statuses,
            (SELECT count(*) - count(DISTINCT lower(email)) FROM members WHERE run_id = $1)::int AS duplicate_emails,
            (SELECT count(*) - count(DISTINCT name) FROM agents WHERE run_id = $1)::int AS duplicate_names,
            (SELECT count(*) FROM agents a LEFT JOIN members m ON m.run_id = a.run_id AND m.id = a.created_by_id
              WHERE a.run_id = $1 AND (m.role IS NULL OR m.role NOT IN ('ADMIN', 'OPERATOR')))::int AS bad_creators,
            (SELECT count(*) FROM agents WHERE run_id = $1
              AND (created_at >= $2::timestamptz OR created_at < $2::timestamptz - interval '365 days'))::int AS bad_created_at,
            (SELECT count(*) FROM daily_metrics m JOIN agents a ON a.run_id = m.run_id AND a.id = m.agent_id
              WHERE m.run_id = $1 AND m.conversations > 0
                AND (m.date + 1)::timestamp AT TIME ZONE 'UTC' <= a.created_at)::int AS traffic_before_creation`,
  );
  const agentDays = request.agents * request.days;
  check('members.count', request.members, counts.members);
  check('agents.count', request.agents, counts.agents);
  check('conversations.count', request.conversations, counts.conversations);
  check(
    'dailyMetrics.onePerAgentPerDay',
    `${agentDays}/${agentDays}`,
    `${counts.metrics}/${counts.agent_days}`,
  );
  check('costRecords.count', agentDays, counts.costs);
  check('auditLogs.count', request.auditLogs, counts.audit_logs);
  // The README's splits, each exact (within 1 of its share).
  check(
    'members.roleSplit',
    `20/40/40 of ${request.members}, exact, ≥ 1 admin`,
    counts.roles,
    roleSplitHolds(String(counts.roles).split('/').map(Number)),
  );
  const statuses = String(counts.statuses).split('/').map(Number);
  check(
    'agents.statusSplit',
    `70/20/10 of ${request.agents}, exact`,
    counts.statuses,
    isExactSplit(statuses, [70, 20, 10]),
  );
  none('members.emailsUnique', counts.duplicate_emails);
  none('agents.namesUnique', counts.duplicate_names);
  none('agents.createdByAdminOrOperator', counts.bad_creators);
  none('agents.createdInPastYear', counts.bad_created_at);
  none('agents.noTrafficBeforeCreation', counts.traffic_before_creation);

  // Rule 6: lifecycles. Stopped intervals run from a stop to the agent's next start (or asOf).
  const lifecycle = await q(
    `WITH ev AS (
       SELECT target_id::uuid AS agent_id, action, occurred_at,
              lag(action) OVER w AS previous, lead(occurred_at) OVER w AS next_at,
              row_number() OVER (PARTITION BY target_id ORDER BY occurred_at DESC) AS from_end
         FROM audit_logs WHERE run_id = $1 AND action IN ('${AuditAction.AGENT_STARTED}', '${AuditAction.AGENT_STOPPED}')
       WINDOW w AS (PARTITION BY target_id ORDER BY occurred_at)),
     stops AS (SELECT agent_id, occurred_at AS from_at, coalesce(next_at, $2::timestamptz) AS to_at
                 FROM ev WHERE action = '${AuditAction.AGENT_STOPPED}'),
     last_event AS (SELECT agent_id, action FROM ev WHERE from_end = 1)
     SELECT (SELECT count(*) FROM ev WHERE (previous IS NULL AND action <> '${AuditAction.AGENT_STOPPED}')
               OR previous = action)::int AS out_of_order,
            (SELECT count(*) FROM conversations c JOIN stops s ON s.agent_id = c.agent_id
              AND c.started_at < s.to_at AND c.ended_at > s.from_at WHERE c.run_id = $1)::int AS conversations_while_stopped,
            (SELECT count(*) FROM daily_metrics m JOIN stops s ON s.agent_id = m.agent_id
              AND m.date::timestamp AT TIME ZONE 'UTC' >= s.from_at AND (m.date + 1)::timestamp AT TIME ZONE 'UTC' <= s.to_at
              WHERE m.run_id = $1 AND m.conversations > 0)::int AS traffic_on_stopped_days,
            (SELECT count(*) FROM agents a JOIN last_event l ON l.agent_id = a.id
              WHERE a.run_id = $1 AND a.status = 'INACTIVE' AND l.action = '${AuditAction.AGENT_STOPPED}')::int AS inactive_stopped,
            (SELECT count(*) FROM agents WHERE run_id = $1 AND status = 'INACTIVE')::int AS inactive,
            (SELECT count(*) FROM agents a JOIN last_event l ON l.agent_id = a.id
              WHERE a.run_id = $1 AND a.status <> 'INACTIVE' AND l.action = '${AuditAction.AGENT_STOPPED}')::int AS running_left_stopped,
            (SELECT count(*) FROM agents a
               LEFT JOIN LATERAL (SELECT max(date) AS last_day FROM daily_metrics m
                                   WHERE m.run_id = a.run_id AND m.agent_id = a.id AND m.conversations > 0) t ON true
              WHERE a.run_id = $1 AND ((a.last_active_at IS NULL) <> (t.last_day IS NULL)
                OR a.last_active_at < t.last_day::timestamp AT TIME ZONE 'UTC'
                OR a.last_active_at >= (t.last_day + 1)::timestamp AT TIME ZONE 'UTC' + interval '1 hour'
                OR a.last_active_at > $2::timestamptz
                OR a.last_active_at < (SELECT max(ended_at) FROM conversations c WHERE c.run_id = a.run_id AND c.agent_id = a.id)))::int
              AS wrong_last_active,
            (SELECT count(*) FROM conversations c JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id
              WHERE c.run_id = $1 AND (c.started_at < a.created_at OR c.started_at < $3::timestamptz
                OR c.ended_at > $2::timestamptz OR c.ended_at < c.started_at))::int AS outside_life`,
  );
  none('agents.startsAndStopsAlternate', lifecycle.out_of_order);
  none(
    'agents.noTrafficWhileStopped',
    lifecycle.conversations_while_stopped + lifecycle.traffic_on_stopped_days,
  );
  // A non-empty audit log tells the fleet's whole story; an empty one none of it.
  const logged = request.auditLogs > 0;
  check('agents.inactiveStoppedForGood', logged ? lifecycle.inactive : 0, lifecycle.inactive_stopped);
  none('agents.runningOnesEndRunning', lifecycle.running_left_stopped);
  none('agents.lastActiveAtOnLastDayWithTraffic', lifecycle.wrong_last_active);
  none('conversations.insideAgentLifeAndWindow', lifecycle.outside_life);

  // Error agents decline over their last days: success falls every day, to the floor.
  const declineDays = Math.min(DECLINE_DAYS, request.days);
  const decline = await q(
    `WITH d AS (
       SELECT m.agent_id, m.date, m.success_rate, lag(m.success_rate) OVER (PARTITION BY m.agent_id ORDER BY m.date) AS before
         FROM daily_metrics m JOIN agents a ON a.run_id = m.run_id AND a.id = m.agent_id
        WHERE m.run_id = $1 AND a.status = 'ERROR' AND m.date >= ($2::timestamptz AT TIME ZONE 'UTC')::date - ${declineDays})
     SELECT count(*) FILTER (WHERE before IS NOT NULL AND NOT (success_rate < before))::int AS not_falling,
            count(*) FILTER (WHERE date = ($2::timestamptz AT TIME ZONE 'UTC')::date - 1 AND success_rate <> ${DECLINE_FLOOR})::int AS not_at_floor
       FROM d`,
  );
  none('agents.errorOnesDeclineOverTheLastWeek', decline.not_falling + decline.not_at_floor);

  // Daily metrics in their ranges; days without traffic have no rates. Tokens as the run's token
  // shape makes them, by agent kind (the name before its number) and model: a conversation's within
  // its noise of the shape at its message count, a day's per conversation within the day's noise
  // of the shape's mean over the kind's message counts (each ± rounding).
  const shape = tokenShapeOf(request.pricing);
  const perConversation = values(
    AGENT_KINDS.flatMap((kind) =>
      AGENT_MODELS.flatMap((model) => {
        const rows: (string | number)[][] = [];
        for (let n = kind.messages[0]; n <= kind.messages[1]; n++) {
          const t = shape.conversation(kind, model, n);
          rows.push([kind.name, model.model, n, t.input, t.output]);
        }
        return rows;
      }),
    ),
  );
  const perDay = values(
    AGENT_KINDS.flatMap((kind) =>
      AGENT_MODELS.map((model) => {
        const t = meanConversationTokens(shape, kind, model);
        return [kind.name, model.model, t.input, t.output];
      }),
    ),
  );
  const kindOf = (agent: string) => `regexp_replace(${agent}.name, ' [0-9]+$', '')`;
  const ranges = await q(
    `SELECT count(*) FILTER (WHERE conversations NOT BETWEEN 0 AND 100
              OR (conversations > 0 AND (success_rate NOT BETWEEN 0.85 AND 0.99 OR avg_response_time_ms NOT BETWEEN 800 AND 3000))
              OR (conversations = 0) <> (success_rate IS NULL))::int AS out_of_range,
            count(*) FILTER (WHERE b.model IS NULL
              OR total_tokens_input NOT BETWEEN conversations * b.input * ${1 - TOKEN_NOISE.day} - 0.5
                                            AND conversations * b.input * ${1 + TOKEN_NOISE.day} + 0.5
              OR total_tokens_output NOT BETWEEN conversations * b.output * ${1 - TOKEN_NOISE.day} - 0.5
                                             AND conversations * b.output * ${1 + TOKEN_NOISE.day} + 0.5)::int AS bad_tokens
       FROM daily_metrics m JOIN agents a ON a.run_id = m.run_id AND a.id = m.agent_id
       LEFT JOIN ${perDay} AS b(kind, model, input, output) ON b.kind = ${kindOf('a')} AND b.model = a.model
      WHERE m.run_id = $1`,
  );
  none('dailyMetrics.inRanges', ranges.out_of_range);

  // Rule 7: resolved conversations within one of the sum of their days' success rates, for each
  // agent-day and for each agent over the window.
  // Rule 8: tokens as the token shape makes them.
  const talk = await q(
    `WITH c AS (SELECT c.agent_id, m.date, c.resolved, m.success_rate AS s
                 FROM conversations c LEFT JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id
                  AND m.date = (c.started_at AT TIME ZONE 'UTC')::date WHERE c.run_id = $1)
     SELECT ((SELECT count(*) FROM (SELECT count(*) FILTER (WHERE resolved) AS resolved, sum(s) AS expected,
               count(*) - count(s) AS unmatched FROM c GROUP BY agent_id, date) x
              WHERE unmatched > 0 OR abs(resolved - expected) >= 1)
          + (SELECT count(*) FROM (SELECT count(*) FILTER (WHERE resolved) AS resolved, sum(s) AS expected FROM c GROUP BY agent_id) y
              WHERE abs(resolved - expected) >= 1))::int AS off_success,
            (SELECT count(*) FROM conversations c JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id
               LEFT JOIN ${perConversation} AS b(kind, model, messages, input, output)
                 ON b.kind = ${kindOf('a')} AND b.model = a.model AND b.messages = c.message_count
              WHERE c.run_id = $1 AND (b.model IS NULL
                OR c.input_tokens NOT BETWEEN b.input * ${1 - TOKEN_NOISE.conversation} - 0.5
                                          AND b.input * ${1 + TOKEN_NOISE.conversation} + 0.5
                OR c.output_tokens NOT BETWEEN b.output * ${1 - TOKEN_NOISE.conversation} - 0.5
                                           AND b.output * ${1 + TOKEN_NOISE.conversation} + 0.5))::int AS bad_tokens`,
  );
  none('conversations.resolvedMatchesSuccessRate', talk.off_success);

  // The stored conversations are a proportional sample of the metrics' traffic: every agent-day
  // holds conversations × stored / all conversations of them, rounded down or up.
  const sample = await q(
    `WITH stored AS (SELECT agent_id, (started_at AT TIME ZONE 'UTC')::date AS date, count(*) AS n
                       FROM conversations WHERE run_id = $1 GROUP BY 1, 2),
          m AS (SELECT agent_id, date, conversations FROM daily_metrics WHERE run_id = $1),
          t AS (SELECT (SELECT sum(conversations) FROM m)::float8 AS traffic,
                       (SELECT count(*) FROM conversations WHERE run_id = $1)::float8 AS sampled)
     SELECT count(*)::int AS off FROM m FULL JOIN stored s ON s.agent_id = m.agent_id AND s.date = m.date, t
      WHERE m.agent_id IS NULL OR abs(coalesce(s.n, 0)
        - CASE WHEN t.traffic > 0 THEN m.conversations * t.sampled / t.traffic ELSE 0 END) >= 1.000001`,
  );
  none('conversations.sampleProportionalPerAgentDay', sample.off);
  none('tokens.asTheShapeMakesThem', talk.bad_tokens + ranges.bad_tokens);
  if (shape.outputPerInput !== null) {
    // Rounding each count apart leaves output within 2 tokens of the ratio × input.
    const ratio = await q(
      `SELECT (SELECT count(*) FROM daily_metrics WHERE run_id = $1
                AND abs(total_tokens_output - ${shape.outputPerInput} * total_tokens_input) > 2)
            + (SELECT count(*) FROM conversations WHERE run_id = $1
                AND abs(output_tokens - ${shape.outputPerInput} * input_tokens) > 2) AS off`,
    );
    none('tokens.outputPerInputAsDocumented', ratio.off);
  }

  // Costs: the metrics' tokens, at the model's price per million under the run's pricing.
  const prices = AGENT_MODELS.map((m) => {
    const price = priceUnder(request.pricing, m.model)!;
    return [m.model, price.inputPerMillion.toString(), price.outputPerMillion.toString()];
  });
  const costs = await q(
    `SELECT count(*) FILTER (WHERE m.id IS NULL OR c.input_tokens <> m.total_tokens_input
              OR c.output_tokens <> m.total_tokens_output)::int AS tokens_off,
            count(*) FILTER (WHERE c.model <> a.model)::int AS model_off,
            count(*) FILTER (WHERE p.model IS NULL OR abs(c.total_cost
              - (c.input_tokens * p.input::numeric + c.output_tokens * p.output::numeric) / 1000000) > 0.000001)::int AS price_off
       FROM cost_records c
       JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id
       LEFT JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id AND m.date = c.date
       LEFT JOIN ${values(prices)} AS p(model, input, output) ON p.model = c.model
      WHERE c.run_id = $1`,
  );
  none('costRecords.tokensMatchMetrics', costs.tokens_off + costs.model_off);
  none('costRecords.costIsTokensTimesPrice', costs.price_off);

  // Audit events: allowed for the member's role, pointing at real things inside the window,
  // agents only while they exist (from their creation to their deletion).
  const allowed = Object.entries(ALLOWED_ACTIONS).flatMap(([role, actions]) => actions.map((a) => [role, a]));
  const audit = await q(
    `SELECT count(*) FILTER (WHERE ok.role IS NULL)::int AS forbidden,
            count(*) FILTER (WHERE l.occurred_at < $3::timestamptz OR l.occurred_at >= $2::timestamptz
              OR (l.target_type = '${TARGET_TYPES.agent}' AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.run_id = l.run_id AND a.id::text = l.target_id
                    AND a.created_at <= l.occurred_at AND (a.deleted_at IS NULL OR l.occurred_at <= a.deleted_at)))
              OR (l.target_type = '${TARGET_TYPES.member}' AND NOT EXISTS (SELECT 1 FROM members x WHERE x.run_id = l.run_id AND x.id::text = l.target_id))
              OR (l.target_type = '${TARGET_TYPES.policy}' AND l.target_id NOT IN (${POLICIES.map((p) => `'${p}'`).join(', ')}))
              OR (l.target_type = '${TARGET_TYPES.report}' AND l.target_id NOT IN (${REPORTS.map((p) => `'${p}'`).join(', ')}))
              OR l.target_type NOT IN (${Object.values(TARGET_TYPES)
                .map((t) => `'${t}'`)
                .join(', ')}))::int AS bad_targets
       FROM audit_logs l JOIN members m ON m.run_id = l.run_id AND m.id = l.member_id
       LEFT JOIN ${values(allowed)} AS ok(role, action) ON ok.role = m.role AND ok.action = l.action
      WHERE l.run_id = $1`,
  );
  none('auditLogs.allowedForRole', audit.forbidden);
  none('auditLogs.targetsExistInsideWindow', audit.bad_targets);

  // Members work in sessions: signing in and out alternate (signing in first), every other entry
  // falls while its member is signed in, and a sign-in or sign-out targets the member.
  const LOGIN = AuditAction.USER_LOGIN;
  const LOGOUT = AuditAction.USER_LOGOUT;
  const sessions = await q(
    `WITH e AS (
       SELECT member_id, action, target_type, target_id,
              sum(CASE action WHEN '${LOGIN}' THEN 1 WHEN '${LOGOUT}' THEN -1 ELSE 0 END) OVER (
                PARTITION BY member_id
                ORDER BY occurred_at, CASE action WHEN '${LOGIN}' THEN 0 WHEN '${LOGOUT}' THEN 2 ELSE 1 END, id
                ROWS UNBOUNDED PRECEDING) AS signed_in
         FROM audit_logs WHERE run_id = $1)
     SELECT count(*) FILTER (WHERE signed_in NOT IN (0, 1)
              OR (action NOT IN ('${LOGIN}', '${LOGOUT}') AND signed_in <> 1)
              OR (action IN ('${LOGIN}', '${LOGOUT}') AND (target_type <> '${TARGET_TYPES.member}' OR target_id <> member_id::text)))::int AS off
       FROM e`,
  );
  none('auditLogs.membersWorkInSessions', sessions.off);

  // agent.created entries are exactly the agents created during the window (by their creator, at
  // their createdAt); agent.deleted entries exactly the deleted agents (at their deletedAt), each
  // an inactive agent stopped for good before it.
  const story = await q(
    `WITH created AS (SELECT target_id, occurred_at, member_id FROM audit_logs WHERE run_id = $1 AND action = '${AuditAction.AGENT_CREATED}'),
          fresh AS (SELECT id::text, created_at, created_by_id FROM agents WHERE run_id = $1 AND created_at >= $3::timestamptz),
          deleted AS (SELECT target_id, occurred_at FROM audit_logs WHERE run_id = $1 AND action = '${AuditAction.AGENT_DELETED}'),
          gone AS (SELECT id::text, deleted_at FROM agents WHERE run_id = $1 AND deleted_at IS NOT NULL)
     SELECT (SELECT count(*) FROM ((SELECT * FROM created EXCEPT ALL SELECT * FROM fresh)
                                   UNION ALL (SELECT * FROM fresh EXCEPT ALL SELECT * FROM created)) x)::int AS created_off,
            (SELECT count(*) FROM ((SELECT * FROM deleted EXCEPT ALL SELECT * FROM gone)
                                   UNION ALL (SELECT * FROM gone EXCEPT ALL SELECT * FROM deleted)) y)::int AS deleted_off,
            (SELECT count(*) FROM agents a WHERE a.run_id = $1 AND a.deleted_at IS NOT NULL AND (a.status <> 'INACTIVE'
               OR NOT EXISTS (SELECT 1 FROM audit_logs s WHERE s.run_id = a.run_id AND s.target_id = a.id::text
                                AND s.action = '${AuditAction.AGENT_STOPPED}' AND s.occurred_at < a.deleted_at
                                AND NOT EXISTS (SELECT 1 FROM audit_logs r WHERE r.run_id = s.run_id AND r.target_id = s.target_id
                                                  AND r.action = '${AuditAction.AGENT_STARTED}' AND r.occurred_at > s.occurred_at))))::int
              AS deleted_running,
            (SELECT count(*) FROM agents a WHERE a.run_id = $1 AND a.status = 'ERROR' AND NOT EXISTS (
               SELECT 1 FROM audit_logs l WHERE l.run_id = a.run_id AND l.target_id = a.id::text
                  AND l.action IN ('${AuditAction.CONFIG_CHANGED}', '${AuditAction.AGENT_UPDATED}')
                  AND l.occurred_at >= $2::timestamptz - interval '${declineDays} days'))::int AS untroubled`,
  );
  none('auditLogs.createdEntriesAreTheAgentsCreatedInTheWindow', story.created_off);
  none('auditLogs.deletedEntriesAreTheDeletedAgents', story.deleted_off + story.deleted_running);
  if (logged) none('auditLogs.errorAgentsTroubleLogged', story.untroubled);
  return checks.list;
}
