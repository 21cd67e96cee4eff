import type { EntityManager } from 'typeorm';
import { Agent, CostRecord, GenerationRun, Member } from '../../entities';
import { RunKind } from '../../entities/enums';
import type { Database } from '../data-source';
import type { LlmServices } from '../llm';
import { estimateScenarioCost } from '../pricing/estimate';
import { insertEntities } from './bulk-writer';
import { generatorVersion } from './generator-version';
import { pipelineRows } from './pipeline-agents';
import { NO_CONTROL, type RunControl } from './run-control';
import { EMBEDDED_STATEMENT_ROWS } from './bulk-writer';
import { ONE_TRANSACTION_MAX_ROWS } from './run-cleanup';
import { executeRun } from './run-executor';
import { createRun, type NewRun } from './run-record';
import { checkScenario } from './scenario-contract';
import { DatabaseSink, generateScenarioRows } from './scenario-pipeline';
import type { ScenarioRequest } from './scenario-request';

export interface ScenarioRunDeps {
  db: Database;
  llm: Pick<LlmServices, 'provider' | 'settings' | 'newWriter'>;
  /**
   * A test seam: runs inside the run's transaction after every row is written and before the
   * contract checks them (tests edit stored rows here to show each check can fail).
   */
  beforeContract?: (manager: EntityManager, runId: string) => Promise<void>;
}

/** The run record of a scenario request; with the LLM on, it carries the cost estimate. */
export async function scenarioRun(
  llm: ScenarioRunDeps['llm'],
  request: ScenarioRequest,
): Promise<Omit<NewRun, 'request'>> {
  return {
    kind: RunKind.SCENARIO,
    scenarioId: request.scenarioId,
    baseScenarioId: request.baseScenarioId,
    seed: request.seed,
    asOf: request.asOf,
    input: request.normalizedInput,
    generatorVersion: generatorVersion('scenario'),
    costEstimate: llm.provider === 'openai' ? await estimateScenarioCost(request, llm.settings) : null,
  };
}

/**
 * Runs one queued scenario run: every row is generated and written in one transaction, followed
 * by the pipeline's agents and the cost records of the calls they made, and checked against the
 * scenario's contract before it commits (see executeRun for failures and cancellation).
 */
export function executeScenarioRun(
  deps: ScenarioRunDeps,
  runId: string,
  request: ScenarioRequest,
  control: RunControl = NO_CONTROL,
): Promise<GenerationRun | null> {
  const { db, llm } = deps;
  const writer = llm.newWriter({ budgetUsd: request.maxCostUsd });
  return executeRun(
    db,
    runId,
    async (manager, id, ctl) => {
      const outcome = await generateScenarioRows(
        writer,
        request,
        id,
        new DatabaseSink(
          manager,
          db.vectorStorage,
          id,
          db.mode === 'embedded' ? EMBEDDED_STATEMENT_ROWS : undefined,
          !scenarioFitsOneTransaction(request),
        ),
        ctl,
      );
      const { products = 0, users = 0, reviews = 0 } = outcome.rowCounts;
      const pipeline = pipelineRows(id, request.asOf, writer.report(), llm.settings.reviewBatch, {
        products,
        users,
        reviews,
      });
      await insertEntities(manager, Member, [pipeline.member as Member]);
      await insertEntities(manager, Agent, pipeline.agents as Agent[]);
      await insertEntities(manager, CostRecord, pipeline.costRecords as CostRecord[]);
      await deps.beforeContract?.(manager, id);
      ctl.progress.phase('contract');
      return {
        ...outcome,
        contract: await checkScenario(manager, id, request),
        rowCounts: {
          ...outcome.rowCounts,
          members: 1,
          agents: pipeline.agents.length,
          costRecords: pipeline.costRecords.length,
        },
      };
    },
    () => writer.report(),
    control,
    scenarioFitsOneTransaction(request),
  );
}

/** Whether a scenario run is written in one transaction (see ONE_TRANSACTION_MAX_ROWS). */
export function scenarioFitsOneTransaction(request: ScenarioRequest): boolean {
  return request.maxRows <= ONE_TRANSACTION_MAX_ROWS;
}

/** Creates a scenario run and runs it right here, without a queue (benchmarks, tests). */
export async function runScenario(deps: ScenarioRunDeps, request: ScenarioRequest): Promise<GenerationRun> {
  const { id } = await createRun(deps.db, await scenarioRun(deps.llm, request));
  return (await executeScenarioRun(deps, id, request))!;
}
