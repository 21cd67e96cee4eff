import Decimal from 'decimal.js';
import { PRODUCT_TASK, REVIEW_TASK, textBatches, type Task } from '../llm/llm-writer';
import { OfflineTextWriter } from '../llm/offline-writer';
import type {
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
import { chatInputTokens } from './tokens';

/** Models every estimate is also priced for, side by side. */
export const COMPARED_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4-turbo', 'gpt-3.5-turbo'];

export interface PhaseEstimate {
  phase: string;
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
  readonly reviewCalls: ReviewBrief[][] = [];
  private readonly offline = new OfflineTextWriter();

  products(briefs: readonly ProductBrief[]): Promise<ProductCopy[]> {
    this.productCalls.push([...briefs]);
    return this.offline.products(briefs);
  }

  reviews(briefs: readonly ReviewBrief[]): Promise<ReviewCopy[]> {
    this.reviewCalls.push([...briefs]);
    return this.offline.reviews(briefs);
  }

  embed(phase: 'products' | 'users' | 'reviews', texts: readonly string[]): Promise<number[][]> {
    return this.offline.embed(phase, texts);
  }

  report(): WriterReport {
    return this.offline.report();
  }
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

/**
 * What a scenario would cost with the LLM, before it runs: the scenario is generated in memory
 * (offline, nothing written) to collect the exact briefs, the very batches the LLM writer would
 * send are built, and their prompts are counted with the model's real tokenizer. Output tokens
 * come as a low/high range per item. The same calls are priced for the compared models.
 */
export async function estimateScenarioCost(
  request: ScenarioRequest,
  options: { provider: 'offline' | 'openai'; model: string; reviewBatch: number },
): Promise<CostEstimate> {
  const recorder = new BriefRecorder();
  await generateScenarioRows(recorder, request, '00000000-0000-4000-8000-000000000000', new DiscardSink());
  const planned: PlannedPhase[] = [
    {
      task: PRODUCT_TASK as Task<unknown, unknown>,
      batches: recorder.productCalls.flatMap((briefs) =>
        textBatches(PRODUCT_TASK, briefs, options.reviewBatch),
      ),
    },
    {
      task: REVIEW_TASK as Task<unknown, unknown>,
      batches: recorder.reviewCalls.flatMap((briefs) =>
        textBatches(REVIEW_TASK, briefs, options.reviewBatch),
      ),
    },
  ];
  const warnings: string[] = [];
  if (!priceOf(options.model))
    warnings.push(`No known price for model ${options.model}: its costs are null, not $0.`);
  if (options.provider === 'offline')
    warnings.push('The LLM is off (offline provider): a run would make no call and cost $0.');

  const phaseFor = (model: string) =>
    planned.map(({ task, batches }): PhaseEstimate => {
      const items = batches.reduce((n, b) => n + b.length, 0);
      const inputTokens = batches.reduce(
        (n, batch) => n + chatInputTokens(model, task.system, task.prompt(batch), task.schema),
        0,
      );
      const [low, high] = task.outputTokensPerItem;
      const outputTokensLow = items * low;
      const outputTokensHigh = items * high;
      const p = priceOf(model);
      return {
        phase: task.phase,
        model,
        calls: batches.length,
        items,
        inputTokens,
        outputTokensLow,
        outputTokensHigh,
        inputPerMillion: p?.inputPerMillion.toString() ?? null,
        outputPerMillion: p?.outputPerMillion.toString() ?? null,
        costLowUsd: price(model, inputTokens, outputTokensLow),
        costHighUsd: price(model, inputTokens, outputTokensHigh),
      };
    });

  const phases = phaseFor(options.model);
  const comparison = COMPARED_MODELS.map((model) => {
    const perPhase = phaseFor(model);
    return {
      model,
      inputTokens: perPhase.reduce((n, p) => n + p.inputTokens, 0),
      costLowUsd: sum(perPhase.map((p) => p.costLowUsd)),
      costHighUsd: sum(perPhase.map((p) => p.costHighUsd)),
    };
  });
  return {
    provider: options.provider,
    model: options.model,
    phases,
    totals: {
      calls: phases.reduce((n, p) => n + p.calls, 0),
      inputTokens: phases.reduce((n, p) => n + p.inputTokens, 0),
      outputTokensLow: phases.reduce((n, p) => n + p.outputTokensLow, 0),
      outputTokensHigh: phases.reduce((n, p) => n + p.outputTokensHigh, 0),
      costLowUsd: sum(phases.map((p) => p.costLowUsd)),
      costHighUsd: sum(phases.map((p) => p.costHighUsd)),
    },
    comparison,
    priceSource: { ...PRICE_SOURCE },
    warnings,
  };
}
