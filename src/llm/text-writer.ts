import type { Refusal } from './sense-checks';
import type { PersonaBrief, ProductBrief, ReviewBrief } from '../../generators/briefs';

export type { PersonaBrief, ProductBrief, ReviewBrief } from '../../generators/briefs';

/**
 * The text port. Generators decide every value (ids, prices, stars, dates); a TextWriter only
 * turns briefs into words. The offline writer fills them from deterministic templates; the LLM
 * writer (when configured) asks a model and falls back to the offline text for anything invalid.
 */

export interface ProductCopy {
  title: string;
  description: string;
}

export interface PersonaCopy {
  /** A short shopping persona: habits, priorities, how they decide and review. */
  persona: string;
}

export interface ReviewCopy {
  title: string;
  text: string;
}

/**
 * What became of a planned call. ANSWERED: the answer was used (or refused text by text);
 * UNUSABLE: answered and billed, but unusable as a whole (embeddings of the wrong shape); FAILED:
 * no answer after its retries (nothing billed); SKIPPED_*: never sent.
 */
export type LlmCallOutcome = 'ANSWERED' | 'UNUSABLE' | 'FAILED' | 'SKIPPED_BUDGET' | 'SKIPPED_BREAKER';

/** Whether a call was billed: sent, answered and not from the cache (runs recorded before outcomes: every call listed). */
export function billed(call: LlmCallRecord): boolean {
  return !call.cached && (call.outcome ?? 'ANSWERED') !== 'FAILED' && !call.outcome?.startsWith('SKIPPED');
}

/** One LLM or embedding call, as the run's ledger records it. */
export interface LlmCallRecord {
  kind: 'chat' | 'embedding';
  phase: string;
  /** The model as the server named it (e.g. gpt-4o-mini-2024-07-18). */
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** USD as a decimal string; null for a model without a known price; "0" when served from the cache. */
  costUsd: string | null;
  cached: boolean;
  items: number;
  /** Absent in runs recorded before outcomes were (they list answered calls only). */
  outcome?: LlmCallOutcome;
}

/** What a budget run plans its vector space by (from its cost estimate). */
export interface EmbeddingPlan {
  /** Rows the run will embed. */
  rows: number;
  /** USD its text calls cost at the estimate's high end; null = unpriced (never called under a budget). */
  textHighUsd: string | null;
}

/** Where a run's vectors came from: one space per run. */
export interface EmbeddingSpace {
  /** The label every vector of the run carries: the embedding model, or the offline space. */
  model: string;
  /** Why the run's vectors are offline although the LLM is on (its budget); null otherwise. */
  offlineReason: string | null;
}

/** What a writer did during one run: stored on the run. */
export interface WriterReport {
  provider: 'offline' | 'openai';
  model: string | null;
  /** Texts written by the model and validated. */
  llmTexts: number;
  /** Texts the model was asked for but that came from the offline templates (invalid, missing, failed). */
  fallbackTexts: number;
  /** Texts written offline by choice (offline provider). */
  offlineTexts: number;
  /** Calls that failed after the client's own retries. */
  failedCalls: number;
  /** The run's budget in USD (maxCostUsd), if it had one. */
  budgetUsd: string | null;
  /** Calls not made because they could have gone over the budget (their texts came offline). */
  skippedCalls: number;
  /** Why the run stopped calling the provider (its circuit breaker opened); null if it did not. */
  breakerReason: string | null;
  /** Calls not made because the circuit was open (their texts came offline). */
  breakerSkippedCalls: number;
  /** Well-formed model texts refused as not making sense for their brief, by reason (sense-checks.ts). */
  refusedTexts: { reason: `${Refusal}`; count: number }[];
  /** The run's vector space; null when it embedded nothing (or was recorded before). */
  embeddings: EmbeddingSpace | null;
  calls: LlmCallRecord[];
}

/** A product as the offline embedding space sees it: its category and type, and itself (its key). */
export interface ProductMeaning {
  kind: 'product';
  key: string;
  category: string;
  type: string;
}

/**
 * What a row to embed is about. A model reads the row's text; the offline space (offline-vectors)
 * builds the vector from this, so that it carries the same structure: products by type and
 * category, reviews by product and sentiment, shoppers by what they bought.
 */
export type EmbeddingMeaning =
  | ProductMeaning
  | { kind: 'review'; key: string; product: ProductMeaning; stars: number }
  | { kind: 'user'; key: string; bought: ProductMeaning[] };

/** One row to embed: the text a model reads and what the row is. */
export interface EmbeddingItem {
  text: string;
  meaning: EmbeddingMeaning;
}

export interface TextWriter {
  /** Name stored with the run (e.g. "offline"). */
  readonly name: string;
  /** Model name stored with each embedding. */
  readonly embeddingModel: string;
  products(briefs: readonly ProductBrief[]): Promise<ProductCopy[]>;
  personas(briefs: readonly PersonaBrief[]): Promise<PersonaCopy[]>;
  reviews(briefs: readonly ReviewBrief[]): Promise<ReviewCopy[]>;
  /** 1536-d unit vectors for rows, in order (a failure throws: a run has all its embeddings or fails). */
  embed(phase: 'products' | 'users' | 'reviews', items: readonly EmbeddingItem[]): Promise<number[][]>;
  /** What the writer did so far (one writer serves one run). */
  report(): WriterReport;
}

/** What several writers of one run did (a run fanned out over workers has one per piece). */
export function mergeReports(first: WriterReport, ...rest: WriterReport[]): WriterReport {
  return rest.reduce(
    (sum, r) => ({
      ...sum,
      llmTexts: sum.llmTexts + r.llmTexts,
      fallbackTexts: sum.fallbackTexts + r.fallbackTexts,
      offlineTexts: sum.offlineTexts + r.offlineTexts,
      failedCalls: sum.failedCalls + r.failedCalls,
      skippedCalls: sum.skippedCalls + r.skippedCalls,
      breakerReason: sum.breakerReason ?? r.breakerReason,
      breakerSkippedCalls: sum.breakerSkippedCalls + r.breakerSkippedCalls,
      refusedTexts: mergeRefusals(sum.refusedTexts, r.refusedTexts),
      embeddings: sum.embeddings ?? r.embeddings,
      calls: [...sum.calls, ...r.calls],
    }),
    first,
  );
}

function mergeRefusals(
  a: WriterReport['refusedTexts'],
  b: WriterReport['refusedTexts'],
): WriterReport['refusedTexts'] {
  const counts = new Map<string, number>();
  for (const { reason, count } of [...a, ...b]) counts.set(reason, (counts.get(reason) ?? 0) + count);
  return [...counts]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([reason, count]) => ({ reason: reason as `${Refusal}`, count }));
}
