import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { keysIn, SqlParams, visibleRuns } from '../listing';

/** One agent-day of a run. */
export interface AgentDayKey {
  runId: string;
  agentId: string;
  /** YYYY-MM-DD (UTC). */
  date: string;
}

const keyString = (k: AgentDayKey) => `${k.runId.toLowerCase()}|${k.agentId.toLowerCase()}|${k.date}`;

/**
 * How many stored conversations started on each agent-day (UTC), for a page of daily metrics in
 * one statement: the sample's share of the traffic that metric counts.
 */
export function createStoredConversationsLoader(
  dataSource: DataSource,
): DataLoader<AgentDayKey, number, string> {
  return new DataLoader<AgentDayKey, number, string>(
    async (keys) => {
      const params = new SqlParams();
      const agents = [...new Set(keys.map((k) => `${k.runId.toLowerCase()}|${k.agentId.toLowerCase()}`))].map(
        (s) => s.split('|'),
      );
      const rows: { run_id: string; agent_id: string; day: string; n: number }[] = await dataSource.query(
        `SELECT run_id, agent_id, to_char((started_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS n
           FROM conversations WHERE ${keysIn(['run_id', 'agent_id'], agents, params)} AND ${visibleRuns()}
          GROUP BY 1, 2, 3`,
        params.values,
      );
      const counts = new Map(rows.map((r) => [`${r.run_id}|${r.agent_id}|${r.day}`, r.n]));
      return keys.map((k) => counts.get(keyString(k)) ?? 0);
    },
    { cacheKeyFn: keyString, maxBatchSize: 1000 },
  );
}
