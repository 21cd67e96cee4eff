import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { DecimalScalar } from './scalars';
import { LlmCallKind, LlmPhase, TextProvider } from './enums';

@ObjectType({ description: 'Expected LLM usage of one phase of a run.' })
export class PhaseEstimateInfo {
  @Field(() => LlmPhase) phase!: `${LlmPhase}`;
  @Field(() => LlmCallKind) kind!: `${LlmCallKind}`;
  @Field() model!: string;
  @Field(() => Int) calls!: number;
  @Field(() => Int, { description: 'Texts asked for.' }) items!: number;
  @Field(() => GraphQLSafeInt, {
    description: 'Counted with the model’s tokenizer on the prompts that would be sent.',
  })
  inputTokens!: number;
  @Field(() => GraphQLSafeInt) outputTokensLow!: number;
  @Field(() => GraphQLSafeInt) outputTokensHigh!: number;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'USD per million input tokens; null when unknown.',
  })
  inputPerMillion!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) outputPerMillion!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) costLowUsd!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) costHighUsd!: string | null;
}

@ObjectType()
export class EstimateTotals {
  @Field(() => Int) calls!: number;
  @Field(() => GraphQLSafeInt) inputTokens!: number;
  @Field(() => GraphQLSafeInt) outputTokensLow!: number;
  @Field(() => GraphQLSafeInt) outputTokensHigh!: number;
  @Field(() => DecimalScalar, { nullable: true }) costLowUsd!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) costHighUsd!: string | null;
}

@ObjectType({
  description: 'The same calls priced for another chat model (embeddings stay on the embedding model).',
})
export class ModelComparisonInfo {
  @Field() model!: string;
  @Field(() => GraphQLSafeInt) inputTokens!: number;
  @Field(() => DecimalScalar, { nullable: true }) costLowUsd!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) costHighUsd!: string | null;
}

@ObjectType({ description: 'Where prices come from.' })
export class PriceSourceInfo {
  @Field() name!: string;
  @Field() version!: string;
  @Field({ description: 'Date of the price data (YYYY-MM-DD).' }) date!: string;
}

@ObjectType({ description: 'What a generateScenario input would cost with the LLM, before it runs.' })
export class CostEstimateInfo {
  @Field(() => TextProvider, { description: 'The provider a run would use now.' })
  provider!: `${TextProvider}`;
  @Field() model!: string;
  @Field(() => [PhaseEstimateInfo]) phases!: PhaseEstimateInfo[];
  @Field(() => EstimateTotals) totals!: EstimateTotals;
  @Field(() => [ModelComparisonInfo], {
    description: 'gpt-4o-mini, gpt-4o, gpt-4-turbo and gpt-3.5-turbo side by side.',
  })
  comparison!: ModelComparisonInfo[];
  @Field(() => PriceSourceInfo) priceSource!: PriceSourceInfo;
  @Field(() => [String]) warnings!: string[];
}

@ObjectType({ description: 'One phase of a run: the estimate it started with beside what its calls used.' })
export class PhaseCostInfo {
  @Field(() => LlmPhase) phase!: `${LlmPhase}`;
  @Field(() => LlmCallKind) kind!: `${LlmCallKind}`;
  @Field(() => Int, { nullable: true, description: 'Null when the run had no estimate (offline runs).' })
  estimatedCalls!: number | null;
  @Field(() => Int, { description: 'Calls made (sent or cached), repairs and failed ones included.' })
  calls!: number;
  @Field(() => Int) cachedCalls!: number;
  @Field(() => Int, { description: 'Planned calls not sent (budget or circuit breaker).' })
  skippedCalls!: number;
  @Field(() => GraphQLSafeInt, { nullable: true }) estimatedInputTokens!: number | null;
  @Field(() => GraphQLSafeInt) inputTokens!: number;
  @Field(() => GraphQLSafeInt, { nullable: true }) estimatedOutputTokensLow!: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true }) estimatedOutputTokensHigh!: number | null;
  @Field(() => GraphQLSafeInt) outputTokens!: number;
  @Field(() => DecimalScalar, { nullable: true }) estimatedCostLowUsd!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) estimatedCostHighUsd!: string | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'USD billed (cached calls are free); null when a model had no known price.',
  })
  costUsd!: string | null;
}
