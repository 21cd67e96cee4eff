import type { EntityManager } from 'typeorm';
import { Agent, CostRecord, GenerationRun, Member } from '../../entities';
import { RunKind } from '../../entities/enums';
import type { Database } from '../data-source';
import type { LlmServices } from '../llm';
import { estimateScenarioCost } from '../pricing/estimate';
import { insertEntities } from './bulk-writer';
import { generatorVersion } from './generator-version';
import { pipelineRows } from './pipeline-agents';
import { executeRun } from './run-executor';
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

/**
 * Runs one scenario generation: with the LLM on, the run's cost is estimated first and kept on
 * the run; every row is generated and written in one transaction, followed by the pipeline's
 * agents and the cost records of the calls they made, and checked against the scenario's
 * contract before it commits (see executeRun for failures).
 */
export async function runScenario(deps: ScenarioRunDeps, request: ScenarioRequest): Promise<GenerationRun> {
  const { db, llm } = deps;
  const writer = llm.newWriter({ budgetUsd: request.maxCostUsd });
  const costEstimate = llm.provider === 'openai' ? await estimateScenarioCost(request, llm.settings) : null;
  return executeRun(
    db,
    {
      kind: RunKind.SCENARIO,
      scenarioId: request.scenarioId,
      baseScenarioId: request.baseScenarioId,
      seed: request.seed,
      asOf: request.asOf,
      input: request.normalizedInput,
      generatorVersion: generatorVersion('scenario'),
      costEstimate,
    },
    async (manager, runId) => {
      const outcome = await generateScenarioRows(
        writer,
        request,
        runId,
        new DatabaseSink(manager, db.vectorStorage, runId),
      );
      const { products = 0, users = 0, reviews = 0 } = outcome.rowCounts;
      const pipeline = pipelineRows(runId, request.asOf, writer.report(), llm.settings.reviewBatch, {
        products,
        users,
        reviews,
      });
      await insertEntities(manager, Member, [pipeline.member as Member]);
      await insertEntities(manager, Agent, pipeline.agents as Agent[]);
      await insertEntities(manager, CostRecord, pipeline.costRecords as CostRecord[]);
      await deps.beforeContract?.(manager, runId);
      return {
        ...outcome,
        contract: await checkScenario(manager, runId, request),
        rowCounts: {
          ...outcome.rowCounts,
          members: 1,
          agents: pipeline.agents.length,
          costRecords: pipeline.costRecords.length,
        },
      };
    },
    () => writer.report(),
  );
}
