import { AuditAction } from '../../../../entities/enums';
import { ALLOWED_ACTIONS, TARGET_TYPES } from '../../../../generators/dashboard/audit-logs';
import { POLICIES, REPORTS } from '../../../../generators/dashboard/catalog';
import { declineDaysOf, values, type Contract } from './contract';

/** Audit events allowed for their member's role, in sessions, telling the agents' story. */
export async function checkAudit(contract: Contract): Promise<void> {
  const { request, checks, facts: q } = contract;
  const declineDays = declineDaysOf(request);
  const none = checks.none.bind(checks);
  const { logged } = contract;
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
}
