import type { EntityManager } from 'typeorm';
import type { GenerationRun } from '../../entities';
import { RunKind } from '../../entities/enums';
import type { Database } from '../db/data-source';
import { writeDashboard } from '../pipeline/dashboard/dashboard-pipeline';
import type { DashboardRequest } from '../pipeline/dashboard/dashboard-request';
import { generatorVersion } from '../pipeline/generator-version';
import { NO_CONTROL, type RunControl } from '../pipeline/run-control';
import { ONE_TRANSACTION_MAX_ROWS } from './run-cleanup';
import { COMMITTED_AS_IT_GOES, executeRun, ONE_TRANSACTION } from './run-executor';
import { createRun, type NewRun } from './run-record';

/** The run record of a dashboard request. */
export function dashboardRun(request: DashboardRequest): Omit<NewRun, 'request'> {
  return {
    kind: RunKind.DASHBOARD,
    scenarioId: null,
    baseScenarioId: null,
    seed: request.seed,
    asOf: request.asOf,
    input: request.normalizedInput,
    generatorVersion: generatorVersion('dashboard'),
  };
}

/**
 * Runs one queued dashboard run (see executeRun for failures and cancellation). `beforeContract`
 * is a test seam: it runs inside the run's transaction after the rows are written and before the
 * contract checks them.
 */
export function executeDashboardRun(
  db: Database,
  runId: string,
  request: DashboardRequest,
  control: RunControl = NO_CONTROL,
  beforeContract?: (manager: EntityManager, runId: string) => Promise<void>,
): Promise<GenerationRun | null> {
  return executeRun(
    db,
    runId,
    (manager, id, ctl) =>
      writeDashboard(
        manager,
        request,
        id,
        ctl,
        { large: !dashboardFitsOneTransaction(request), embedded: db.mode === 'embedded' },
        beforeContract,
      ),
    undefined,
    control,
    dashboardFitsOneTransaction(request) ? ONE_TRANSACTION : COMMITTED_AS_IT_GOES,
  );
}

/** Whether a dashboard run is written in one transaction (see ONE_TRANSACTION_MAX_ROWS). */
export function dashboardFitsOneTransaction(request: DashboardRequest): boolean {
  const rows =
    request.members +
    request.agents +
    2 * request.agents * request.days +
    request.conversations +
    request.auditLogs;
  return rows <= ONE_TRANSACTION_MAX_ROWS;
}

/** Creates a dashboard run and runs it right here, without a queue (benchmarks, tests). */
export async function runDashboard(
  db: Database,
  request: DashboardRequest,
  beforeContract?: (manager: EntityManager, runId: string) => Promise<void>,
): Promise<GenerationRun> {
  const { id } = await createRun(db, dashboardRun(request));
  return (await executeDashboardRun(db, id, request, NO_CONTROL, beforeContract))!;
}
