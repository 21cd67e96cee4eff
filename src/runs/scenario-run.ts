import type { EntityManager } from 'typeorm';
import { Agent, CostRecord, GenerationRun, Member } from '../../entities';
import { RunKind } from '../../entities/enums';
import { storedFingerprint } from '../pipeline/stored-fingerprint';
import type { Database } from '../db/data-source';
import type { LlmServices } from '../llm';
import Decimal from 'decimal.js';
import type { EmbeddingPlan, WriterReport } from '../llm/text-writer';
import { estimateScenarioCost } from '../pipeline/estimate';
import { insertEntities } from '../pipeline/bulk-writer';
import { generatorVersion } from '../pipeline/generator-version';
import { pipelineRows } from '../pipeline/scenario/pipeline-agents';
import { NO_CONTROL, type RunControl } from '../pipeline/run-control';
import { EMBEDDED_STATEMENT_ROWS } from '../pipeline/bulk-writer';
import { ONE_TRANSACTION_MAX_ROWS } from './run-cleanup';
import { COMMITTED_AS_IT_GOES, executeRun, ONE_TRANSACTION } from './run-executor';
import { createRun, storedCostEstimate, type NewRun, type RunOutcome } from './run-record';
import { checkScenario } from '../pipeline/scenario/scenario-contract';
import {
  DatabaseSink,
  generateScenarioRows,
  type GeneratedScenario,
} from '../pipeline/scenario/scenario-pipeline';
import type { ScenarioRequest } from '../pipeline/scenario/scenario-request';

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
export async function executeScenarioRun(
  deps: ScenarioRunDeps,
  runId: string,
  request: ScenarioRequest,
  control: RunControl = NO_CONTROL,
): Promise<GenerationRun | null> {
  const { db } = deps;
  const writer = deps.llm.newWriter({
    budgetUsd: request.maxCostUsd,
    embeddings: await embeddingPlan(deps, runId, request),
  });
  const oneTransaction = scenarioFitsOneTransaction(request);
  return executeRun(
    db,
    runId,
    async (manager, id, ctl) => {
      const generated = await generateScenarioRows(
        writer,
        request,
        id,
        new DatabaseSink(
          manager,
          db.vectorStorage,
          id,
          db.mode === 'embedded' ? EMBEDDED_STATEMENT_ROWS : undefined,
          !oneTransaction,
        ),
        ctl,
      );
      return completeScenario(deps, manager, id, request, generated, writer.report(), ctl);
    },
    () => writer.report(),
    control,
    oneTransaction ? ONE_TRANSACTION : COMMITTED_AS_IT_GOES,
  );
}

/**
 * After every row of a scenario is written (by one worker or by shards): the pipeline's agents
 * and the cost records of the calls they made, then the contract, checked on the stored rows, and
 * the fingerprint of those rows.
 */
export async function completeScenario(
  deps: ScenarioRunDeps,
  manager: EntityManager,
  runId: string,
  request: ScenarioRequest,
  generated: GeneratedScenario,
  report: WriterReport,
  control: RunControl,
): Promise<RunOutcome> {
  const { products = 0, users = 0, reviews = 0 } = generated.rowCounts;
  const pipeline = pipelineRows(runId, request.asOf, report, deps.llm.settings.reviewBatch, {
    products,
    users,
    reviews,
  });
  await insertEntities(manager, Member, [pipeline.member as Member]);
  await insertEntities(manager, Agent, pipeline.agents as Agent[]);
  await insertEntities(manager, CostRecord, pipeline.costRecords as CostRecord[]);
  await deps.beforeContract?.(manager, runId);
  control.progress.phase('contract');
  return {
    ...generated,
    contract: await checkScenario(manager, runId, request),
    fingerprint: await storedFingerprint(manager, runId, RunKind.SCENARIO),
    rowCounts: {
      ...generated.rowCounts,
      members: 1,
      agents: pipeline.agents.length,
      costRecords: pipeline.costRecords.length,
    },
  };
}

/**
 * What a budget run decides its vector space by before its first call — the rows it will embed
 * and its text's high-end cost — from the cost estimate stored with the run (made from the same
 * request, so the same rows), or made now for a run that has none. No rows: nothing to decide.
 */
async function embeddingPlan(
  deps: ScenarioRunDeps,
  runId: string,
  request: ScenarioRequest,
): Promise<EmbeddingPlan> {
  if (deps.llm.provider !== 'openai' || request.maxCostUsd === null || !request.embeddings) {
    return { rows: 0, textHighUsd: null };
  }
  const estimate =
    (await storedCostEstimate(deps.db, runId)) ?? (await estimateScenarioCost(request, deps.llm.settings));
  const chat = estimate.phases.filter((p) => p.kind === 'chat');
  return {
    rows: estimate.phases.find((p) => p.kind === 'embedding')?.items ?? 0,
    textHighUsd: chat.some((p) => p.costHighUsd === null)
      ? null
      : chat.reduce((sum, p) => sum.plus(p.costHighUsd!), new Decimal(0)).toString(),
  };
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
