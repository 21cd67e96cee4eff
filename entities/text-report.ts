import { Field, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../src/scalars';
import { LlmCallKind, LlmPhase, TextProvider } from './enums';

@ObjectType({ description: 'One LLM or embedding call of a run.' })
export class LlmCallInfo {
  @Field(() => LlmCallKind)
  kind!: `${LlmCallKind}`;

  @Field(() => LlmPhase, {
    description: 'Pipeline phase that made the call (an embedding call: the table embedded).',
  })
  phase!: `${LlmPhase}`;

  @Field({ description: 'The model as the server returned it (e.g. gpt-4o-mini-2024-07-18).' })
  model!: string;

  @Field(() => Int)
  inputTokens!: number;

  @Field(() => Int)
  outputTokens!: number;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'USD; 0 when served from the cache; null for an unpriced model.',
  })
  costUsd!: string | null;

  @Field()
  cached!: boolean;

  @Field(() => Int, { description: 'Texts the call was asked for.' })
  items!: number;
}

@ObjectType({ description: 'How a run’s text was written.' })
export class TextReport {
  @Field(() => TextProvider)
  provider!: `${TextProvider}`;

  @Field(() => String, { nullable: true })
  model!: string | null;

  @Field(() => Int, { description: 'Texts written by the model and validated.' })
  llmTexts!: number;

  @Field(() => Int, {
    description:
      'Texts asked of the model that came from the offline templates (invalid, missing or failed).',
  })
  fallbackTexts!: number;

  @Field(() => Int, { description: 'Texts written offline by choice.' })
  offlineTexts!: number;

  @Field(() => Int, { description: 'Calls that failed after their retries.' })
  failedCalls!: number;

  @Field(() => DecimalScalar, { nullable: true, description: 'The run’s budget (maxCostUsd), if any.' })
  budgetUsd!: string | null;

  @Field(() => Int, { description: 'Calls not made because they could have exceeded the budget.' })
  skippedCalls!: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the run stopped calling the provider: its circuit breaker opened after consecutive failed calls ' +
      '(MOCKFORGE_LLM_BREAKER_FAILURES). Null when it did not.',
  })
  breakerReason!: string | null;

  @Field(() => Int, {
    description: 'Calls not made because the circuit breaker was open (their texts were written offline).',
  })
  breakerSkippedCalls!: number;

  @Field(() => [LlmCallInfo], { description: 'The calls in the order the run planned them.' })
  calls!: LlmCallInfo[];
}
