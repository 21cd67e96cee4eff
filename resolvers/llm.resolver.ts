import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GenerationRun } from '../entities';
import type { Context } from '../src/graphql/context';
import { DecimalScalar } from '../entities/scalars';
import { resolveScenarioRequest } from '../src/pipeline/scenario/scenario-request';
import { estimateScenarioCost } from '../src/pipeline/estimate';
import { CacheStatsInfo } from './types/cache-stats.type';
import { CostEstimateInfo, PhaseCostInfo } from '../entities/cost-estimate';
import type { WriterReport } from '../src/llm/text-writer';
import { actualCost, compareCosts } from '../src/pipeline/cost-comparison';
import { GenerateScenarioInput } from './types/generate-scenario.input';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver(() => GenerationRun)
export class LlmResolver {
  @Query(() => CacheStatsInfo, {
    description: 'Entries, valid entries, size and hit rate of the LLM answer cache.',
  })
  cacheStats(@Ctx() ctx: Context): Promise<CacheStatsInfo> {
    return ctx.services.llm.cache.stats();
  }

  @Authorized(Role.OPERATOR)
  @Query(() => CostEstimateInfo, {
    description:
      'What generateScenario with this input would cost with the LLM: calls, tokens (real tokenizer) and USD per phase, ' +
      'priced for the configured model and compared across models. Same validation as generateScenario.',
  })
  costEstimate(
    @Arg('input', () => GenerateScenarioInput) input: GenerateScenarioInput,
    @Ctx() ctx: Context,
  ): Promise<CostEstimateInfo> {
    // Phases, kinds and providers are the GraphQL enums' values (plain strings in src/pricing).
    return estimateScenarioCost(
      resolveScenarioRequest(input, new Date()),
      ctx.services.llm.settings,
    ) as Promise<CostEstimateInfo>;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => Int, {
    description: 'Empties the LLM answer cache; returns how many entries were removed.',
  })
  clearCache(@Ctx() ctx: Context): Promise<number> {
    return ctx.services.llm.cache.clear();
  }

  @FieldResolver(() => DecimalScalar, {
    nullable: true,
    description:
      'What the run’s LLM calls actually cost (USD; cached calls are free); null if a model had no price.',
  })
  actualCostUsd(@Root() run: GenerationRun): string | null {
    return actualCost(run.textReport as WriterReport | null);
  }

  @FieldResolver(() => [PhaseCostInfo], {
    description:
      'Per phase (products, users, reviews, embeddings): calls, tokens and USD the run was estimated at beside what it used.',
  })
  costByPhase(@Root() run: GenerationRun): PhaseCostInfo[] {
    return compareCosts(run.costEstimate, run.textReport as WriterReport | null) as PhaseCostInfo[];
  }
}
