import fs from 'node:fs';
import path from 'node:path';
import { DASHBOARD_COHERENT, dashboardCoherence } from '../helpers/coherence';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { nonEmpty } from '../helpers/non-empty';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());
afterEach(() => expect(app.maskedErrors).toEqual([]));

const GENERATE = `mutation($input: GenerateDashboardInput) {
  generateDashboard(input: $input) {
    id kind status error seed asOf fingerprint generatorVersion
    rowCounts { members agents conversations dailyMetrics costRecords auditLogs }
    contract { name expected actual passed }
  }
}`;

async function generate(input: Record<string, unknown> | null) {
  const res = await app.gql(GENERATE, { input });
  expectNoErrors(res);
  return res.data!.generateDashboard;
}

const sql = (text: string, params: unknown[] = []) => app.db.dataSource.query(text, params);
const one = async (text: string, params: unknown[]) => Number(Object.values((await sql(text, params))[0])[0]);

/** The statistics the strategy document promises, measured with SQL on the stored rows. */
async function statistics(runId: string) {
  const weekday = `extract(isodow FROM started_at AT TIME ZONE 'UTC') < 6`;
  const business = `extract(hour FROM started_at AT TIME ZONE 'UTC') BETWEEN 9 AND 16`;
  const days = await sql(
    `SELECT count(*) FILTER (WHERE extract(isodow FROM date) < 6)::int AS weekdays,
            count(*) FILTER (WHERE extract(isodow FROM date) >= 6)::int AS weekends
       FROM (SELECT DISTINCT date FROM daily_metrics WHERE run_id = $1) d`,
    [runId],
  );
  const weekdayConvs = await one(`SELECT count(*) FROM conversations WHERE run_id = $1 AND ${weekday}`, [
    runId,
  ]);
  const weekendConvs = await one(`SELECT count(*) FROM conversations WHERE run_id = $1 AND NOT ${weekday}`, [
    runId,
  ]);
  const businessConvs = await one(`SELECT count(*) FROM conversations WHERE run_id = $1 AND ${business}`, [
    runId,
  ]);
  const otherConvs = await one(`SELECT count(*) FROM conversations WHERE run_id = $1 AND NOT ${business}`, [
    runId,
  ]);
  const total = weekdayConvs + weekendConvs;
  const sentiment = await sql(
    `SELECT sentiment, (100.0 * count(*) / $2)::float8 AS share FROM conversations WHERE run_id = $1 GROUP BY 1`,
    [runId, total],
  );
  // Agent-days with traffic: their cost, and how gpt-4o days compare with gpt-4o-mini ones.
  const agentDays = (
    await sql(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE c.total_cost BETWEEN 0.5 AND 50)::int AS in_band,
              (sum(c.output_tokens)::float8 / sum(c.input_tokens)) AS output_per_input,
              (avg(c.total_cost) FILTER (WHERE c.model = 'gpt-4o') / avg(c.total_cost) FILTER (WHERE c.model = 'gpt-4o-mini'))::float8 AS gpt4o_over_mini
         FROM cost_records c JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id AND m.date = c.date
        WHERE c.run_id = $1 AND m.conversations > 0`,
      [runId],
    )
  )[0];
  const costRange = (
    await sql(
      `SELECT min(c.total_cost) FILTER (WHERE m.conversations > 0)::float8 AS min, max(c.total_cost)::float8 AS max,
              count(*) FILTER (WHERE (m.conversations = 0) <> (c.total_cost = 0))::int AS zero_mismatch
         FROM cost_records c JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id AND m.date = c.date
        WHERE c.run_id = $1`,
      [runId],
    )
  )[0];
  const statuses = await sql(`SELECT status, count(*)::int AS n FROM agents WHERE run_id = $1 GROUP BY 1`, [
    runId,
  ]);
  const roles = await sql(`SELECT role, count(*)::int AS n FROM members WHERE run_id = $1 GROUP BY 1`, [
    runId,
  ]);
  // The fleet's traffic in the window's first and last 7 days (each holds exactly two weekend days).
  const weeks = (
    await sql(
      `SELECT sum(conversations) FILTER (WHERE date < (SELECT min(date) FROM daily_metrics WHERE run_id = $1) + 7)::int AS first,
              sum(conversations) FILTER (WHERE date > (SELECT max(date) FROM daily_metrics WHERE run_id = $1) - 7)::int AS last
         FROM daily_metrics WHERE run_id = $1`,
      [runId],
    )
  )[0];
  const share = (s: string) => sentiment.find((r: any) => r.sentiment === s)?.share ?? 0;
  return {
    weekdayWeekendRatio: weekdayConvs / days[0].weekdays / (weekendConvs / days[0].weekends),
    businessRateRatio: businessConvs / 8 / (otherConvs / 16),
    sentiment: { POSITIVE: share('POSITIVE'), NEUTRAL: share('NEUTRAL'), NEGATIVE: share('NEGATIVE') },
    agentDaysInCostBand: agentDays.in_band / agentDays.n,
    outputPerInput: agentDays.output_per_input,
    gpt4oDayOverMini: agentDays.gpt4o_over_mini,
    lastWeekOverFirst: weeks.last / weeks.first,
    costRange,
    statuses: Object.fromEntries(statuses.map((r: any) => [r.status, r.n])),
    roles: Object.fromEntries(roles.map((r: any) => [r.role, r.n])),
  };
}

/**
 * The audit trail walked in the test's own terms: per member, sign-ins and sign-outs alternate and
 * every other entry falls between them; agent.created and agent.deleted entries point at agents
 * created or deleted at that moment; every error agent's trouble shows in its last week.
 */
async function auditTrail(runId: string) {
  const logs = await sql(
    `SELECT member_id, action, target_type, target_id, occurred_at FROM audit_logs WHERE run_id = $1
      ORDER BY member_id, occurred_at, CASE action WHEN 'user.login' THEN 0 WHEN 'user.logout' THEN 2 ELSE 1 END`,
    [runId],
  );
  let brokenSessions = 0;
  let member: string | null = null;
  let signedIn = false;
  for (const l of logs) {
    if (l.member_id !== member) [member, signedIn] = [l.member_id, false];
    if (l.action === 'user.login') {
      if (signedIn || l.target_id !== l.member_id) brokenSessions++;
      signedIn = true;
    } else if (l.action === 'user.logout') {
      if (!signedIn || l.target_id !== l.member_id) brokenSessions++;
      signedIn = false;
    } else if (!signedIn) brokenSessions++;
  }
  const agents = await sql(`SELECT id, status, created_at, deleted_at FROM agents WHERE run_id = $1`, [
    runId,
  ]);
  const byId = new Map<string, any>(agents.map((a: any) => [a.id, a]));
  const at = (d: Date | null | undefined): number | null => (d ? new Date(d).getTime() : null);
  const created = logs.filter((l: any) => l.action === 'agent.created');
  const deleted = logs.filter((l: any) => l.action === 'agent.deleted');
  const asOf = Math.max(...logs.map((l: any) => at(l.occurred_at)!));
  return {
    entries: logs.length,
    brokenSessions,
    created: created.length,
    createdNotReal: created.filter((l: any) => at(byId.get(l.target_id)?.created_at) !== at(l.occurred_at))
      .length,
    deleted: deleted.length,
    deletedNotReal: deleted.filter(
      (l: any) =>
        byId.get(l.target_id)?.status !== 'INACTIVE' ||
        at(byId.get(l.target_id)?.deleted_at) !== at(l.occurred_at),
    ).length,
    errorAgentsWithoutTrouble: agents.filter(
      (a: any) =>
        a.status === 'ERROR' &&
        !logs.some(
          (l: any) =>
            l.target_id === a.id &&
            ['config.changed', 'agent.updated'].includes(l.action) &&
            at(l.occurred_at)! >= asOf - 8 * 86_400_000,
        ),
    ).length,
  };
}

describe('generateDashboard: the fake-data strategy, measured', () => {
  for (const seed of [undefined, 1, 77, 2026]) {
    it(`seed ${seed ?? '12345 (default)'}: patterns within their bounds, checks passing`, async () => {
      const run = await generate({ asOf: '2026-11-01', ...(seed === undefined ? {} : { seed }) });
      expect(run.contract.filter((c: any) => !c.passed)).toEqual([]);
      expect(run).toMatchObject({
        kind: 'DASHBOARD',
        status: 'SUCCEEDED',
        seed: seed ?? 12345,
        rowCounts: {
          members: 10,
          agents: 20,
          conversations: 500,
          dailyMetrics: 600,
          costRecords: 600,
          auditLogs: 200,
        },
      });
      const s = await statistics(run.id);
      expect(s.weekdayWeekendRatio).toBeGreaterThanOrEqual(1.6);
      expect(s.weekdayWeekendRatio).toBeLessThanOrEqual(2.4);
      expect(s.businessRateRatio).toBeGreaterThanOrEqual(2.4);
      expect(s.businessRateRatio).toBeLessThanOrEqual(3.6);
      expect(Math.abs(s.sentiment.POSITIVE - 60)).toBeLessThanOrEqual(5);
      expect(Math.abs(s.sentiment.NEUTRAL - 30)).toBeLessThanOrEqual(5);
      expect(Math.abs(s.sentiment.NEGATIVE - 10)).toBeLessThanOrEqual(5);
      expect(s.statuses).toEqual({ ACTIVE: 14, INACTIVE: 4, ERROR: 2 });
      expect(s.roles).toEqual({ ADMIN: 2, OPERATOR: 4, VIEWER: 4 });
      // "Slight growth trend over 30 days", though inactive agents stop during the window.
      expect(s.lastWeekOverFirst).toBeGreaterThan(1);
      expect(s.lastWeekOverFirst).toBeLessThan(1.25);
      // "Typical range: $0.50 - $50 per agent per day", "totalTokensOutput: ~1.5x input",
      // "GPT-4o agents cost 10x more than gpt-4o-mini" (their days differ in traffic too).
      expect(s.agentDaysInCostBand).toBeGreaterThanOrEqual(0.8);
      expect(s.outputPerInput).toBeCloseTo(1.5, 2);
      expect(s.gpt4oDayOverMini).toBeGreaterThan(7);
      expect(s.gpt4oDayOverMini).toBeLessThan(14);
      // Costs follow the tokens: a day without traffic costs nothing.
      expect(s.costRange.zero_mismatch).toBe(0);
      expect(s.costRange.min).toBeGreaterThan(0);
      // Members work in sessions; created and deleted agents are real; error agents' trouble shows.
      const trail = await auditTrail(run.id);
      expect(trail).toMatchObject({
        entries: 200,
        brokenSessions: 0,
        createdNotReal: 0,
        deletedNotReal: 0,
        errorAgentsWithoutTrouble: 0,
      });
      expect(trail.created).toBeGreaterThan(0);
      expect(trail.deleted).toBeGreaterThan(0);
      const k = await dashboardCoherence(app.db, run.id);
      expect(k).toEqual(DASHBOARD_COHERENT);
    });
  }

  it('the default dataset has the fingerprint pinned for it', async () => {
    const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'golden-fingerprints.json'), 'utf8'));
    const run = await generate({ asOf: '2026-11-01' });
    expect(run.fingerprint).toBe(golden[run.generatorVersion]['default (seed 12345, 2026-11-01)']);
  });

  it('prices cost records by the document’s table by default, and by today’s list prices with pricing CURRENT', async () => {
    // Per 1K tokens, as the strategy document states them; today's list prices per 1M (genai-prices 0.1.8).
    const table = (perInput: Record<string, [number, number]>) =>
      `(VALUES ${Object.entries(perInput)
        .map(([m, [i, o]]) => `('${m}', ${i}::numeric, ${o}::numeric)`)
        .join(', ')})`;
    const document = table({
      'gpt-4o': [0.005 / 1000, 0.015 / 1000],
      'gpt-4o-mini': [0.00015 / 1000, 0.0006 / 1000],
      'gpt-3.5-turbo': [0.0005 / 1000, 0.0015 / 1000],
    });
    const current = table({
      'gpt-4o': [2.5 / 1e6, 10 / 1e6],
      'gpt-4o-mini': [0.15 / 1e6, 0.6 / 1e6],
      'gpt-3.5-turbo': [0.5 / 1e6, 1.5 / 1e6],
    });
    const mispriced = (runId: string, prices: string) =>
      one(
        `SELECT count(*) FILTER (WHERE p.model IS NULL
                  OR abs(c.total_cost - (c.input_tokens * p.i + c.output_tokens * p.o)) > 0.000001)
           FROM cost_records c LEFT JOIN ${prices} AS p(model, i, o) ON p.model = c.model WHERE c.run_id = $1`,
        [runId],
      );
    const shape = (runId: string) =>
      sql(
        `SELECT (sum(output_tokens)::float8 / sum(input_tokens)) AS output_per_input,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY total_cost)::float8 AS median
           FROM cost_records WHERE run_id = $1 AND input_tokens > 0`,
        [runId],
      ).then((rows: any[]) => rows[0]);

    const byDefault = await generate({ asOf: '2026-11-01', seed: 8, days: 10 });
    expect(byDefault.contract.filter((c: any) => !c.passed)).toEqual([]);
    expect(byDefault.contract.map((c: any) => c.name)).toContain('tokens.outputPerInputAsDocumented');
    expect(await one(`SELECT count(*) FROM cost_records WHERE run_id = $1`, [byDefault.id])).toBe(200);
    expect(await mispriced(byDefault.id, document)).toBe(0);
    expect(await mispriced(byDefault.id, current)).toBeGreaterThan(0);
    const d = await shape(byDefault.id);
    expect(d.output_per_input).toBeCloseTo(1.5, 2);
    expect(d.median).toBeGreaterThan(0.5);

    const asToday = await generate({ asOf: '2026-11-01', seed: 8, days: 10, pricing: 'CURRENT' });
    expect(asToday.contract.filter((c: any) => !c.passed)).toEqual([]);
    expect(asToday.contract.map((c: any) => c.name)).not.toContain('tokens.outputPerInputAsDocumented');
    expect(asToday.fingerprint).not.toBe(byDefault.fingerprint);
    expect(await mispriced(asToday.id, current)).toBe(0);
    // Chat traffic: every turn re-sends the prompt and context and writes a short reply.
    const c = await shape(asToday.id);
    expect(c.output_per_input).toBeLessThan(0.2);
    expect(c.median).toBeLessThan(d.median);
    // The same seed draws the same traffic: only tokens and prices differ.
    expect(
      await one(
        `SELECT count(*) FROM daily_metrics a JOIN daily_metrics b ON b.agent_id = a.agent_id AND b.date = a.date
          WHERE a.run_id = $1 AND b.run_id = $2 AND a.conversations <> b.conversations`,
        [byDefault.id, asToday.id],
      ),
    ).toBe(0);
  });

  it('agents perform as the strategy says: stars, shaky ones, and error agents declining', async () => {
    const run = await generate({ asOf: '2026-11-01', seed: 5 });
    const perAgent = await sql(
      `SELECT a.status, avg(m.success_rate)::float8 AS success,
              avg(m.success_rate) FILTER (WHERE m.date >= '2026-10-29')::float8 AS last_days,
              avg(m.success_rate) FILTER (WHERE m.date < '2026-10-20')::float8 AS early_days
         FROM agents a JOIN daily_metrics m ON m.run_id = a.run_id AND m.agent_id = a.id
        WHERE a.run_id = $1 GROUP BY a.id, a.status`,
      [run.id],
    );
    expect(perAgent.filter((a: any) => a.success >= 0.98).length).toBeGreaterThan(0);
    expect(perAgent.filter((a: any) => a.success >= 0.85 && a.success <= 0.9).length).toBeGreaterThan(0);
    for (const agent of perAgent.filter((a: any) => a.status === 'ERROR'))
      expect(agent.last_days).toBeLessThan(agent.early_days);
    // Weekend traffic in the metrics is about half of weekday traffic.
    const [traffic] = await sql(
      `SELECT avg(conversations) FILTER (WHERE extract(isodow FROM date) < 6)::float8 AS weekday,
              avg(conversations) FILTER (WHERE extract(isodow FROM date) >= 6)::float8 AS weekend
         FROM daily_metrics WHERE run_id = $1`,
      [run.id],
    );
    expect(traffic.weekday / traffic.weekend).toBeGreaterThan(1.6);
    // Customer support conversations run longer.
    const [lengths] = await sql(
      `SELECT avg(c.message_count) FILTER (WHERE a.name LIKE 'Customer Support Bot%')::float8 AS support,
              avg(c.message_count) FILTER (WHERE a.name NOT LIKE 'Customer Support Bot%')::float8 AS others
         FROM conversations c JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id WHERE c.run_id = $1`,
      [run.id],
    );
    expect(lengths.support).toBeGreaterThan(lengths.others);
  });

  it('answers Agent.metrics from the daily metrics, and who started each conversation', async () => {
    const run = await generate({ asOf: '2026-11-01', seed: 4 });
    const res = await app.gql(
      `query($r: ID!) { agents(first: 50, filter: { runId: $r }) { nodes { id status
         metrics { totalConversations avgResponseTimeMs successRate }
         conversations(first: 500) { nodes { initiator } } } } }`,
      { r: run.id },
    );
    expectNoErrors(res);
    const agents = res.data!.agents.nodes;
    const expected = await sql(
      `SELECT agent_id, sum(conversations)::int AS total,
              round(sum(avg_response_time_ms::numeric * conversations) / nullif(sum(conversations), 0))::int AS response,
              round(sum(success_rate * conversations) / nullif(sum(conversations), 0), 4)::float8 AS success
         FROM daily_metrics WHERE run_id = $1 GROUP BY agent_id`,
      [run.id],
    );
    for (const agent of agents) {
      const e = expected.find((x: any) => x.agent_id === agent.id);
      expect(agent.metrics).toEqual({
        totalConversations: e.total,
        avgResponseTimeMs: e.response,
        successRate: e.success,
      });
    }
    // Initiators: anonymous handles, some of them returning.
    const initiators = agents.flatMap((a: any) => a.conversations.nodes.map((c: any) => c.initiator));
    expect(initiators).toHaveLength(500);
    expect(nonEmpty(initiators).every((i: string) => /^user-[0-9a-f]{6}$/.test(i))).toBe(true);
    const distinct = new Set(initiators).size;
    expect(distinct).toBeGreaterThan(50);
    expect(distinct).toBeLessThan(500);
  });

  it('stores the document’s 500 conversations as a proportional sample of the metrics, counted on each daily metric', async () => {
    const run = await generate({ asOf: '2026-11-01' });
    // Every agent-day holds conversations × 500 / all conversations, rounded down or up.
    const days = await sql(
      `WITH s AS (SELECT agent_id, (started_at AT TIME ZONE 'UTC')::date AS date, count(*)::int AS n
                    FROM conversations WHERE run_id = $1 GROUP BY 1, 2)
       SELECT m.id, m.conversations, coalesce(s.n, 0) AS stored,
              m.conversations * 500.0 / sum(m.conversations) OVER () AS share
         FROM daily_metrics m LEFT JOIN s ON s.agent_id = m.agent_id AND s.date = m.date WHERE m.run_id = $1`,
      [run.id],
    );
    expect(days).toHaveLength(600);
    expect(days.reduce((n: number, d: any) => n + d.stored, 0)).toBe(500);
    const off = days.filter(
      (d: any) => d.stored < Math.floor(Number(d.share)) || d.stored > Math.ceil(Number(d.share)),
    );
    expect(off).toEqual([]);
    const [{ r }] = await sql(
      `SELECT corr(m.conversations, coalesce(s.n, 0))::float8 AS r FROM daily_metrics m
         LEFT JOIN (SELECT agent_id, (started_at AT TIME ZONE 'UTC')::date AS date, count(*) AS n
                      FROM conversations WHERE run_id = $1 GROUP BY 1, 2) s ON s.agent_id = m.agent_id AND s.date = m.date
        WHERE m.run_id = $1`,
      [run.id],
    );
    expect(r).toBeGreaterThan(0.6);
    // The API shows the count on each metric, and Agent.metrics sums the metrics.
    const res = await app.gql(
      `query($r: ID!) { dailyMetrics(first: 300, filter: { runId: $r }) { nodes { id conversationCount storedConversationCount } } }`,
      { r: run.id },
    );
    expectNoErrors(res);
    const byId = new Map(days.map((d: any) => [d.id, d.stored]));
    const nodes = res.data!.dailyMetrics.nodes;
    expect(nodes).toHaveLength(300);
    expect(nodes.some((n: any) => n.storedConversationCount > 1)).toBe(true);
    for (const n of nodes) expect(n.storedConversationCount).toBe(byId.get(n.id));
  });

  it('keeps tables consistent with each other', async () => {
    const run = await generate({ asOf: '2026-11-01', seed: 9 });
    const r = [run.id];
    expect(
      await one(
        `SELECT count(*) FROM conversations c JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id
                       WHERE c.run_id = $1 AND (c.started_at < a.created_at OR c.ended_at > a.last_active_at)`,
        r,
      ),
    ).toBe(0);
    // lastActiveAt comes from the traffic (every agent-day the metrics count), not from the
    // 500 stored conversations: it falls on the agent's last day with conversations.
    expect(
      await one(
        `SELECT count(*) FROM agents a
           LEFT JOIN LATERAL (SELECT max(date) AS d FROM daily_metrics m
                               WHERE m.run_id = a.run_id AND m.agent_id = a.id AND m.conversations > 0) t ON true
          WHERE a.run_id = $1 AND (a.last_active_at AT TIME ZONE 'UTC')::date IS DISTINCT FROM t.d`,
        r,
      ),
    ).toBe(0);
    expect(await one(`SELECT count(*) FROM agents WHERE run_id = $1 AND last_active_at IS NULL`, r)).toBe(0);
    expect(
      await one(
        `SELECT count(*) FROM cost_records c JOIN daily_metrics m ON m.run_id = c.run_id AND m.agent_id = c.agent_id AND m.date = c.date
                       WHERE c.run_id = $1 AND (c.input_tokens <> m.total_tokens_input OR c.output_tokens <> m.total_tokens_output)`,
        r,
      ),
    ).toBe(0);
    expect(
      await one(
        `SELECT count(*) FROM audit_logs l WHERE l.run_id = $1 AND l.target_type = 'agent'
                       AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.run_id = l.run_id AND a.id::text = l.target_id)`,
        r,
      ),
    ).toBe(0);
    expect(
      await one(
        `SELECT count(*) FROM audit_logs l JOIN members m ON m.run_id = l.run_id AND m.id = l.member_id
                       WHERE l.run_id = $1 AND m.role = 'VIEWER' AND l.action IN ('agent.created', 'agent.deleted', 'config.changed')`,
        r,
      ),
    ).toBe(0);
    expect(
      await one(
        `SELECT count(*) FROM agents a JOIN members m ON m.run_id = a.run_id AND m.id = a.created_by_id
                       WHERE a.run_id = $1 AND m.role = 'VIEWER'`,
        r,
      ),
    ).toBe(0);
    expect(
      await one(
        `SELECT count(*) FROM (SELECT agent_id, date FROM daily_metrics WHERE run_id = $1 GROUP BY 1, 2 HAVING count(*) > 1) d`,
        r,
      ),
    ).toBe(0);
  });
});

describe('determinism', () => {
  const ids = (runId: string, table: string) =>
    sql(`SELECT id FROM ${table} WHERE run_id = $1 ORDER BY id`, [runId]).then((rows: any[]) =>
      rows.map((x) => x.id),
    );

  it('an empty audit log: the fleet’s story goes unrecorded, so nobody is created or deleted in the window', async () => {
    const run = await generate({ asOf: '2026-11-01', auditLogs: 0, days: 10 });
    expect(run.contract.filter((c: any) => !c.passed)).toEqual([]);
    expect(run.rowCounts.auditLogs).toBe(0);
    expect(
      await one(
        `SELECT count(*) FROM agents WHERE run_id = $1 AND (created_at >= '2026-10-22' OR deleted_at IS NOT NULL)`,
        [run.id],
      ),
    ).toBe(0);
  });

  it('the same seed gives the same ids and fingerprint; another seed does not', async () => {
    const a = await generate({ asOf: '2026-11-01', days: 14, agents: 6, conversations: 120, auditLogs: 50 });
    const b = await generate({ asOf: '2026-11-01', days: 14, agents: 6, conversations: 120, auditLogs: 50 });
    expect(b.fingerprint).toBe(a.fingerprint);
    for (const table of [
      'members',
      'agents',
      'conversations',
      'daily_metrics',
      'cost_records',
      'audit_logs',
    ]) {
      expect(await ids(b.id, table)).toEqual(await ids(a.id, table));
    }
    const c = await generate({
      asOf: '2026-11-01',
      days: 14,
      agents: 6,
      conversations: 120,
      auditLogs: 50,
      seed: 1,
    });
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it('defaults: seed 12345, 30 days ending today 00:00 UTC', async () => {
    const run = await generate(null);
    const today = new Date();
    expect(run.seed).toBe(12345);
    expect(run.asOf).toBe(
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())).toISOString(),
    );
    expect(run.rowCounts.dailyMetrics).toBe(600);
    expect(run.generatorVersion).toMatch(/^dashboard@\d+ faker@9\.9\.0$/);
  });
});

describe('dashboard queries', () => {
  let runId: string;
  beforeAll(async () => {
    runId = (await generate({ asOf: '2026-11-01', seed: 3 })).id;
  });

  it('costSummary groups by day, agent and model, and the totals add up', async () => {
    const res = await app.gql(
      `query($r: ID!) {
        day: costSummary(runId: $r, groupBy: DAY) { groups { key label records totalCost inputTokens } totals { records totalCost inputTokens outputTokens } }
        agent: costSummary(runId: $r, groupBy: AGENT) { groups { key label records totalCost } totals { totalCost } }
        model: costSummary(runId: $r, groupBy: MODEL) { groups { key records totalCost } totals { totalCost } }
        week: costSummary(runId: $r, groupBy: DAY, from: "2026-10-25", to: "2026-10-31") { groups { key } totals { records } }
      }`,
      { r: runId },
    );
    expectNoErrors(res);
    const d = res.data!;
    expect(d.day.groups).toHaveLength(30);
    expect(d.day.groups[0].key).toBe('2026-10-02');
    expect(nonEmpty(d.day.groups).every((g: any) => g.records === 20)).toBe(true);
    expect(d.agent.groups).toHaveLength(20);
    expect(nonEmpty(d.agent.groups).every((g: any) => g.records === 30 && g.label.length > 5)).toBe(true);
    expect(d.model.groups.map((g: any) => g.key)).toEqual(['gpt-3.5-turbo', 'gpt-4o', 'gpt-4o-mini']);
    const cents = (v: string) => Math.round(Number(v) * 1e6);
    for (const grouping of [d.day, d.agent, d.model]) {
      expect(grouping.groups.reduce((sum: number, g: any) => sum + cents(g.totalCost), 0)).toBe(
        cents(d.day.totals.totalCost),
      );
    }
    const [db] = await sql(
      `SELECT count(*)::int AS n, sum(total_cost)::text AS cost, sum(input_tokens)::text AS input FROM cost_records WHERE run_id = $1`,
      [runId],
    );
    expect(d.day.totals).toMatchObject({ records: db.n, totalCost: db.cost, inputTokens: Number(db.input) });
    expect(d.week.groups.map((g: any) => g.key)).toEqual([
      '2026-10-25',
      '2026-10-26',
      '2026-10-27',
      '2026-10-28',
      '2026-10-29',
      '2026-10-30',
      '2026-10-31',
    ]);
    expect(d.week.totals.records).toBe(7 * 20);
  });

  it('overview totals match the stored rows', async () => {
    const res = await app.gql(
      `query($r: ID!) { overview(runId: $r) { agentCount agentsByStatus { active inactive error } conversationCount storedConversationCount successRate inputTokens outputTokens totalCost from to } }`,
      { r: runId },
    );
    expectNoErrors(res);
    const o = res.data!.overview;
    const [m] = await sql(
      `SELECT sum(conversations)::int AS c, sum(total_tokens_input)::text AS i, sum(total_tokens_output)::text AS o,
              (sum(success_rate * conversations) / sum(conversations))::float8 AS s FROM daily_metrics WHERE run_id = $1`,
      [runId],
    );
    expect(o).toMatchObject({
      agentCount: 20,
      agentsByStatus: { active: 14, inactive: 4, error: 2 },
      conversationCount: m.c,
      storedConversationCount: 500,
      inputTokens: Number(m.i),
      outputTokens: Number(m.o),
      from: '2026-10-02',
      to: '2026-10-31',
    });
    expect(o.successRate).toBeCloseTo(m.s, 4);
    expect(Number(o.totalCost)).toBeGreaterThan(0);
  });

  it('filters an agent’s conversations by sentiment and date, and lists metrics, members and audit logs', async () => {
    // An agent with negative conversations and some in the last week, so the filters have rows to keep.
    const [agent] = await sql(
      `SELECT a.id FROM agents a WHERE a.run_id = $1
          AND EXISTS (SELECT 1 FROM conversations c WHERE c.run_id = a.run_id AND c.agent_id = a.id AND c.sentiment = 'NEGATIVE')
          AND EXISTS (SELECT 1 FROM conversations c WHERE c.run_id = a.run_id AND c.agent_id = a.id AND c.started_at >= '2026-10-25')
        ORDER BY a.name LIMIT 1`,
      [runId],
    );
    const res = await app.gql(
      `query($r: ID!, $a: ID!) {
        agent(runId: $r, id: $a) { name
          negative: conversations(filter: { sentiment: NEGATIVE }) { totalCount nodes { sentiment } }
          lastWeek: conversations(first: 500, filter: { from: "2026-10-25T00:00:00Z", to: "2026-11-01T00:00:00Z" }) { nodes { startedAt } }
          all: conversations { totalCount }
          dailyMetrics(first: 100, filter: { from: "2026-10-10", to: "2026-10-12" }) { nodes { date } } }
        dailyMetrics(filter: { runId: $r, agentId: $a }) { totalCount }
        admins: members(filter: { runId: $r, role: ADMIN }) { totalCount nodes { role agents { totalCount } } }
        logins: auditLogs(filter: { runId: $r, action: USER_LOGIN }) { totalCount nodes { action member { id } targetType } }
      }`,
      { r: runId, a: agent.id },
    );
    expectNoErrors(res);
    const d = res.data!;
    expect(nonEmpty(d.agent.negative.nodes).every((c: any) => c.sentiment === 'NEGATIVE')).toBe(true);
    expect(d.agent.negative.totalCount).toBeLessThan(d.agent.all.totalCount);
    expect(nonEmpty(d.agent.lastWeek.nodes).every((c: any) => c.startedAt >= '2026-10-25')).toBe(true);
    expect(d.agent.dailyMetrics.nodes.map((m: any) => m.date)).toEqual([
      '2026-10-10',
      '2026-10-11',
      '2026-10-12',
    ]);
    expect(d.dailyMetrics.totalCount).toBe(30);
    expect(d.admins.totalCount).toBe(2);
    expect(d.logins.totalCount).toBeGreaterThan(0);
    expect(
      nonEmpty(d.logins.nodes).every((l: any) => l.action === 'USER_LOGIN' && l.targetType === 'member'),
    ).toBe(true);
  });

  it('answers NOT_FOUND for an unknown run', async () => {
    const res = await app.gql(`{ overview(runId: "00000000-0000-4000-8000-00000000dead") { agentCount } }`);
    expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'runId' });
  });
});

describe('bad input', () => {
  it.each([
    ['zero days', { days: 0 }, 'input.days'],
    ['too many days', { days: 1000 }, 'input.days'],
    ['too few members', { members: 2 }, 'input.members'],
    ['no agents', { agents: 0 }, 'input.agents'],
    ['negative conversations', { conversations: -1 }, 'input.conversations'],
    ['too many audit logs', { auditLogs: 5_000_000 }, 'input.auditLogs'],
    // 20 agents: 2 created, 4 stopped for good, 2 deleted, 2 in trouble — each signed in and out.
    ['an audit log too small for the fleet’s story', { auditLogs: 29 }, 'input.auditLogs'],
    ['agents × days over the cap', { agents: 5000, days: 180 }, 'input.agents'],
    ['unparseable asOf', { asOf: 'next tuesday' }, 'input.asOf'],
    ['negative seed', { seed: -5 }, 'input.seed'],
  ])('%s → BAD_USER_INPUT, nothing written', async (_name, input: Record<string, unknown>, field) => {
    const [{ n: before }] = await sql(`SELECT count(*)::int AS n FROM generation_runs`);
    const res = await app.gql(GENERATE, { input });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    if (input.auditLogs === 29) expect(res.errors![0].message).toMatch(/needs at least 30\b/);
    const [{ n: after }] = await sql(`SELECT count(*)::int AS n FROM generation_runs`);
    expect(after).toBe(before);
  });
});
