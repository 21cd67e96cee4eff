import DataLoader from 'dataloader';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { fetchByColumns } from '../listing';

/** A row reference inside a run: (runId, value of the key column). */
export interface RowKey {
  runId: string;
  id: string;
}

export const rowKeyString = (key: RowKey): string => `${key.runId}|${key.id}`.toLowerCase();

/**
 * Rows of a run-scoped `entity` by (run_id, `column`): `id` for by-id lookups, a unique foreign key
 * such as `transaction_id` for one-to-one relations. One statement per batch; results in key order.
 */
export function createRowByKeyLoader<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  column: string,
): DataLoader<RowKey, T | null, string> {
  return new DataLoader<RowKey, T | null, string>(
    async (keys) => {
      const tuples = keys.map((k) => [k.runId.toLowerCase(), k.id.toLowerCase()]);
      const lists = await fetchByColumns<T>(dataSource, entity, ['run_id', column], tuples);
      return lists.map((rows) => rows[0] ?? null);
    },
    { cacheKeyFn: rowKeyString, maxBatchSize: 1000 },
  );
}

/** Rows of an entity keyed by `id` alone (generation runs). */
export function createRowByIdLoader<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
): DataLoader<string, T | null, string> {
  return new DataLoader<string, T | null, string>(
    async (ids) => {
      const lists = await fetchByColumns<T>(
        dataSource,
        entity,
        ['id'],
        ids.map((id) => [id.toLowerCase()]),
      );
      return lists.map((rows) => rows[0] ?? null);
    },
    { cacheKeyFn: (id) => id.toLowerCase(), maxBatchSize: 1000 },
  );
}
