import type { EntityManager } from 'typeorm';
import { Agent, AuditLog, Conversation, CostRecord, DailyMetric, Member } from '../../../entities';
import { DashboardPricing, RunKind } from '../../../entities/enums';
import { generateAgents, type AgentRow } from '../../../generators/dashboard/agents';
import { tokenShapeOf } from '../../../generators/dashboard/catalog';
import type { AuditLogRow } from '../../../generators/dashboard/audit-logs';
import type { ConversationRow } from '../../../generators/dashboard/conversations';
import type { CostRecordRow } from '../../../generators/dashboard/costs';
import type { MemberRow } from '../../../generators/dashboard/members';
import type { DailyMetricRow } from '../../../generators/dashboard/metrics';
import { generateAuditLogs } from '../../../generators/dashboard/audit-logs';
import { generateConversations, lastActivity } from '../../../generators/dashboard/conversations';
import { generateCostRecords, type Pricer } from '../../../generators/dashboard/costs';
import { generateMembers } from '../../../generators/dashboard/members';
import { planLifecycles } from '../../../generators/dashboard/lifecycle';
import { generateDailyMetrics } from '../../../generators/dashboard/metrics';
import { dashboardWindow } from '../../../generators/dashboard/window';
import { seededFaker } from '../../../generators/random';
import { costOf } from '../../pricing/prices';
import { EMBEDDED_STATEMENT_ROWS, insertEntities, yieldToEventLoop } from '../bulk-writer';
import { checkDashboard } from './dashboard-contract';
import type { DashboardRequest } from './dashboard-request';
import { storedFingerprint } from '../stored-fingerprint';
import { checkCancelled, type RunControl } from '../run-control';
import type { RunOutcome } from '../run-outcome';

/** Every row of a dashboard dataset, by table. */
export interface DashboardRows {
  members: MemberRow[];
  agents: AgentRow[];
  metrics: DailyMetricRow[];
  conversations: ConversationRow[];
  costs: CostRecordRow[];
  auditLogs: AuditLogRow[];
}

/** Costs as stored: USD with 6 decimals, from the service's pricing module under the run's pricing. */
export const dayPricer =
  (pricing: DashboardPricing): Pricer =>
  (model, inputTokens, outputTokens) =>
    costOf(model, inputTokens, outputTokens, pricing)?.toFixed(6) ?? null;

/**
 * Every row of a dashboard dataset, in dependency order: members → agents → daily metrics (the
 * traffic) → conversations (a sample of it) → agents' lastActiveAt (from the traffic) → cost records (the metrics'
 * tokens, priced under the run's pricing) → audit logs. Each phase has its own seeded faker.
 */
export function generateDashboardRows(request: DashboardRequest, runId: string): DashboardRows {
  const { seed } = request;
  const window = dashboardWindow(request.asOf, request.days);
  const members = generateMembers(seededFaker(seed, 'members'), runId, request.members);
  const profiles = generateAgents(
    seededFaker(seed, 'agents'),
    runId,
    request.agents,
    members,
    window,
    tokenShapeOf(request.pricing),
  );
  const lifecycles = planLifecycles(seededFaker(seed, 'lifecycles'), profiles, window, request.auditLogs);
  const metrics = generateDailyMetrics(seededFaker(seed, 'metrics'), profiles, window, lifecycles);
  const conversations = generateConversations(
    seededFaker(seed, 'conversations'),
    profiles,
    metrics,
    window,
    request.conversations,
    lifecycles,
  );
  const latest = lastActivity(
    seededFaker(seed, 'last-active'),
    profiles,
    metrics,
    window,
    lifecycles,
    conversations,
  );
  const agents = profiles.map((p, i) => ({
    ...p.row,
    createdAt: dateOr(lifecycles.createdAt[i], p.row.createdAt),
    lastActiveAt: latest.get(p.row.id) ?? null,
    deletedAt: dateOr(lifecycles.deletedAt[i], null),
  }));
  const costs = generateCostRecords(
    seededFaker(seed, 'costs'),
    profiles,
    metrics,
    dayPricer(request.pricing),
  );
  const auditLogs = generateAuditLogs(
    seededFaker(seed, 'audit-logs'),
    runId,
    members,
    profiles,
    window,
    request.auditLogs,
    lifecycles,
    metrics,
  );
  return { members, agents, metrics, conversations, costs, auditLogs };
}

const dateOr = <T>(ms: number | null, otherwise: T): Date | T => (ms === null ? otherwise : new Date(ms));

/** How a dashboard run writes: `large` runs commit as they go (see src/runs/run-cleanup.ts). */
export interface DashboardWrite {
  large: boolean;
  embedded: boolean;
}

/**
 * Writes a dashboard's rows and checks them where they are stored. `beforeContract` is a test seam:
 * it runs inside the run's transaction after the rows are written and before the contract checks them.
 */
export async function writeDashboard(
  manager: EntityManager,
  request: DashboardRequest,
  runId: string,
  control: RunControl,
  { large, embedded }: DashboardWrite,
  beforeContract?: (manager: EntityManager, runId: string) => Promise<void>,
): Promise<RunOutcome> {
  const rows = generateDashboardRows(request, runId);
  const total = Object.values(rows).reduce((n, list) => n + list.length, 0);
  const tables: [string, new () => object, object[]][] = [
    ['members', Member, rows.members],
    ['agents', Agent, rows.agents],
    ['metrics', DailyMetric, rows.metrics],
    ['conversations', Conversation, rows.conversations],
    ['costs', CostRecord, rows.costs],
    ['audit logs', AuditLog, rows.auditLogs],
  ];
  for (const [phase, entity, list] of tables) {
    await yieldToEventLoop();
    checkCancelled(control.signal);
    control.progress.phase(phase, total);
    await insertEntities(manager, entity, list, large && embedded ? EMBEDDED_STATEMENT_ROWS : undefined);
    control.progress.advance(list.length);
    // Fresh statistics once the parents are in (see DatabaseSink.users).
    if (large && entity === Agent) await manager.query(`ANALYZE members, agents`);
  }
  await beforeContract?.(manager, runId);
  control.progress.phase('contract');
  return {
    rowCounts: {
      members: rows.members.length,
      agents: rows.agents.length,
      dailyMetrics: rows.metrics.length,
      conversations: rows.conversations.length,
      costRecords: rows.costs.length,
      auditLogs: rows.auditLogs.length,
    },
    // Checked on the stored rows, inside the transaction: a failing check rolls them all back.
    contract: await checkDashboard(manager, runId, request),
    fingerprint: await storedFingerprint(manager, runId, RunKind.DASHBOARD),
  };
}
