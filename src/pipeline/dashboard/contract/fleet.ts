import { AuditAction } from '../../../../entities/enums';
import { DECLINE_FLOOR } from '../../../../generators/dashboard/metrics';
import { isExactSplit } from '../../contract-checks';
import { declineDaysOf, roleSplitHolds, values, type Contract } from './contract';

/** Counts and the README's splits: members, agents, conversations, metrics, costs, audit entries. */
export async function checkCounts(contract: Contract): Promise<void> {
  const { request, checks, facts: q } = contract;
  const check = checks.check.bind(checks);
  const none = checks.none.bind(checks);
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
}

/** Rule 6, lifecycles: starts and stops alternate, no traffic while stopped, inactive agents stopped for good. */
export async function checkLifecycles(contract: Contract): Promise<void> {
  const { checks, facts: q } = contract;
  const check = checks.check.bind(checks);
  const none = checks.none.bind(checks);
  const { logged } = contract;
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
  check('agents.inactiveStoppedForGood', logged ? lifecycle.inactive : 0, lifecycle.inactive_stopped);
  none('agents.runningOnesEndRunning', lifecycle.running_left_stopped);
  none('agents.lastActiveAtOnLastDayWithTraffic', lifecycle.wrong_last_active);
  none('conversations.insideAgentLifeAndWindow', lifecycle.outside_life);
}

/** Error agents decline over their last days: success falls every day, to the floor. */
export async function checkDecline(contract: Contract): Promise<void> {
  const { request, checks, facts: q } = contract;
  const none = checks.none.bind(checks);
  // Error agents decline over their last days: success falls every day, to the floor.
  const declineDays = declineDaysOf(request);
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
}
