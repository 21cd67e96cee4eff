import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { AgentMetrics } from '../../../entities/dashboard-summaries';
import { keysIn, SqlParams, visibleRuns } from '../listing';
import { rowKeyString, type RowKey } from './rows-by-key.loader';

interface MetricsRow {
  run_id: string;
  agent_id: string;
  total: string;
  response: number | null;
  success: number | null;
}

/** Each agent's traffic over the window, for a page of agents in one statement. */
export function createAgentMetricsLoader(dataSource: DataSource): DataLoader<RowKey, AgentMetrics, string> {
  return new DataLoader<RowKey, AgentMetrics, string>(
    async (keys) => {
      const params = new SqlParams();
      const tuples = keys.map((k) => [k.runId.toLowerCase(), k.id.toLowerCase()]);
      const rows: MetricsRow[] = await dataSource.query(
        `SELECT run_id, agent_id, sum(conversations)::text AS total,
                (sum(avg_response_time_ms::float8 * conversations) / nullif(sum(conversations), 0))::float8 AS response,
                (sum(success_rate * conversations) / nullif(sum(conversations), 0))::float8 AS success
           FROM daily_metrics WHERE ${keysIn(['run_id', 'agent_id'], tuples, params)} AND ${visibleRuns()}
          GROUP BY run_id, agent_id`,
        params.values,
      );
      const byKey = new Map(rows.map((r) => [`${r.run_id}|${r.agent_id}`, r]));
      return tuples.map(([runId, id]) => {
        const row = byKey.get(`${runId}|${id}`);
        return {
          totalConversations: Number(row?.total ?? 0),
          avgResponseTimeMs:
            row?.response === null || row?.response === undefined ? null : Math.round(row.response),
          successRate:
            row?.success === null || row?.success === undefined
              ? null
              : Math.round(row.success * 10_000) / 10_000,
        };
      });
    },
    { cacheKeyFn: rowKeyString, maxBatchSize: 1000 },
  );
}
