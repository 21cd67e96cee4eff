import type DataLoader from 'dataloader';
import type { DataSource, ObjectLiteral } from 'typeorm';
import type { RowFilter } from '../listing';
import { orderOf } from '../list-order';
import type { Page, PageRequest } from '../pagination';
import type { VectorStorage } from '../../db/data-source';
import { createSimilarProductsLoader, type SimilarProduct } from './similar-products.loader';
import { createPageByParentLoader } from './page-by-parent.loader';
import { createRowByIdLoader, createRowByKeyLoader, type RowKey } from './rows-by-key.loader';
import { GenerationRun } from '../../../entities/generation-run.entity';
import type { CostSummary, Overview } from '../../../entities/dashboard-summaries';
import type { CostQuery } from '../dashboard-queries';
import { createCostSummaryLoader, createOverviewLoader } from './dashboard-summary.loader';
import { createAgentMetricsLoader } from './agent-metrics.loader';
import type { AgentMetrics } from '../../../entities/dashboard-summaries';
import { createStoredConversationsLoader, type AgentDayKey } from './stored-conversations.loader';

export type { RowKey } from './rows-by-key.loader';

type EntityClass<T> = { new (): T; name: string };

/**
 * The DataLoaders of one request, created lazily: one per (entity, key column) and one per
 * (entity, parent column, filter, page). Built fresh for every request so nothing is cached
 * across requests or users.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown, string>>();
  private runLoader?: DataLoader<string, GenerationRun | null, string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly vectorStorage: VectorStorage,
  ) {}

  /** The `first` most similar products of each product (by embedding). */
  similarProducts(first: number): DataLoader<RowKey, SimilarProduct[], string> {
    return this.memo(`similar:${first}`, () =>
      createSimilarProductsLoader(this.dataSource, this.vectorStorage, first),
    );
  }

  /** Agents' traffic over their run's window, by (runId, agent id). */
  agentMetrics(): DataLoader<RowKey, AgentMetrics, string> {
    return this.memo('agentMetrics', () => createAgentMetricsLoader(this.dataSource));
  }

  /** Stored conversations per agent-day, by (runId, agent id, date). */
  storedConversations(): DataLoader<AgentDayKey, number, string> {
    return this.memo('storedConversations', () => createStoredConversationsLoader(this.dataSource));
  }

  /** A dashboard run's headline numbers, by run id. */
  overview(): DataLoader<string, Overview, string> {
    return this.memo('overview', () => createOverviewLoader(this.dataSource));
  }

  /** A run's cost records summed the way `query` asks, by run id. */
  costSummary(query: CostQuery): DataLoader<string, CostSummary, string> {
    const key = `costSummary:${query.groupBy}:${query.from ?? ''}:${query.to ?? ''}`;
    return this.memo(key, () => createCostSummaryLoader(this.dataSource, query));
  }

  /** Generation runs by id. */
  run(): DataLoader<string, GenerationRun | null, string> {
    return (this.runLoader ??= createRowByIdLoader(this.dataSource, GenerationRun));
  }

  /** The row of `entity` with this (runId, id), or null. */
  byId<T extends ObjectLiteral>(entity: EntityClass<T>): DataLoader<RowKey, T | null, string> {
    return this.byColumn(entity, 'id');
  }

  /** The row of `entity` whose unique `column` has this value in the run, or null. */
  byColumn<T extends ObjectLiteral>(
    entity: EntityClass<T>,
    column: string,
  ): DataLoader<RowKey, T | null, string> {
    return this.memo(`${entity.name}:${column}`, () => createRowByKeyLoader(this.dataSource, entity, column));
  }

  /**
   * A page of `entity` rows per parent: `parentColumn` is the foreign key to the parent
   * (`product_id`), or null when the parent is the run itself. Keys are the parents' (runId, id).
   */
  pageOf<T extends ObjectLiteral>(
    entity: EntityClass<T>,
    parentColumn: string | null,
    filter: RowFilter | null | undefined,
    page: PageRequest,
  ): DataLoader<RowKey, Page<T>, string> {
    const key = `${entity.name}<${parentColumn}:${JSON.stringify(filter ?? null)}:${page.first}:${page.after}`;
    return this.memo(key, () =>
      createPageByParentLoader(this.dataSource, entity, orderOf(entity), parentColumn, filter, page),
    );
  }

  private memo<K, V>(key: string, create: () => DataLoader<K, V, string>): DataLoader<K, V, string> {
    let loader = this.loaders.get(key) as DataLoader<K, V, string> | undefined;
    if (!loader) {
      loader = create();
      this.loaders.set(key, loader as DataLoader<unknown, unknown, string>);
    }
    return loader;
  }
}
