import type { EntityManager } from 'typeorm';
import type { ContractChecks } from '../../contract-checks';
import type { ScenarioRequest } from '../scenario-request';

/** What each part of the contract works with: the run's transaction, its request and the checks so far. */
export interface Contract {
  manager: EntityManager;
  runId: string;
  request: ScenarioRequest;
  checks: ContractChecks;
}

/** The one row a facts query returns. */
export async function facts<T>(
  contract: Contract,
  sql: string,
  params: unknown[] = [contract.runId],
): Promise<T> {
  return (await contract.manager.query(sql, params))[0];
}
