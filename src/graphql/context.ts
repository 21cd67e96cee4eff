import type { Principal } from './auth';
import type { Database } from '../db/data-source';
import type { RunJobs } from '../runs/run-jobs';
import type { LlmServices } from '../llm';
import { Loaders } from '../read/loaders';

/** Long-lived collaborators, built once at start. */
export interface Services {
  /** Writes generated text (offline templates by default, or an LLM) and caches LLM answers. */
  llm: LlmServices;
  /** Queues, runs, watches and cancels generation runs. */
  jobs: RunJobs;
}

/** What every resolver gets through `@Ctx()`: the database, the services and this request's DataLoaders. */
export interface Context {
  db: Database;
  services: Services;
  loaders: Loaders;
  /** Who sent the request (its API key's role), for `@Authorized`. */
  principal: Principal;
}

/** Builds the per-request context: fresh loaders, so no data is cached across requests. */
export function createContext(db: Database, services: Services, principal: Principal): Context {
  return { db, services, principal, loaders: new Loaders(db.dataSource, db.vectorStorage) };
}
