import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { GenerationRun } from '../entities';
import { SCENARIOS } from '../generators/ecommerce/scenarios';
import type { Context } from '../src/context';
import { resolveScenarioRequest } from '../src/pipeline/scenario-request';
import { GenerateScenarioInput } from './types/generate-scenario.input';
import { ScenarioInfo } from './types/scenario-info.type';
import { Role } from '../src/auth';

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
    @Arg('wait', () => Boolean, {
      defaultValue: true,
      description: 'true: answer with the finished run; false: answer at once, the run QUEUED or RUNNING.',
    })
    wait: boolean,
    @Ctx() ctx: Context,
  ): Promise<GenerationRun> {
    // "Today" is read here, at the edge; generation only ever sees the resolved asOf.
    const request = resolveScenarioRequest(input, new Date());
    return ctx.services.jobs.submitScenario(request, { wait, idempotencyKey: input.idempotencyKey });
  }
}
