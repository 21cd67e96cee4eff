import DataLoader from 'dataloader';
import type { DataSource, ObjectLiteral } from 'typeorm';
import { Product } from '../../../entities';
import type { VectorStorage } from '../../db/data-source';
import { hydrate } from '../../db/hydrate';
import { visibleRuns } from '../listing';
import { rowKeyString, type RowKey } from './rows-by-key.loader';

export interface SimilarProduct {
  product: Product;
  /** Cosine similarity (-1…1; the vectors are unit length). */
  score: number;
}

/**
 * The `first` products of the same run closest to each product, by cosine similarity of their
 * embeddings: pgvector's `<=>` where the column is a vector, a dot product over the unit-length
 * `real[]` otherwise. One statement for a whole batch of products (a LATERAL join per product).
 */
export function createSimilarProductsLoader(
  dataSource: DataSource,
  storage: VectorStorage,
  first: number,
): DataLoader<RowKey, SimilarProduct[], string> {
  const score =
    storage === 'pgvector'
      ? '1 - (e.embedding <=> q.embedding)'
      : '(SELECT sum(a * b) FROM unnest(e.embedding, q.embedding) AS t(a, b))';
  return new DataLoader<RowKey, SimilarProduct[], string>(
    async (keys) => {
      const rows: ObjectLiteral[] = await dataSource.query(
        `SELECT k.run_id AS __run, k.product_id AS __source, s.score::float8 AS __score, p.*
           FROM unnest($1::uuid[], $2::uuid[]) AS k(run_id, product_id)
           JOIN product_embeddings q ON q.run_id = k.run_id AND q.product_id = k.product_id
           CROSS JOIN LATERAL (
             SELECT e.product_id, ${score} AS score FROM product_embeddings e
              WHERE e.run_id = k.run_id AND e.product_id <> k.product_id
              ORDER BY score DESC, e.product_id LIMIT $3) s
           JOIN products p ON p.run_id = k.run_id AND p.id = s.product_id
          WHERE ${visibleRuns('k')}
          ORDER BY k.run_id, k.product_id, s.score DESC, p.id`,
        [keys.map((k) => k.runId.toLowerCase()), keys.map((k) => k.id.toLowerCase()), first],
      );
      const meta = dataSource.getMetadata(Product);
      const byKey = new Map<string, SimilarProduct[]>();
      for (const row of rows) {
        const key = `${row.__run}|${row.__source}`;
        const list = byKey.get(key) ?? [];
        list.push({ product: hydrate<Product>(dataSource, meta, row), score: Number(row.__score) });
        byKey.set(key, list);
      }
      return keys.map((k) => byKey.get(rowKeyString(k)) ?? []);
    },
    { cacheKeyFn: rowKeyString, maxBatchSize: 500 },
  );
}
