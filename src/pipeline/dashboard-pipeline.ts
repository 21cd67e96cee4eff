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
import { generateAgents } from '../../generators/dashboard/agents';
import { generateAuditLogs } from '../../generators/dashboard/audit-logs';
import { generateConversations, lastActivity } from '../../generators/dashboard/conversations';
import { generateCostRecords, type Pricer } from '../../generators/dashboard/costs';
import { generateMembers } from '../../generators/dashboard/members';
import { generateDailyMetrics } from '../../generators/dashboard/metrics';
import { dashboardWindow } from '../../generators/dashboard/window';
import { seededFaker } from '../../generators/random';
import type { Database } from '../data-source';
import { costOf } from '../pricing/prices';
import { insertEntities } from './bulk-writer';
import { checkDashboard, type DashboardRows } from './dashboard-contract';
import type { DashboardRequest } from './dashboard-request';
import { Fingerprint } from './fingerprint';
import { generatorVersion } from './generator-version';
import { executeRun } from './run-executor';
import type { RunOutcome } from './run-record';

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
  const metrics = generateDailyMetrics(seededFaker(seed, 'metrics'), profiles, window);
  const conversations = generateConversations(
    seededFaker(seed, 'conversations'),
    profiles,
    metrics,
    window,
    request.conversations,
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
  );
  return { members, agents, metrics, conversations, costs, auditLogs };
}

async function writeDashboard(
  manager: EntityManager,
  request: DashboardRequest,
  runId: string,
): Promise<RunOutcome> {
  const rows = generateDashboardRows(request, runId);
  const contract = checkDashboard(request, rows, priceDay);
  const fingerprint = new Fingerprint();
  for (const [table, list] of Object.entries(rows)) fingerprint.add(table, list);
  // Checked before writing: a failing contract writes nothing at all.
  if (contract.every((c) => c.passed)) {
    await insertEntities(manager, Member, rows.members as Member[]);
    await insertEntities(manager, Agent, rows.agents as Agent[]);
    await insertEntities(manager, DailyMetric, rows.metrics as DailyMetric[]);
    await insertEntities(manager, Conversation, rows.conversations as Conversation[]);
    await insertEntities(manager, CostRecord, rows.costs as CostRecord[]);
    await insertEntities(manager, AuditLog, rows.auditLogs as AuditLog[]);
  }
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
    contract,
  };
}

/** Generates and stores an agent-monitoring dataset as one run (see executeRun for failures). */
export function runDashboard(db: Database, request: DashboardRequest): Promise<GenerationRun> {
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
    (manager, runId) => writeDashboard(manager, request, runId),
  );
}
