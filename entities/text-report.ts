import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Refusal } from './enums';
import { DecimalScalar } from './scalars';
import { LlmCallKind, LlmCallOutcome, LlmPhase, TextProvider } from './enums';

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

  @Field(() => Int, { description: 'Texts (or rows to embed) the call was for.' })
  items!: number;

  @Field(() => LlmCallOutcome, {
    nullable: true,
    description: 'What became of the call; null for runs recorded before (they list answered calls only).',
  })
  outcome!: `${LlmCallOutcome}` | null;
}

@ObjectType({ description: 'Where a run’s vectors came from: every vector of a run is from one space.' })
export class EmbeddingSpaceInfo {
  @Field({
    description:
      'The label every vector of the run carries: the embedding model, or offline-feature-hash-1536 (the offline space).',
  })
  model!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the vectors are offline although the LLM is on: the embeddings’ worst case did not fit the budget. Null otherwise.',
  })
  offlineReason!: string | null;
}

registerEnumType(Refusal, {
  name: 'TextRefusalReason',
  description: 'Why a well-formed model text was refused as not making sense for what was asked.',
  valuesConfig: {
    LANGUAGE: { description: 'Not in English (another script, or hardly any English function words).' },
    UNFINISHED: { description: 'Stops mid-sentence.' },
    OFF_TOPIC: { description: 'Names neither the product, its type nor its brand.' },
    SENTIMENT: { description: 'Its words say the opposite of its stars.' },
    PURCHASE_STATUS: {
      description: 'Talks of a return that was not made, or keeps quiet about one that was.',
    },
  },
});

@ObjectType({ description: 'How many model texts a run refused for one reason.' })
export class TextRefusal {
  @Field(() => Refusal)
  reason!: `${Refusal}`;

  @Field(() => Int)
  count!: number;
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

  @Field(() => [TextRefusal], {
    nullable: true,
    description:
      'Well-formed model texts refused as not making sense for what was asked, by reason; each was asked ' +
      'again once, then written offline (fallbackTexts). Null for runs recorded before the checks.',
  })
  refusedTexts!: TextRefusal[] | null;

  @Field(() => EmbeddingSpaceInfo, {
    nullable: true,
    description: 'The run’s vector space; null when it embedded nothing, or for runs recorded before.',
  })
  embeddings!: EmbeddingSpaceInfo | null;

  @Field(() => [LlmCallInfo], {
    description:
      'Every call the run planned, in planning order: answered, failed and skipped ones (see outcome).',
  })
  calls!: LlmCallInfo[];
}
