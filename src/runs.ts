import { GenerationRun } from '../entities';
import type { Database } from './data-source';
import { hydrate } from './listing';

/**
 * Deletes a run; foreign keys cascade to every row it generated. One statement, so it is atomic
 * on its own. Returns the run as it was, or null when there is no such run.
 */
export async function deleteRun(db: Database, id: string): Promise<GenerationRun | null> {
  const { dataSource } = db;
  const [rows] = await dataSource.query(`DELETE FROM generation_runs WHERE id = $1 RETURNING *`, [
    id.toLowerCase(),
  ]);
  const row = Array.isArray(rows) ? rows[0] : undefined;
  return row ? hydrate<GenerationRun>(dataSource, dataSource.getMetadata(GenerationRun), row) : null;
}
