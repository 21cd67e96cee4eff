import type { EntityManager } from 'typeorm';
import {
  Agent,
  AuditLog,
  Conversation,
  CostRecord,
  DailyMetric,
  GenerationRun,
  Member,
} from '../../entities';
import { RunKind } from '../../entities/enums';
import { generateAgents, type AgentRow } from '../../generators/dashboard/agents';
import type { AuditLogRow } from '../../generators/dashboard/audit-logs';
import type { ConversationRow } from '../../generators/dashboard/conversations';
import type { CostRecordRow } from '../../generators/dashboard/costs';
import type { MemberRow } from '../../generators/dashboard/members';
import type { DailyMetricRow } from '../../generators/dashboard/metrics';
import { generateAuditLogs } from '../../generators/dashboard/audit-logs';
import { generateConversations, lastActivity } from '../../generators/dashboard/conversations';
import { generateCostRecords, type Pricer } from '../../generators/dashboard/costs';
import { generateMembers } from '../../generators/dashboard/members';
import { planLifecycles } from '../../generators/dashboard/lifecycle';
import { generateDailyMetrics } from '../../generators/dashboard/metrics';
import { dashboardWindow } from '../../generators/dashboard/window';
import { seededFaker } from '../../generators/random';
import type { Database } from '../data-source';
import { costOf } from '../pricing/prices';
import { insertEntities } from './bulk-writer';
import { checkDashboard } from './dashboard-contract';
import type { DashboardRequest } from './dashboard-request';
import { Fingerprint } from './fingerprint';
import { generatorVersion } from './generator-version';
import { executeRun } from './run-executor';
import type { RunOutcome } from './run-record';

/** Every row of a dashboard dataset, by table. */
export interface DashboardRows {
  members: MemberRow[];
  agents: AgentRow[];
  metrics: DailyMetricRow[];
  conversations: ConversationRow[];
  costs: CostRecordRow[];
  auditLogs: AuditLogRow[];
}

/** Costs as stored: USD with 6 decimals, from the service's pricing module. */
export const priceDay: Pricer = (model, inputTokens, outputTokens) =>
  costOf(model, inputTokens, outputTokens)?.toFixed(6) ?? null;

/**
 * Every row of a dashboard dataset, in dependency order: members → agents → daily metrics (the
 * traffic) → conversations (a sample of it) → agents' lastActiveAt → cost records (the metrics'
 * tokens, priced) → audit logs. Each phase has its own seeded faker.
 */
export function generateDashboardRows(request: DashboardRequest, runId: string): DashboardRows {
  const { seed } = request;
  const window = dashboardWindow(request.asOf, request.days);
  const members = generateMembers(seededFaker(seed, 'members'), runId, request.members);
  const profiles = generateAgents(seededFaker(seed, 'agents'), runId, request.agents, members, window);
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
  const latest = lastActivity(conversations);
  const agents = profiles.map((p) => ({ ...p.row, lastActiveAt: latest.get(p.row.id) ?? null }));
  const costs = generateCostRecords(seededFaker(seed, 'costs'), profiles, metrics, priceDay);
  const auditLogs = generateAuditLogs(
    seededFaker(seed, 'audit-logs'),
    runId,
    members,
    profiles,
    window,
    request.auditLogs,
    lifecycles,
  );
  return { members, agents, metrics, conversations, costs, auditLogs };
}

async function writeDashboard(
  manager: EntityManager,
  request: DashboardRequest,
  runId: string,
  beforeContract?: (manager: EntityManager, runId: string) => Promise<void>,
): Promise<RunOutcome> {
  const rows = generateDashboardRows(request, runId);
  const fingerprint = new Fingerprint();
  for (const [table, list] of Object.entries(rows)) fingerprint.add(table, list as object[]);
  await insertEntities(manager, Member, rows.members as Member[]);
  await insertEntities(manager, Agent, rows.agents as Agent[]);
  await insertEntities(manager, DailyMetric, rows.metrics as DailyMetric[]);
  await insertEntities(manager, Conversation, rows.conversations as Conversation[]);
  await insertEntities(manager, CostRecord, rows.costs as CostRecord[]);
  await insertEntities(manager, AuditLog, rows.auditLogs as AuditLog[]);
  await beforeContract?.(manager, runId);
  return {
    rowCounts: {
      members: rows.members.length,
      agents: rows.agents.length,
      dailyMetrics: rows.metrics.length,
      conversations: rows.conversations.length,
      costRecords: rows.costs.length,
      auditLogs: rows.auditLogs.length,
    },
    fingerprint: fingerprint.digest(),
    // Checked on the stored rows, inside the transaction: a failing check rolls them all back.
    contract: await checkDashboard(manager, runId, request),
  };
}

/**
 * Generates and stores an agent-monitoring dataset as one run (see executeRun for failures).
 * `beforeContract` is a test seam: it runs inside the run's transaction after the rows are written
 * and before the contract checks them.
 */
export function runDashboard(
  db: Database,
  request: DashboardRequest,
  beforeContract?: (manager: EntityManager, runId: string) => Promise<void>,
): Promise<GenerationRun> {
  return executeRun(
    db,
    {
      kind: RunKind.DASHBOARD,
      scenarioId: null,
      baseScenarioId: null,
      seed: request.seed,
      asOf: request.asOf,
      input: request.normalizedInput,
      generatorVersion: generatorVersion('dashboard'),
    },
    (manager, runId) => writeDashboard(manager, request, runId, beforeContract),
  );
}
