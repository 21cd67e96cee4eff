import type { ContractCheck } from '../../entities/contract-check';
import { ContractChecks } from './contract-checks';
import { AgentStatus, AuditAction, MemberRole } from '../../entities/enums';
import { allocate } from '../../generators/allocate';
import type { AgentRow } from '../../generators/dashboard/agents';
import { ALLOWED_ACTIONS, TARGET_TYPES, type AuditLogRow } from '../../generators/dashboard/audit-logs';
import { POLICIES, REPORTS } from '../../generators/dashboard/catalog';
import type { ConversationRow } from '../../generators/dashboard/conversations';
import type { CostRecordRow, Pricer } from '../../generators/dashboard/costs';
import { roleCounts, type MemberRow } from '../../generators/dashboard/members';
import type { DailyMetricRow } from '../../generators/dashboard/metrics';
import { dashboardWindow } from '../../generators/dashboard/window';
import type { DashboardRequest } from './dashboard-request';

export interface DashboardRows {
  members: MemberRow[];
  agents: AgentRow[];
  metrics: DailyMetricRow[];
  conversations: ConversationRow[];
  costs: CostRecordRow[];
  auditLogs: AuditLogRow[];
}

/**
 * The consistency checks of a dashboard dataset, computed from the rows before they are written:
 * counts, role and status splits, every conversation inside its agent's life, every cost equal to
 * its tokens × price, every audit target existing and allowed for the member's role, lastActiveAt
 * matching the latest conversation, metrics in their ranges.
 */
export function checkDashboard(
  request: DashboardRequest,
  rows: DashboardRows,
  price: Pricer,
): ContractCheck[] {
  const checks = new ContractChecks();
  const check = checks.check.bind(checks);
  const none = checks.none.bind(checks);
  const window = dashboardWindow(request.asOf, request.days);
  const agentDays = request.agents * request.days;

  check('members.count', request.members, rows.members.length);
  check('agents.count', request.agents, rows.agents.length);
  check('conversations.count', request.conversations, rows.conversations.length);
  check('dailyMetrics.count', agentDays, rows.metrics.length);
  check('costRecords.count', agentDays, rows.costs.length);
  check('auditLogs.count', request.auditLogs, rows.auditLogs.length);

  const split = (values: string[], order: string[]) =>
    order.map((v) => values.filter((x) => x === v).length).join('/');
  check(
    'members.roleSplit',
    roleCounts(request.members).join('/'),
    split(
      rows.members.map((m) => m.role),
      [MemberRole.ADMIN, MemberRole.OPERATOR, MemberRole.VIEWER],
    ),
  );
  check(
    'agents.statusSplit',
    allocate(request.agents, [70, 20, 10]).join('/'),
    split(
      rows.agents.map((a) => a.status),
      [AgentStatus.ACTIVE, AgentStatus.INACTIVE, AgentStatus.ERROR],
    ),
  );
  const emails = rows.members.map((m) => m.email);
  check('members.emailsUnique', emails.length, new Set(emails).size);
  const names = rows.agents.map((a) => a.name);
  check('agents.namesUnique', names.length, new Set(names).size);

  const members = new Map(rows.members.map((m) => [m.id, m]));
  const agents = new Map(rows.agents.map((a) => [a.id, a]));
  none(
    'agents.createdByAdminOrOperator',
    rows.agents.filter((a) => {
      const role = members.get(a.createdById)?.role;
      return role !== MemberRole.ADMIN && role !== MemberRole.OPERATOR;
    }).length,
  );
  none(
    'agents.createdInPastYearBeforeWindow',
    rows.agents.filter(
      (a) => a.createdAt.getTime() >= window.start || a.createdAt.getTime() < window.asOf - 365 * 86_400_000,
    ).length,
  );

  const latest = new Map<string, number>();
  let outside = 0;
  for (const c of rows.conversations) {
    const agent = agents.get(c.agentId);
    const start = c.startedAt.getTime();
    const end = c.endedAt.getTime();
    if (
      !agent ||
      start < agent.createdAt.getTime() ||
      start < window.start ||
      end > window.asOf ||
      end < start
    )
      outside++;
    latest.set(c.agentId, Math.max(latest.get(c.agentId) ?? 0, end));
  }
  none('conversations.insideAgentLifeAndWindow', outside);
  none(
    'agents.lastActiveAtIsLatestConversation',
    rows.agents.filter((a) => (a.lastActiveAt?.getTime() ?? null) !== (latest.get(a.id) ?? null)).length,
  );

  const metricKeys = new Set(rows.metrics.map((m) => `${m.agentId}|${m.date}`));
  check('dailyMetrics.onePerAgentPerDay', agentDays, metricKeys.size);
  none(
    'dailyMetrics.inRanges',
    rows.metrics.filter(
      (m) =>
        m.conversations < 10 ||
        m.conversations > 100 ||
        m.avgResponseTimeMs < 800 ||
        m.avgResponseTimeMs > 3000 ||
        m.successRate < 0.85 ||
        m.successRate > 0.99 ||
        !agents.has(m.agentId),
    ).length,
  );
  none(
    'costRecords.costIsTokensTimesPrice',
    rows.costs.filter(
      (c) =>
        price(c.model, c.inputTokens, c.outputTokens) !== c.totalCost ||
        agents.get(c.agentId)?.model !== c.model,
    ).length,
  );
  const metricTokens = new Map(
    rows.metrics.map((m) => [`${m.agentId}|${m.date}`, `${m.totalTokensInput}/${m.totalTokensOutput}`]),
  );
  none(
    'costRecords.tokensMatchMetrics',
    rows.costs.filter(
      (c) => metricTokens.get(`${c.agentId}|${c.date}`) !== `${c.inputTokens}/${c.outputTokens}`,
    ).length,
  );

  const drafts = new Map<string, number>();
  let badTargets = 0;
  let forbidden = 0;
  for (const log of [...rows.auditLogs].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())) {
    const member = members.get(log.memberId);
    if (!member || !ALLOWED_ACTIONS[member.role].includes(log.action)) forbidden++;
    const t = log.occurredAt.getTime();
    if (t < window.start || t >= window.asOf) badTargets++;
    switch (log.targetType) {
      case TARGET_TYPES.agent:
        if (!agents.has(log.targetId ?? '')) badTargets++;
        if (
          log.action === AuditAction.AGENT_STARTED &&
          agents.get(log.targetId ?? '')?.status !== AgentStatus.ACTIVE
        )
          badTargets++;
        if (
          log.action === AuditAction.AGENT_STOPPED &&
          agents.get(log.targetId ?? '')?.status === AgentStatus.ACTIVE
        )
          badTargets++;
        break;
      case TARGET_TYPES.draft:
        // A draft is created once, then deleted at most once, after its creation.
        if (log.action === AuditAction.AGENT_CREATED) {
          if (drafts.has(log.targetId ?? '')) badTargets++;
          drafts.set(log.targetId ?? '', 1);
        } else if (log.action === AuditAction.AGENT_DELETED) {
          if (drafts.get(log.targetId ?? '') !== 1) badTargets++;
          drafts.set(log.targetId ?? '', 2);
        } else badTargets++;
        break;
      case TARGET_TYPES.member:
        if (!members.has(log.targetId ?? '')) badTargets++;
        break;
      case TARGET_TYPES.policy:
        if (!POLICIES.includes(log.targetId ?? '')) badTargets++;
        break;
      case TARGET_TYPES.report:
        if (!REPORTS.includes(log.targetId ?? '')) badTargets++;
        break;
      default:
        badTargets++;
    }
  }
  none('auditLogs.allowedForRole', forbidden);
  none('auditLogs.targetsExistInsideWindow', badTargets);
  return checks.list;
}
