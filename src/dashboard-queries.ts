import type { DataSource } from 'typeorm';
import type { CostGroup, CostSummary, Overview } from '../entities/dashboard-summaries';
import { CostGroupBy } from '../entities/enums';
import { SqlParams } from './listing';

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

/**
 * Cost records of a run summed per day, agent or model (one statement), plus totals over the
 * same records (a second one). Dates are inclusive.
 */
export async function costSummary(
  dataSource: DataSource,
  runId: string,
  groupBy: CostGroupBy,
  from?: string | null,
  to?: string | null,
): Promise<CostSummary> {
  const params = new SqlParams();
  const where = [`c.run_id = ${params.add(runId.toLowerCase())}`];
  if (from) where.push(`c.date >= ${params.add(from)}::date`);
  if (to) where.push(`c.date <= ${params.add(to)}::date`);
  const g = GROUPS[groupBy];
  const sums = `count(*)::int AS records, sum(c.input_tokens)::text AS input_tokens,
                sum(c.output_tokens)::text AS output_tokens, sum(c.total_cost)::text AS total_cost`;
  const rows: (Totals & { key: string; label: string })[] = await dataSource.query(
    `SELECT ${g.key} AS key, ${g.label} AS label, ${sums}
       FROM cost_records c ${g.join} WHERE ${where.join(' AND ')}
      GROUP BY 1, 2 ORDER BY ${g.order}`,
    params.values,
  );
  const [all]: Totals[] = await dataSource.query(
    `SELECT ${sums} FROM cost_records c WHERE ${where.join(' AND ')}`,
    params.values,
  );
  const groups: CostGroup[] = rows.map((r) => ({ key: r.key, label: r.label, ...totals(r) }));
  return { groupBy, groups, totals: totals(all) };
}

/** Headline numbers of a run in one statement. */
export async function overview(dataSource: DataSource, runId: string): Promise<Overview> {
  const [row] = await dataSource.query(
    `SELECT
       (SELECT count(*) FROM agents WHERE run_id = $1)::int AS agents,
       (SELECT count(*) FROM agents WHERE run_id = $1 AND status = 'ACTIVE')::int AS active,
       (SELECT count(*) FROM agents WHERE run_id = $1 AND status = 'INACTIVE')::int AS inactive,
       (SELECT count(*) FROM agents WHERE run_id = $1 AND status = 'ERROR')::int AS error,
       (SELECT count(*) FROM conversations WHERE run_id = $1)::int AS stored,
       m.conversations, m.success, m.input_tokens, m.output_tokens, m.first_day, m.last_day,
       (SELECT sum(total_cost)::text FROM cost_records WHERE run_id = $1) AS total_cost
     FROM (SELECT sum(conversations)::text AS conversations,
                  (sum(success_rate * conversations) / NULLIF(sum(conversations), 0))::float8 AS success,
                  sum(total_tokens_input)::text AS input_tokens, sum(total_tokens_output)::text AS output_tokens,
                  to_char(min(date), 'YYYY-MM-DD') AS first_day, to_char(max(date), 'YYYY-MM-DD') AS last_day
             FROM daily_metrics WHERE run_id = $1) m`,
    [runId.toLowerCase()],
  );
  return {
    runId: runId.toLowerCase(),
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
}
