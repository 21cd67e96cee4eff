import type { EntityManager } from 'typeorm';
import type { ContractCheck } from '../../../entities/contract-check';
import { ContractChecks } from '../contract-checks';
import { checkAudit } from './contract/audit';
import type { Contract } from './contract/contract';
import { checkCounts, checkDecline, checkLifecycles } from './contract/fleet';
import { checkCosts, checkTrafficAndTokens } from './contract/traffic';
import type { DashboardRequest } from './dashboard-request';

/**
 * The consistency checks of a dashboard dataset, computed with SQL from the rows as stored —
 * inside the run's transaction, after they are written and before it commits — against the
 * request and the rules stated in the generators (status split, role permissions, lifecycle,
 * decline, the token shape of the run's pricing) and the one pricing module: counts and splits, every agent's starts and
 * stops alternating with its traffic only while it runs, inactive agents stopped for good,
 * error agents declining, each day's resolved conversations matching its success rate, plausible
 * tokens, costs equal to tokens × price, audit events allowed and pointing at real things.
 */
export async function checkDashboard(
  manager: EntityManager,
  runId: string,
  request: DashboardRequest,
): Promise<ContractCheck[]> {
  const checks = new ContractChecks();
  const asOf = request.asOf.toISOString();
  const start = new Date(request.asOf.getTime() - request.days * 86_400_000).toISOString();
  // $1 run, $2 asOf, $3 window start: each statement gets the ones it uses.
  const facts = async (sql: string) => {
    const used = Math.max(1, ...[...sql.matchAll(/\$(\d)/g)].map((m) => Number(m[1])));
    return (await manager.query(sql, [runId, asOf, start].slice(0, used)))[0] as Record<string, number>;
  };
  // A non-empty audit log tells the fleet's whole story; an empty one none of it.
  const contract: Contract = { request, checks, facts, logged: request.auditLogs > 0 };
  for (const part of [
    checkCounts,
    checkLifecycles,
    checkDecline,
    checkTrafficAndTokens,
    checkCosts,
    checkAudit,
  ]) {
    await part(contract);
  }
  return checks.list;
}
