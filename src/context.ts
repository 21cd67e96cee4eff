import type { Database } from './data-source';
import { Loaders } from './loaders';

/** What every resolver gets through `@Ctx()`: the database and this request's DataLoaders. */
export interface Context {
  db: Database;
  loaders: Loaders;
}

/** Builds the per-request context: fresh loaders, so no data is cached across requests. */
export function createContext(db: Database): Context {
  return { db, loaders: new Loaders(db.dataSource) };
}
