import DataLoader from 'dataloader';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { fetchChildPages, type RowFilter } from '../listing';
import type { ListOrder } from '../list-order';
import type { Page, PageRequest } from '../pagination';
import { rowKeyString, type RowKey } from './rows-by-key.loader';

/**
 * The same page of children (same filter, `first` and `after`) for every parent in a batch:
 * `parentColumn` is the child's foreign key (`product_id`), or null for the children of a run.
 */
export function createPageByParentLoader<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  order: ListOrder,
  parentColumn: string | null,
  filter: RowFilter | null | undefined,
  page: PageRequest,
): DataLoader<RowKey, Page<T>, string> {
  const columns = parentColumn ? ['run_id', parentColumn] : ['run_id'];
  return new DataLoader<RowKey, Page<T>, string>(
    (keys) =>
      fetchChildPages<T>(
        dataSource,
        entity,
        order,
        columns,
        keys.map((k) => (parentColumn ? [k.runId, k.id] : [k.runId]).map((v) => v.toLowerCase())),
        filter,
        page,
      ),
    { cacheKeyFn: rowKeyString, maxBatchSize: 1000 },
  );
}
