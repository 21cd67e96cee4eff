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
import { DashboardPricing, RunKind } from '../../entities/enums';
import { generateAgents, type AgentRow } from '../../generators/dashboard/agents';
import { tokenShapeOf } from '../../generators/dashboard/catalog';
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
import { EMBEDDED_STATEMENT_ROWS, insertEntities, yieldToEventLoop } from './bulk-writer';
import { checkDashboard } from './dashboard-contract';
import type { DashboardRequest } from './dashboard-request';
import { storedFingerprint } from './stored-fingerprint';
import { generatorVersion } from './generator-version';
import { checkCancelled, NO_CONTROL, type RunControl } from './run-control';
import { ONE_TRANSACTION_MAX_ROWS } from './run-cleanup';
import { COMMITTED_AS_IT_GOES, executeRun, ONE_TRANSACTION } from './run-executor';
import { createRun, type NewRun, type RunOutcome } from './run-record';

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

async function writeDashboard(
  manager: EntityManager,
  request: DashboardRequest,
  runId: string,
  control: RunControl,
  embedded: boolean,
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
  const large = !dashboardFitsOneTransaction(request);
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

/** The run record of a dashboard request. */
export function dashboardRun(request: DashboardRequest): Omit<NewRun, 'request'> {
  return {
    kind: RunKind.DASHBOARD,
    scenarioId: null,
    baseScenarioId: null,
    seed: request.seed,
    asOf: request.asOf,
    input: request.normalizedInput,
    generatorVersion: generatorVersion('dashboard'),
  };
}

/**
 * Runs one queued dashboard run (see executeRun for failures and cancellation). `beforeContract`
 * is a test seam: it runs inside the run's transaction after the rows are written and before the
 * contract checks them.
 */
export function executeDashboardRun(
  db: Database,
  runId: string,
  request: DashboardRequest,
  control: RunControl = NO_CONTROL,
  beforeContract?: (manager: EntityManager, runId: string) => Promise<void>,
): Promise<GenerationRun | null> {
  return executeRun(
    db,
    runId,
    (manager, id, ctl) => writeDashboard(manager, request, id, ctl, db.mode === 'embedded', beforeContract),
    undefined,
    control,
    dashboardFitsOneTransaction(request) ? ONE_TRANSACTION : COMMITTED_AS_IT_GOES,
  );
}

/** Whether a dashboard run is written in one transaction (see ONE_TRANSACTION_MAX_ROWS). */
export function dashboardFitsOneTransaction(request: DashboardRequest): boolean {
  const rows =
    request.members +
    request.agents +
    2 * request.agents * request.days +
    request.conversations +
    request.auditLogs;
  return rows <= ONE_TRANSACTION_MAX_ROWS;
}

/** Creates a dashboard run and runs it right here, without a queue (benchmarks, tests). */
export async function runDashboard(
  db: Database,
  request: DashboardRequest,
  beforeContract?: (manager: EntityManager, runId: string) => Promise<void>,
): Promise<GenerationRun> {
  const { id } = await createRun(db, dashboardRun(request));
  return (await executeDashboardRun(db, id, request, NO_CONTROL, beforeContract))!;
}
