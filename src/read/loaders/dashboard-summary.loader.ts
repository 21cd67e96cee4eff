import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { CostSummary, Overview } from '../../../entities/dashboard-summaries';
import { costSummaries, overviews, type CostQuery } from '../dashboard-queries';

const byRunId = { cacheKeyFn: (id: string) => id.toLowerCase(), maxBatchSize: 500 };

/** Overviews by run id: one statement per batch (a page of runs costs one, not one per run). */
export function createOverviewLoader(dataSource: DataSource): DataLoader<string, Overview, string> {
  return new DataLoader<string, Overview, string>((ids) => overviews(dataSource, ids), byRunId);
}

/** Cost summaries with the same grouping and dates by run id: two statements per batch. */
export function createCostSummaryLoader(
  dataSource: DataSource,
  query: CostQuery,
): DataLoader<string, CostSummary, string> {
  return new DataLoader<string, CostSummary, string>((ids) => costSummaries(dataSource, ids, query), byRunId);
}
