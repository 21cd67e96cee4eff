import { DECLINE_DAYS } from '../../../../generators/dashboard/metrics';
import { isExactSplit, type ContractChecks } from '../../contract-checks';
import type { DashboardRequest } from '../dashboard-request';

/** What each part of the contract works with. */
export interface Contract {
  request: DashboardRequest;
  checks: ContractChecks;
  /** The one row of a statement over the run's rows ($1 run, $2 asOf, $3 window start). */
  facts: (sql: string) => Promise<Record<string, number>>;
  /** Whether the run has audit entries (an empty audit log tells none of the fleet's story). */
  logged: boolean;
}

/** `(VALUES ('a', 'b'), …)` of SQL literals (constants of this module only, never user input). */
export const values = (rows: (string | number)[][]) =>
  `(VALUES ${rows.map((r) => `(${r.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(', ')})`).join(', ')})`;

/** Admins / operators / viewers 20/40/40, exact, and at least one admin (the README's rule). */
export const roleSplitHolds = (roles: readonly number[]): boolean =>
  roles[0] >= 1 && isExactSplit(roles, [20, 40, 40]);

/** The days over which error agents decline (the whole window when it is shorter). */
export const declineDaysOf = (request: DashboardRequest) => Math.min(DECLINE_DAYS, request.days);
