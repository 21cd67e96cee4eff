import Decimal from 'decimal.js';
import { PERSONA_TASK, PRODUCT_TASK, REVIEW_TASK, textBatches, type Task } from '../llm/tasks';
import type { EstimateOptions } from '../llm';
import { OfflineTextWriter } from '../llm/offline-writer';
import type {
  PersonaBrief,
  PersonaCopy,
  ProductBrief,
  ProductCopy,
  ReviewBrief,
  ReviewCopy,
  TextWriter,
  WriterReport,
  EmbeddingItem,
} from '../llm/text-writer';
import { DiscardSink, generateScenarioRows } from './scenario/scenario-pipeline';
import type { ScenarioRequest } from './scenario/scenario-request';
import { PRICE_SOURCE, priceOf } from '../pricing/prices';
import {
  chatPromptTokens,
  embeddingInput,
  encodingOf,
  ENCODINGS,
  type EncodingName,
} from '../pricing/tokens';

/** Models every estimate is also priced for, side by side. */
export const COMPARED_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4-turbo', 'gpt-3.5-turbo'];

export interface PhaseEstimate {
  /** products, users (personas), reviews or embeddings. */
  phase: string;
  kind: 'chat' | 'embedding';
  model: string;
  calls: number;
  items: number;
  inputTokens: number;
  outputTokensLow: number;
  outputTokensHigh: number;
  inputPerMillion: string | null;
  outputPerMillion: string | null;
  costLowUsd: string | null;
  costHighUsd: string | null;
}

export interface ModelComparison {
  model: string;
  inputTokens: number;
  costLowUsd: string | null;
  costHighUsd: string | null;
}

export interface CostEstimate {
  provider: 'offline' | 'openai';
  model: string;
  phases: PhaseEstimate[];
  totals: {
    calls: number;
    inputTokens: number;
    outputTokensLow: number;
    outputTokensHigh: number;
    costLowUsd: string | null;
    costHighUsd: string | null;
  };
  comparison: ModelComparison[];
  priceSource: { name: string; version: string; date: string };
  warnings: string[];
}

/** Calls, texts and prompt tokens (per tokenizer) of one chat task, as the LLM writer would send them. */
interface ChatTally {
  task: Task<unknown, unknown>;
  calls: number;
  items: number;
  tokens: Record<EncodingName, number>;
}

/**
 * Stands in for the LLM writer while the scenario is generated in memory: each call is split into
 * the very batches the writer would send, and their prompts are counted with both tokenizers at
 * once, so no brief is kept and memory stays flat however large the run. Text comes offline.
 */
class UsageRecorder implements TextWriter {
  readonly name = 'estimate';
  readonly embeddingModel = 'none';
  readonly chat: ChatTally[];
  readonly embeddings = { calls: 0, items: 0, tokens: 0 };
  private readonly offline = new OfflineTextWriter();

  constructor(
    private readonly reviewBatch: number,
    private readonly embeddingBatch: number,
  ) {
    this.chat = [PRODUCT_TASK, PERSONA_TASK, REVIEW_TASK].map((task) => ({
      task: task as Task<unknown, unknown>,
      calls: 0,
      items: 0,
      tokens: { o200k_base: 0, cl100k_base: 0 },
    }));
  }

  private tally<B>(task: Task<B, unknown>, briefs: readonly B[]): void {
    const t = this.chat.find((c) => c.task === task)!;
    for (const batch of textBatches(task, briefs, this.reviewBatch)) {
      t.calls++;
      t.items += batch.length;
      const prompt = task.prompt(batch);
      for (const encoding of ENCODINGS) {
        t.tokens[encoding] += chatPromptTokens(encoding, task.system, prompt, task.schema);
      }
    }
  }

  products(briefs: readonly ProductBrief[]): Promise<ProductCopy[]> {
    this.tally(PRODUCT_TASK, briefs);
    return this.offline.products(briefs);
  }

  personas(briefs: readonly PersonaBrief[]): Promise<PersonaCopy[]> {
    this.tally(PERSONA_TASK, briefs);
    return this.offline.personas(briefs);
  }

  reviews(briefs: readonly ReviewBrief[]): Promise<ReviewCopy[]> {
    this.tally(REVIEW_TASK, briefs);
    return this.offline.reviews(briefs);
  }

  async embed(_phase: string, items: readonly EmbeddingItem[]): Promise<number[][]> {
    this.embeddings.calls += Math.ceil(items.length / this.embeddingBatch);
    this.embeddings.items += items.length;
    for (const item of items) this.embeddings.tokens += embeddingInput(item.text).tokens;
    // The rows go nowhere (DiscardSink): one empty vector per row is all the pipeline counts.
    return items.map(() => []);
  }

  report(): WriterReport {
    return this.offline.report();
  }
}

function price(model: string, inputTokens: number, outputTokens: number): string | null {
  const p = priceOf(model);
  if (!p) return null;
  return p.inputPerMillion
    .times(inputTokens)
    .plus(p.outputPerMillion.times(outputTokens))
    .dividedBy(1_000_000)
    .toFixed(8);
}

function sum(values: (string | null)[]): string | null {
  if (values.some((v) => v === null)) return null;
  return values.reduce((acc, v) => acc.plus(v as string), new Decimal(0)).toFixed(8);
}

/** A chat phase priced for `model`: its prompts as counted by that model's tokenizer. */
function chatPhase(model: string, { task, calls, items, tokens }: ChatTally): PhaseEstimate {
  const inputTokens = tokens[encodingOf(model)];
  const [low, high] = task.outputTokensPerItem;
  const p = priceOf(model);
  return {
    phase: task.phase,
    kind: 'chat',
    model,
    calls,
    items,
    inputTokens,
    outputTokensLow: items * low,
    outputTokensHigh: items * high,
    inputPerMillion: p?.inputPerMillion.toString() ?? null,
    outputPerMillion: p?.outputPerMillion.toString() ?? null,
    costLowUsd: price(model, inputTokens, items * low),
    costHighUsd: price(model, inputTokens, items * high),
  };
}

/**
 * The embeddings of products, users and reviews: each table's texts in calls of at most the
 * batch size, counted with cl100k_base. Review texts are the offline ones, so an LLM run's longer
 * or shorter reviews move this phase's actual tokens a little.
 */
function embeddingPhase(model: string, { calls, items, tokens }: UsageRecorder['embeddings']): PhaseEstimate {
  const p = priceOf(model);
  const cost = price(model, tokens, 0);
  return {
    phase: 'embeddings',
    kind: 'embedding',
    model,
    calls,
    items,
    inputTokens: tokens,
    outputTokensLow: 0,
    outputTokensHigh: 0,
    inputPerMillion: p?.inputPerMillion.toString() ?? null,
    outputPerMillion: p?.outputPerMillion.toString() ?? null,
    costLowUsd: cost,
    costHighUsd: cost,
  };
}

function totalsOf(phases: readonly PhaseEstimate[]): CostEstimate['totals'] {
  return {
    calls: phases.reduce((n, p) => n + p.calls, 0),
    inputTokens: phases.reduce((n, p) => n + p.inputTokens, 0),
    outputTokensLow: phases.reduce((n, p) => n + p.outputTokensLow, 0),
    outputTokensHigh: phases.reduce((n, p) => n + p.outputTokensHigh, 0),
    costLowUsd: sum(phases.map((p) => p.costLowUsd)),
    costHighUsd: sum(phases.map((p) => p.costHighUsd)),
  };
}

/**
 * What a scenario would cost with the LLM, before it runs: the scenario is generated in memory
 * (offline, nothing written) to collect the exact briefs and embedding texts, the very batches
 * the LLM writer would send are built, and their prompts are counted with the model's real
 * tokenizer. Output tokens come as a low/high range per item. The same calls are priced for the
 * compared chat models (embeddings stay on the embedding model).
 */
export async function estimateScenarioCost(
  request: ScenarioRequest,
  options: EstimateOptions,
): Promise<CostEstimate> {
  const recorder = new UsageRecorder(options.reviewBatch, options.embeddingBatch);
  await generateScenarioRows(recorder, request, '00000000-0000-4000-8000-000000000000', new DiscardSink());
  const embeddings = request.embeddings ? [embeddingPhase(options.embeddingModel, recorder.embeddings)] : [];
  const phasesFor = (model: string) => [...recorder.chat.map((t) => chatPhase(model, t)), ...embeddings];

  const warnings: string[] = [];
  for (const model of [options.model, options.embeddingModel]) {
    if (!priceOf(model)) warnings.push(`No known price for model ${model}: its costs are null, not $0.`);
  }
  if (options.provider === 'offline')
    warnings.push('The LLM is off (offline provider): a run would make no call and cost $0.');

  const phases = phasesFor(options.model);
  const comparison = COMPARED_MODELS.map((model) => {
    const totals = totalsOf(phasesFor(model));
    return {
      model,
      inputTokens: totals.inputTokens,
      costLowUsd: totals.costLowUsd,
      costHighUsd: totals.costHighUsd,
    };
  });
  return {
    provider: options.provider,
    model: options.model,
    phases,
    totals: totalsOf(phases),
    comparison,
    priceSource: { ...PRICE_SOURCE },
    warnings,
  };
}
