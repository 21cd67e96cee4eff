import Decimal from 'decimal.js';
import { PERSONA_TASK, PRODUCT_TASK, REVIEW_TASK, textBatches, type Task } from '../llm/llm-writer';
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
} from '../llm/text-writer';
import { DiscardSink, generateScenarioRows } from '../pipeline/scenario-pipeline';
import type { ScenarioRequest } from '../pipeline/scenario-request';
import { PRICE_SOURCE, priceOf } from './prices';
import { chatInputTokens, embeddingTokens } from './tokens';

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

/** Keeps every brief the pipeline hands to the writer (and answers offline). */
class BriefRecorder implements TextWriter {
  readonly name = 'estimate';
  readonly embeddingModel = 'none';
  /** Briefs per writer call, as the pipeline makes them (one per chunk of orders for reviews). */
  readonly productCalls: ProductBrief[][] = [];
  readonly personaCalls: PersonaBrief[][] = [];
  readonly reviewCalls: ReviewBrief[][] = [];
  /** Texts per embed call. */
  readonly embedCalls: string[][] = [];
  private readonly offline = new OfflineTextWriter();

  products(briefs: readonly ProductBrief[]): Promise<ProductCopy[]> {
    this.productCalls.push([...briefs]);
    return this.offline.products(briefs);
  }

  personas(briefs: readonly PersonaBrief[]): Promise<PersonaCopy[]> {
    this.personaCalls.push([...briefs]);
    return this.offline.personas(briefs);
  }

  reviews(briefs: readonly ReviewBrief[]): Promise<ReviewCopy[]> {
    this.reviewCalls.push([...briefs]);
    return this.offline.reviews(briefs);
  }

  embed(phase: 'products' | 'users' | 'reviews', texts: readonly string[]): Promise<number[][]> {
    this.embedCalls.push([...texts]);
    return this.offline.embed(phase, texts);
  }

  report(): WriterReport {
    return this.offline.report();
  }
}

/** What the estimate needs to know about the LLM settings (see LlmServices). */
export interface EstimateOptions {
  provider: 'offline' | 'openai';
  model: string;
  embeddingModel: string;
  reviewBatch: number;
  embeddingBatch: number;
}

interface PlannedPhase {
  task: Task<unknown, unknown>;
  batches: unknown[][];
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

/** A chat phase priced for `model`: its prompts counted with that model's tokenizer. */
function chatPhase(model: string, { task, batches }: PlannedPhase): PhaseEstimate {
  const items = batches.reduce((n, b) => n + b.length, 0);
  const inputTokens = batches.reduce(
    (n, batch) => n + chatInputTokens(model, task.system, task.prompt(batch), task.schema),
    0,
  );
  const [low, high] = task.outputTokensPerItem;
  const p = priceOf(model);
  return {
    phase: task.phase,
    kind: 'chat',
    model,
    calls: batches.length,
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
 * The embeddings of products, users and reviews: the pipeline embeds each table's texts in calls
 * of at most `batch` inputs, counted with cl100k_base. Review texts are the offline ones, so an
 * LLM run's longer or shorter reviews move this phase's actual tokens a little.
 */
function embeddingPhase(model: string, embedCalls: readonly string[][], batch: number): PhaseEstimate {
  const items = embedCalls.reduce((n, texts) => n + texts.length, 0);
  const inputTokens = embedCalls.reduce(
    (n, texts) => n + texts.reduce((m, text) => m + embeddingTokens(text), 0),
    0,
  );
  const p = priceOf(model);
  const cost = price(model, inputTokens, 0);
  return {
    phase: 'embeddings',
    kind: 'embedding',
    model,
    calls: embedCalls.reduce((n, texts) => n + Math.ceil(texts.length / batch), 0),
    items,
    inputTokens,
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
  const recorder = new BriefRecorder();
  await generateScenarioRows(recorder, request, '00000000-0000-4000-8000-000000000000', new DiscardSink());
  const plan = (task: Task<unknown, unknown>, calls: unknown[][]): PlannedPhase => ({
    task,
    batches: calls.flatMap((briefs) => textBatches(task, briefs, options.reviewBatch)),
  });
  const planned: PlannedPhase[] = [
    plan(PRODUCT_TASK as Task<unknown, unknown>, recorder.productCalls),
    plan(PERSONA_TASK as Task<unknown, unknown>, recorder.personaCalls),
    plan(REVIEW_TASK as Task<unknown, unknown>, recorder.reviewCalls),
  ];
  const embeddings = request.embeddings
    ? [embeddingPhase(options.embeddingModel, recorder.embedCalls, options.embeddingBatch)]
    : [];
  const phasesFor = (model: string) => [...planned.map((p) => chatPhase(model, p)), ...embeddings];

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
