import type { DataSource } from 'typeorm';
import type { CostGroup, CostSummary, Overview } from '../../entities/dashboard-summaries';
import { CostGroupBy } from '../../entities/enums';
import { SqlParams, visibleRuns } from './listing';

const GROUPS: Record<CostGroupBy, { key: string; label: string; join: string; order: string }> = {
  [CostGroupBy.DAY]: {
    key: `to_char(c.date, 'YYYY-MM-DD')`,
    label: `to_char(c.date, 'YYYY-MM-DD')`,
    join: '',
    order: 'key',
  },
  [CostGroupBy.AGENT]: {
    key: 'c.agent_id::text',
    label: 'a.name',
    join: 'JOIN agents a ON a.run_id = c.run_id AND a.id = c.agent_id',
    order: 'label, key',
  },
  [CostGroupBy.MODEL]: { key: 'c.model', label: 'c.model', join: '', order: 'key' },
};

interface Totals {
  records: number;
  input_tokens: string | null;
  output_tokens: string | null;
  total_cost: string | null;
}

const totals = (row: Totals) => ({
  records: Number(row.records),
  inputTokens: Number(row.input_tokens ?? 0),
  outputTokens: Number(row.output_tokens ?? 0),
  totalCost: row.total_cost ?? '0',
});

/** The window of a cost summary: a grouping and an optional inclusive date range. */
export interface CostQuery {
  groupBy: CostGroupBy;
  from?: string | null;
  to?: string | null;
}

/**
 * Cost records of each run summed per day, agent or model (one statement), plus totals over the
 * same records (a second one), for a batch of runs at once. Dates are inclusive. Results in the
 * order of `runIds`.
 */
export async function costSummaries(
  dataSource: DataSource,
  runIds: readonly string[],
  { groupBy, from, to }: CostQuery,
): Promise<CostSummary[]> {
  const params = new SqlParams();
  const where = [
    `c.run_id = ANY(${params.add(runIds.map((id) => id.toLowerCase()))}::uuid[])`,
    visibleRuns('c'),
  ];
  if (from) where.push(`c.date >= ${params.add(from)}::date`);
  if (to) where.push(`c.date <= ${params.add(to)}::date`);
  const g = GROUPS[groupBy];
  const sums = `count(*)::int AS records, sum(c.input_tokens)::text AS input_tokens,
                sum(c.output_tokens)::text AS output_tokens, sum(c.total_cost)::text AS total_cost`;
  const rows: (Totals & { run_id: string; key: string; label: string })[] = await dataSource.query(
    `SELECT c.run_id, ${g.key} AS key, ${g.label} AS label, ${sums}
       FROM cost_records c ${g.join} WHERE ${where.join(' AND ')}
      GROUP BY 1, 2, 3 ORDER BY 1, ${g.order}`,
    params.values,
  );
  const all: (Totals & { run_id: string })[] = await dataSource.query(
    `SELECT c.run_id, ${sums} FROM cost_records c WHERE ${where.join(' AND ')} GROUP BY 1`,
    params.values,
  );
  const none: Totals = { records: 0, input_tokens: null, output_tokens: null, total_cost: null };
  return runIds.map((id) => {
    const runId = id.toLowerCase();
    const groups: CostGroup[] = rows
      .filter((r) => r.run_id === runId)
      .map((r) => ({ key: r.key, label: r.label, ...totals(r) }));
    return { groupBy, groups, totals: totals(all.find((r) => r.run_id === runId) ?? none) };
  });
}

interface OverviewRow {
  run_id: string;
  agents: number;
  active: number;
  inactive: number;
  error: number;
  stored: number;
  conversations: string | null;
  success: number | null;
  input_tokens: string | null;
  output_tokens: string | null;
  first_day: string | null;
  last_day: string | null;
  total_cost: string | null;
}

/** Headline numbers of each run of a batch, in one statement; results in the order of `runIds`. */
export async function overviews(dataSource: DataSource, runIds: readonly string[]): Promise<Overview[]> {
  const rows: OverviewRow[] = await dataSource.query(
    `SELECT r.id AS run_id,
       (SELECT count(*) FROM agents WHERE run_id = r.id)::int AS agents,
       (SELECT count(*) FROM agents WHERE run_id = r.id AND status = 'ACTIVE')::int AS active,
       (SELECT count(*) FROM agents WHERE run_id = r.id AND status = 'INACTIVE')::int AS inactive,
       (SELECT count(*) FROM agents WHERE run_id = r.id AND status = 'ERROR')::int AS error,
       (SELECT count(*) FROM conversations WHERE run_id = r.id)::int AS stored,
       m.conversations, m.success, m.input_tokens, m.output_tokens, m.first_day, m.last_day,
       (SELECT sum(total_cost)::text FROM cost_records WHERE run_id = r.id) AS total_cost
     FROM (SELECT id FROM unnest($1::uuid[]) AS u(id)
            WHERE id IN (SELECT id FROM generation_runs WHERE status = 'SUCCEEDED')) AS r
     CROSS JOIN LATERAL (
       SELECT sum(conversations)::text AS conversations,
              (sum(success_rate * conversations) / NULLIF(sum(conversations), 0))::float8 AS success,
              sum(total_tokens_input)::text AS input_tokens, sum(total_tokens_output)::text AS output_tokens,
              to_char(min(date), 'YYYY-MM-DD') AS first_day, to_char(max(date), 'YYYY-MM-DD') AS last_day
         FROM daily_metrics WHERE run_id = r.id) m`,
    [runIds.map((id) => id.toLowerCase())],
  );
  return runIds.map((id) => {
    // A run that has not succeeded shows nothing yet.
    const row = rows.find((r) => r.run_id === id.toLowerCase()) ?? emptyOverview(id.toLowerCase());
    return {
      runId: row.run_id,
      agents: row.agents,
      agentsByStatus: { active: row.active, inactive: row.inactive, error: row.error },
      conversations: Number(row.conversations ?? 0),
      storedConversations: row.stored,
      successRate: row.success === null ? null : Math.round(Number(row.success) * 10_000) / 10_000,
      inputTokens: Number(row.input_tokens ?? 0),
      outputTokens: Number(row.output_tokens ?? 0),
      totalCost: row.total_cost ?? '0',
      from: row.first_day,
      to: row.last_day,
    };
  });
}

function emptyOverview(runId: string): OverviewRow {
  return {
    run_id: runId,
    agents: 0,
    active: 0,
    inactive: 0,
    error: 0,
    stored: 0,
    conversations: null,
    success: null,
    input_tokens: null,
    output_tokens: null,
    first_day: null,
    last_day: null,
    total_cost: null,
  };
}
