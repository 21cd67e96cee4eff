import { WaitArg } from './types/wait-arg';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { GenerationRun } from '../entities';
import { SCENARIOS } from '../generators/ecommerce/scenarios';
import type { Context } from '../src/graphql/context';
import { resolveScenarioRequest } from '../src/pipeline/scenario/scenario-request';
import { GenerateAllScenariosInput, GenerateScenarioInput } from './types/generate-scenario.input';
import { BadUserInputError } from '../src/errors';
import { ScenarioInfo } from './types/scenario-info.type';
import { Role } from '../src/roles';

/** Most inputs of one generateScenarios call. */
export const MAX_BATCH = 100;

@Authorized(Role.VIEWER)
@Resolver()
export class ScenarioResolver {
  @Query(() => [ScenarioInfo], { description: 'The 12 scenarios with their flags and default counts.' })
  scenarios(): ScenarioInfo[] {
    return SCENARIOS.map((s) => ({ ...s, counts: { ...s.counts } })) as ScenarioInfo[];
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => GenerationRun, {
    description:
      'Generates a scenario’s e-commerce world and stores it atomically. Bad input is refused with BAD_USER_INPUT and ' +
      'writes nothing; a run whose data breaks its contract (or fails to write) comes back FAILED with no rows kept.',
  })
  generateScenario(
    @Arg('input', () => GenerateScenarioInput) input: GenerateScenarioInput,
    @WaitArg() wait: boolean,
    @Ctx() ctx: Context,
  ): Promise<GenerationRun> {
    // "Today" is read here, at the edge; generation only ever sees the resolved asOf.
    const request = resolveScenarioRequest(input, new Date());
    return ctx.services.jobs.submitScenario(request, { wait, idempotencyKey: input.idempotencyKey });
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => [GenerationRun], {
    description:
      `Generates several scenarios (1–${MAX_BATCH} inputs), answered in input order. Every input is checked before ` +
      'any run starts (a bad one → BAD_USER_INPUT naming it, e.g. inputs[3].mainUser.age, and nothing runs); each ' +
      'input is its own run, so one failing does not undo the others. LLM answers are shared through the cache.',
  })
  generateScenarios(
    @Arg('inputs', () => [GenerateScenarioInput]) inputs: GenerateScenarioInput[],
    @WaitArg(true) wait: boolean,
    @Ctx() ctx: Context,
  ): Promise<GenerationRun[]> {
    if (inputs.length < 1 || inputs.length > MAX_BATCH) {
      throw new BadUserInputError(`Give 1–${MAX_BATCH} inputs (got ${inputs.length})`, 'inputs');
    }
    return submitBatch(ctx, inputs, 'inputs', wait);
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => [GenerationRun], {
    description:
      'All 12 scenarios (A1–C4, in that order) for one main user and product, with one seed and asOf: the set ' +
      'the Survey Sensei evaluation compares. Checked first, then one run per scenario, as generateScenarios.',
  })
  generateAllScenarios(
    @Arg('input', () => GenerateAllScenariosInput) input: GenerateAllScenariosInput,
    @WaitArg(true) wait: boolean,
    @Ctx() ctx: Context,
  ): Promise<GenerationRun[]> {
    const inputs = SCENARIOS.map((s) =>
      Object.assign(new GenerateScenarioInput(), input, { scenario: s.id }),
    );
    return submitBatch(ctx, inputs, 'input', wait);
  }
}

/** Resolves every input first (its errors named by where it came from), then queues them all. */
async function submitBatch(
  ctx: Context,
  inputs: GenerateScenarioInput[],
  argument: 'inputs' | 'input',
  wait: boolean,
): Promise<GenerationRun[]> {
  // One "today" for the whole batch, read at the edge.
  const now = new Date();
  const requests = inputs.map((input, i) => {
    try {
      return { request: resolveScenarioRequest(input, now), idempotencyKey: input.idempotencyKey };
    } catch (error) {
      if (!(error instanceof BadUserInputError)) throw error;
      throw error.movedTo('input', argument === 'inputs' ? `inputs[${i}]` : 'input');
    }
  });
  return ctx.services.jobs.submitScenarios(requests, wait);
}
