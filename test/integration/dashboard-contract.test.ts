import type { EntityManager } from 'typeorm';
import type { GenerationRun } from '../../entities';
import { checkDashboard } from '../../src/pipeline/dashboard/dashboard-contract';
import { runDashboard } from '../../src/runs/dashboard-run';
import { resolveDashboardRequest } from '../../src/pipeline/dashboard/dashboard-request';
import type { GenerateDashboardInput } from '../../resolvers/types/generate-dashboard.input';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The dashboard contract is computed from the stored rows. Every check is shown to fail: each
 * case edits an untouched run's rows inside a transaction, runs the contract on them and rolls
 * back; the listing test holds every check name the contract has against the cases (the
 * listing: check name → the edit that fails it). A run whose rows are edited before its contract
 * runs (beforeContract) fails and keeps no row.
 */
let app: TestApp;
let untouched: GenerationRun;

beforeAll(async () => {
  app = await startTestApp();
  untouched = await runDashboard(app.db, dashboardRequest());
});
afterAll(() => app?.close());

function dashboardRequest(pricing?: string) {
  return resolveDashboardRequest(
    {
      pricing,
      seed: 12345,
      asOf: new Date('2026-11-01T00:00:00Z'),
      days: 14,
      agents: 10,
      conversations: 300,
      auditLogs: 120,
    } as GenerateDashboardInput,
    new Date(),
  );
}

function runWith(tamper: (m: EntityManager, runId: string) => Promise<unknown>, pricing?: string) {
  return runDashboard(app.db, dashboardRequest(pricing), async (m, runId) => void (await tamper(m, runId)));
}

/** The checks that fail on the untouched run's rows once `tamper` edited them (then rolled back). */
async function failedAfter(tamper: Tamper): Promise<string[]> {
  const runner = app.db.dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await tamper(runner.manager, untouched.id);
    const contract = await checkDashboard(runner.manager, untouched.id, dashboardRequest());
    return contract.filter((c) => !c.passed).map((c) => c.name);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

type Tamper = (m: EntityManager, runId: string) => Promise<unknown>;
const sql =
  (text: string): Tamper =>
  (m, runId) =>
    m.query(text, [runId]);

/** Several statements in order (a parameterised query holds one). */
const sqls =
  (...texts: string[]): Tamper =>
  async (m, runId) => {
    for (const text of texts) await m.query(text, text.includes('$1') ? [runId] : []);
  };

/** A copy of one of the run's rows of `table` under a new id (`set` changes more of it). */
const copyRow = (table: string, set = '') =>
  sqls(
    `CREATE TEMP TABLE copied ON COMMIT DROP AS SELECT * FROM ${table} WHERE run_id = $1 LIMIT 1`,
    `UPDATE copied SET id = gen_random_uuid()${set}`,
    `INSERT INTO ${table} SELECT * FROM copied`,
    `DROP TABLE copied`,
  );

const cases: [string, string, Tamper][] = [
  [
    'a viewer made admin',
    'members.roleSplit',
    sql(`UPDATE members SET role = 'ADMIN' WHERE run_id = $1 AND id =
     (SELECT id FROM members WHERE run_id = $1 AND role = 'VIEWER' LIMIT 1)`),
  ],
  [
    'an agent switched to ERROR',
    'agents.statusSplit',
    sql(`UPDATE agents SET status = 'ERROR' WHERE run_id = $1 AND id =
     (SELECT id FROM agents WHERE run_id = $1 AND status = 'ACTIVE' LIMIT 1)`),
  ],
  [
    'a start without a stop before it',
    'agents.startsAndStopsAlternate',
    sql(`UPDATE audit_logs SET action = 'agent.started'
     WHERE run_id = $1 AND id = (SELECT id FROM audit_logs WHERE run_id = $1 AND action = 'agent.stopped' ORDER BY occurred_at LIMIT 1)`),
  ],
  [
    'traffic after an agent was stopped for good',
    'agents.noTrafficWhileStopped',
    sql(`UPDATE conversations SET started_at = '2026-10-31T12:00:00Z',
     ended_at = '2026-10-31T12:10:00Z' WHERE run_id = $1 AND id = (SELECT c.id FROM conversations c JOIN agents a ON a.run_id = c.run_id
     AND a.id = c.agent_id WHERE c.run_id = $1 AND a.status = 'INACTIVE' LIMIT 1)`),
  ],
  [
    'a day of traffic in the metrics of an agent stopped for good',
    'agents.noTrafficWhileStopped',
    sql(`UPDATE daily_metrics SET conversations = 5, success_rate = 0.9, avg_response_time_ms = 1200 WHERE run_id = $1 AND id =
     (SELECT m.id FROM daily_metrics m JOIN agents a ON a.run_id = m.run_id AND a.id = m.agent_id
       WHERE m.run_id = $1 AND a.status = 'INACTIVE' AND m.date = '2026-10-31' AND a.id IN
         (SELECT target_id::uuid FROM audit_logs WHERE run_id = $1 AND action = 'agent.stopped'
           GROUP BY target_id HAVING max(occurred_at) < '2026-10-30') ORDER BY m.id LIMIT 1)`),
  ],
  [
    'an inactive agent restarted',
    'agents.inactiveStoppedForGood',
    sql(`DELETE FROM audit_logs WHERE run_id = $1 AND id =
     (SELECT l.id FROM audit_logs l JOIN agents a ON a.run_id = l.run_id AND a.id::text = l.target_id
       WHERE l.run_id = $1 AND a.status = 'INACTIVE' AND l.action = 'agent.stopped' ORDER BY l.occurred_at DESC LIMIT 1)`),
  ],
  [
    'an error agent recovering',
    'agents.errorOnesDeclineOverTheLastWeek',
    sql(`UPDATE daily_metrics SET success_rate = 0.99
     WHERE run_id = $1 AND date = '2026-10-31' AND agent_id IN (SELECT id FROM agents WHERE run_id = $1 AND status = 'ERROR')`),
  ],
  [
    'an error agent ending under the floor (still falling)',
    'agents.errorOnesDeclineOverTheLastWeek',
    sql(`UPDATE daily_metrics SET success_rate = 0.84
     WHERE run_id = $1 AND date = '2026-10-31' AND agent_id IN (SELECT id FROM agents WHERE run_id = $1 AND status = 'ERROR')`),
  ],
  [
    'an error agent flat for a day mid-decline (ending at the floor)',
    'agents.errorOnesDeclineOverTheLastWeek',
    sql(`UPDATE daily_metrics m SET success_rate = b.success_rate FROM daily_metrics b
     WHERE m.run_id = $1 AND m.date = '2026-10-29' AND b.run_id = m.run_id AND b.agent_id = m.agent_id AND b.date = '2026-10-28'
       AND m.agent_id IN (SELECT id FROM agents WHERE run_id = $1 AND status = 'ERROR')`),
  ],
  [
    'a stale lastActiveAt',
    'agents.lastActiveAtOnLastDayWithTraffic',
    sql(`UPDATE agents SET last_active_at = '2026-10-20T00:00:00Z'
     WHERE run_id = $1 AND id = (SELECT c.agent_id FROM conversations c JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id
       WHERE c.run_id = $1 AND a.created_at < '2026-10-18' LIMIT 1)`),
  ],
  [
    'lastActiveAt taken from the sample: the latest stored conversation, days before the last traffic',
    'agents.lastActiveAtOnLastDayWithTraffic',
    sql(`UPDATE agents a SET last_active_at = (SELECT max(ended_at) FROM conversations c WHERE c.run_id = a.run_id AND c.agent_id = a.id)
     WHERE a.run_id = $1 AND a.id = (SELECT c.agent_id FROM conversations c WHERE c.run_id = $1 GROUP BY c.agent_id
       HAVING max(c.ended_at) < (SELECT max(m.date) FROM daily_metrics m WHERE m.run_id = $1 AND m.agent_id = c.agent_id
         AND m.conversations > 0)::timestamp AT TIME ZONE 'UTC' LIMIT 1)`),
  ],
  [
    'no lastActiveAt for an agent with traffic',
    'agents.lastActiveAtOnLastDayWithTraffic',
    sql(`UPDATE agents SET last_active_at = NULL
     WHERE run_id = $1 AND id = (SELECT agent_id FROM daily_metrics WHERE run_id = $1 AND conversations > 0 LIMIT 1)`),
  ],
  [
    'every conversation resolved',
    'conversations.resolvedMatchesSuccessRate',
    sql(`UPDATE conversations SET resolved = true WHERE run_id = $1`),
  ],
  [
    'three conversations moved to the next day of their agent',
    'conversations.sampleProportionalPerAgentDay',
    sql(`UPDATE conversations SET started_at = started_at + interval '1 day', ended_at = ended_at + interval '1 day'
     WHERE run_id = $1 AND id IN (SELECT id FROM conversations WHERE run_id = $1 AND (agent_id, (started_at AT TIME ZONE 'UTC')::date) =
       (SELECT agent_id, (started_at AT TIME ZONE 'UTC')::date FROM conversations WHERE run_id = $1 AND started_at < '2026-10-30'
         GROUP BY 1, 2 HAVING count(*) >= 3 ORDER BY 1, 2 LIMIT 1) LIMIT 3)`),
  ],
  [
    'a conversation of 90k tokens',
    'tokens.asTheShapeMakesThem',
    sql(`UPDATE conversations SET input_tokens = 90000
     WHERE run_id = $1 AND id = (SELECT id FROM conversations WHERE run_id = $1 LIMIT 1)`),
  ],
  // Past the noise (±10 % a conversation, ±5 % a day) whatever noise the row drew.
  [
    'a conversation with a quarter more input tokens',
    'tokens.asTheShapeMakesThem',
    sql(`UPDATE conversations SET input_tokens = round(input_tokens * 1.25)
     WHERE run_id = $1 AND id = (SELECT id FROM conversations WHERE run_id = $1 LIMIT 1)`),
  ],
  [
    'a conversation with a quarter fewer output tokens',
    'tokens.asTheShapeMakesThem',
    sql(`UPDATE conversations SET output_tokens = round(output_tokens * 0.75)
     WHERE run_id = $1 AND id = (SELECT id FROM conversations WHERE run_id = $1 LIMIT 1)`),
  ],
  [
    'a conversation of three messages more than its tokens',
    'tokens.asTheShapeMakesThem',
    sql(`UPDATE conversations SET message_count = message_count + 3
     WHERE run_id = $1 AND id = (SELECT id FROM conversations WHERE run_id = $1 AND message_count <= 10 LIMIT 1)`),
  ],
  [
    'a day of a gpt-4o agent with 12 % more input tokens',
    'tokens.asTheShapeMakesThem',
    sql(`UPDATE daily_metrics SET total_tokens_input = round(total_tokens_input * 1.12)
     WHERE run_id = $1 AND id = (SELECT m.id FROM daily_metrics m JOIN agents a ON a.run_id = m.run_id AND a.id = m.agent_id
       WHERE m.run_id = $1 AND a.model = 'gpt-4o' AND m.conversations > 0 LIMIT 1)`),
  ],
  [
    'a day with a tenth fewer output tokens',
    'tokens.asTheShapeMakesThem',
    sql(`UPDATE daily_metrics SET total_tokens_output = round(total_tokens_output * 0.9)
     WHERE run_id = $1 AND id = (SELECT id FROM daily_metrics WHERE run_id = $1 AND conversations > 0 LIMIT 1)`),
  ],
  [
    'an agent of no kind the catalogue knows',
    'tokens.asTheShapeMakesThem',
    sql(
      `UPDATE agents SET name = 'Mystery Bot 1' WHERE run_id = $1 AND id = (SELECT agent_id FROM conversations WHERE run_id = $1 LIMIT 1)`,
    ),
  ],
  [
    'a day with chat-shaped output (a tenth of its input)',
    'tokens.outputPerInputAsDocumented',
    sql(`UPDATE daily_metrics SET total_tokens_output = total_tokens_input / 10
     WHERE run_id = $1 AND id = (SELECT id FROM daily_metrics WHERE run_id = $1 AND conversations > 0 LIMIT 1)`),
  ],
  [
    'a conversation whose output is its input',
    'tokens.outputPerInputAsDocumented',
    sql(`UPDATE conversations SET output_tokens = input_tokens
     WHERE run_id = $1 AND id = (SELECT id FROM conversations WHERE run_id = $1 LIMIT 1)`),
  ],
  [
    'a gpt-4o day priced at today’s list price instead of the document’s',
    'costRecords.costIsTokensTimesPrice',
    sql(`UPDATE cost_records SET total_cost = round((input_tokens * 2.5 + output_tokens * 10) / 1000000.0, 6)
     WHERE run_id = $1 AND id = (SELECT id FROM cost_records WHERE run_id = $1 AND model = 'gpt-4o' AND input_tokens > 0 LIMIT 1)`),
  ],
  [
    'a metric out of range',
    'dailyMetrics.inRanges',
    sql(`UPDATE daily_metrics SET success_rate = 0.5
     WHERE run_id = $1 AND id = (SELECT id FROM daily_metrics WHERE run_id = $1 AND conversations > 0 LIMIT 1)`),
  ],
  [
    'a cost that is not tokens × price',
    'costRecords.costIsTokensTimesPrice',
    sql(`UPDATE cost_records SET total_cost = total_cost + 0.01
     WHERE run_id = $1 AND id = (SELECT id FROM cost_records WHERE run_id = $1 LIMIT 1)`),
  ],
  [
    'a member’s first sign-in missing',
    'auditLogs.membersWorkInSessions',
    sql(`DELETE FROM audit_logs WHERE run_id = $1 AND id =
     (SELECT id FROM audit_logs WHERE run_id = $1 AND action = 'user.login' ORDER BY occurred_at LIMIT 1)`),
  ],
  [
    'an action after its member signed out for the last time',
    'auditLogs.membersWorkInSessions',
    sql(`UPDATE audit_logs l SET occurred_at = (SELECT max(o.occurred_at) FROM audit_logs o WHERE o.run_id = l.run_id
       AND o.member_id = l.member_id AND o.action = 'user.logout') + interval '1 second'
     WHERE run_id = $1 AND id = (SELECT id FROM audit_logs WHERE run_id = $1 AND action = 'export.requested' ORDER BY occurred_at LIMIT 1)`),
  ],
  [
    'a sign-in targeting another member',
    'auditLogs.membersWorkInSessions',
    sql(`UPDATE audit_logs l SET target_id = (SELECT id::text FROM members m WHERE m.run_id = l.run_id AND m.id <> l.member_id LIMIT 1)
     WHERE run_id = $1 AND id = (SELECT id FROM audit_logs WHERE run_id = $1 AND action = 'user.login' LIMIT 1)`),
  ],
  [
    'an agent created in the window without its entry',
    'auditLogs.createdEntriesAreTheAgentsCreatedInTheWindow',
    sql(`UPDATE audit_logs SET action = 'agent.updated' WHERE run_id = $1 AND action = 'agent.created'`),
  ],
  [
    'a created entry for an agent that predates the window',
    'auditLogs.createdEntriesAreTheAgentsCreatedInTheWindow',
    sql(`UPDATE audit_logs SET action = 'agent.created' WHERE run_id = $1 AND id =
     (SELECT l.id FROM audit_logs l JOIN members m ON m.run_id = l.run_id AND m.id = l.member_id
       WHERE l.run_id = $1 AND l.action = 'config.changed' AND m.role <> 'VIEWER' LIMIT 1)`),
  ],
  [
    'a deleted agent brought back',
    'auditLogs.deletedEntriesAreTheDeletedAgents',
    sql(`UPDATE agents SET deleted_at = NULL WHERE run_id = $1 AND deleted_at IS NOT NULL`),
  ],
  [
    'an agent deleted while it was running',
    'auditLogs.deletedEntriesAreTheDeletedAgents',
    sql(`WITH a AS (SELECT id FROM agents WHERE run_id = $1 AND status = 'ACTIVE' AND created_at < '2026-10-18' LIMIT 1),
          s AS (UPDATE agents SET deleted_at = '2026-10-31T20:00:00Z' WHERE run_id = $1 AND id = (SELECT id FROM a))
     UPDATE audit_logs SET target_id = (SELECT id::text FROM a), metadata = '{}' WHERE run_id = $1 AND action = 'agent.deleted'
       AND id = (SELECT id FROM audit_logs WHERE run_id = $1 AND action = 'agent.deleted' LIMIT 1)`),
  ],
  [
    'an error agent’s trouble left out of the log',
    'auditLogs.errorAgentsTroubleLogged',
    sql(`UPDATE audit_logs l SET action = 'export.requested', target_type = 'report', target_id = 'metrics'
     WHERE run_id = $1 AND action IN ('config.changed', 'agent.updated')
       AND target_id IN (SELECT id::text FROM agents WHERE run_id = $1 AND status = 'ERROR')`),
  ],
  [
    'a new agent with traffic before its creation',
    'agents.noTrafficBeforeCreation',
    sql(`UPDATE agents SET created_at = created_at + interval '3 days'
     WHERE run_id = $1 AND id = (SELECT id FROM agents WHERE run_id = $1 AND created_at >= '2026-10-18' LIMIT 1)`),
  ],
  [
    'an entry about an agent that exists nowhere',
    'auditLogs.targetsExistInsideWindow',
    sql(`UPDATE audit_logs SET target_id = '00000000-0000-4000-8000-000000000000'
     WHERE run_id = $1 AND id = (SELECT id FROM audit_logs WHERE run_id = $1 AND target_type = 'agent' LIMIT 1)`),
  ],
  [
    'a viewer changing a config',
    'auditLogs.allowedForRole',
    sql(`UPDATE audit_logs SET member_id = (SELECT id FROM members
     WHERE run_id = $1 AND role = 'VIEWER' LIMIT 1) WHERE run_id = $1 AND id = (SELECT id FROM audit_logs WHERE run_id = $1
     AND action = 'config.changed' LIMIT 1)`),
  ],
  [
    'a cost record’s tokens off its day’s metric',
    'costRecords.tokensMatchMetrics',
    sql(`UPDATE cost_records SET input_tokens = input_tokens + 1
     WHERE run_id = $1 AND id = (SELECT id FROM cost_records WHERE run_id = $1 LIMIT 1)`),
  ],
  [
    'a cost record of another model than its agent’s',
    'costRecords.tokensMatchMetrics',
    sql(`UPDATE cost_records c SET model = CASE WHEN a.model = 'gpt-4o' THEN 'gpt-4o-mini' ELSE 'gpt-4o' END
     FROM agents a WHERE c.run_id = $1 AND a.run_id = $1 AND a.id = c.agent_id
       AND c.id = (SELECT id FROM cost_records WHERE run_id = $1 LIMIT 1)`),
  ],
  ['a member too many', 'members.count', copyRow('members', `, email = 'extra-' || email`)],
  ['an agent too many', 'agents.count', copyRow('agents', `, name = name || ' (copy)'`)],
  [
    'a conversation missing',
    'conversations.count',
    sql(
      `DELETE FROM conversations WHERE run_id = $1 AND id = (SELECT id FROM conversations WHERE run_id = $1 LIMIT 1)`,
    ),
  ],
  [
    'an agent-day without its metric',
    'dailyMetrics.onePerAgentPerDay',
    sql(
      `DELETE FROM daily_metrics WHERE run_id = $1 AND id = (SELECT id FROM daily_metrics WHERE run_id = $1 LIMIT 1)`,
    ),
  ],
  [
    'a cost record missing',
    'costRecords.count',
    sql(
      `DELETE FROM cost_records WHERE run_id = $1 AND id = (SELECT id FROM cost_records WHERE run_id = $1 LIMIT 1)`,
    ),
  ],
  [
    'an audit entry missing',
    'auditLogs.count',
    sql(
      `DELETE FROM audit_logs WHERE run_id = $1 AND id = (SELECT id FROM audit_logs WHERE run_id = $1 LIMIT 1)`,
    ),
  ],
  [
    'two members with one email but for its case',
    'members.emailsUnique',
    sql(`UPDATE members SET email = upper((SELECT email FROM members WHERE run_id = $1 ORDER BY id LIMIT 1))
     WHERE run_id = $1 AND id = (SELECT id FROM members WHERE run_id = $1 ORDER BY id OFFSET 1 LIMIT 1)`),
  ],
  [
    'two agents with one name',
    'agents.namesUnique',
    sql(`UPDATE agents SET name = (SELECT name FROM agents WHERE run_id = $1 ORDER BY id LIMIT 1)
     WHERE run_id = $1 AND id = (SELECT id FROM agents WHERE run_id = $1 ORDER BY id OFFSET 1 LIMIT 1)`),
  ],
  [
    'an agent created by a viewer',
    'agents.createdByAdminOrOperator',
    sql(`UPDATE agents SET created_by_id = (SELECT id FROM members WHERE run_id = $1 AND role = 'VIEWER' LIMIT 1)
     WHERE run_id = $1 AND id = (SELECT id FROM agents WHERE run_id = $1 LIMIT 1)`),
  ],
  [
    'an agent created two years ago',
    'agents.createdInPastYear',
    sql(`UPDATE agents SET created_at = created_at - interval '730 days'
     WHERE run_id = $1 AND id = (SELECT id FROM agents WHERE run_id = $1 LIMIT 1)`),
  ],
  [
    'an agent created after asOf',
    'agents.createdInPastYear',
    // (last active with it: the database keeps an agent active only after it was created)
    sql(`UPDATE agents SET created_at = '2026-11-02T00:00:00Z', last_active_at = '2026-11-02T00:00:00Z'
     WHERE run_id = $1 AND id = (SELECT id FROM agents WHERE run_id = $1 LIMIT 1)`),
  ],
  [
    'a stopped agent shown as running',
    'agents.runningOnesEndRunning',
    sql(`UPDATE agents SET status = 'ACTIVE'
     WHERE run_id = $1 AND id = (SELECT id FROM agents WHERE run_id = $1 AND status = 'INACTIVE' LIMIT 1)`),
  ],
  [
    'a conversation before the window',
    'conversations.insideAgentLifeAndWindow',
    sql(`UPDATE conversations SET started_at = started_at - interval '400 days'
     WHERE run_id = $1 AND id = (SELECT id FROM conversations WHERE run_id = $1 LIMIT 1)`),
  ],
  [
    'a conversation ending after asOf',
    'conversations.insideAgentLifeAndWindow',
    sql(`UPDATE conversations SET ended_at = '2026-11-03T00:00:00Z'
     WHERE run_id = $1 AND id = (SELECT id FROM conversations WHERE run_id = $1 LIMIT 1)`),
  ],
];

it.each(cases)('%s: %s fails', async (_name, checkName, tamper) => {
  expect(await failedAfter(tamper)).toContain(checkName);
});

it('every check of the contract is failed by a case above (the listing)', () => {
  const names = [...new Set(untouched.contract.map((c) => c.name))].sort();
  expect(names.length).toBeGreaterThan(30);
  expect([...new Set(cases.map((c) => c[1]))].sort()).toEqual(names);
});

it('a run whose rows break a check fails and keeps no row', async () => {
  const run = await runWith(cases[0][2]);
  expect(run.status).toBe('FAILED');
  expect(run.contract.filter((c) => !c.passed).map((c) => c.name)).toContain(cases[0][1]);
  const [{ n }] = await app.db.dataSource.query(
    `SELECT (SELECT count(*) FROM agents WHERE run_id = $1) + (SELECT count(*) FROM conversations WHERE run_id = $1) AS n`,
    [run.id],
  );
  expect(Number(n)).toBe(0);
});

it('pricing CURRENT: a gpt-4o day priced by the document’s table fails costRecords.costIsTokensTimesPrice', async () => {
  const run = await runWith(
    sql(`UPDATE cost_records SET total_cost = round((input_tokens * 5 + output_tokens * 15) / 1000000.0, 6)
     WHERE run_id = $1 AND id = (SELECT id FROM cost_records WHERE run_id = $1 AND model = 'gpt-4o' AND input_tokens > 0 LIMIT 1)`),
    'CURRENT',
  );
  expect(run.contract.filter((c) => !c.passed).map((c) => c.name)).toEqual([
    'costRecords.costIsTokensTimesPrice',
  ]);
});

it('untouched, the run passes every check', () => {
  expect(untouched.contract.filter((c) => !c.passed)).toEqual([]);
  expect(untouched.status).toBe('SUCCEEDED');
});
