import type { ProductRole, Sentiment } from '../../entities/enums';

/**
 * The text port. Generators decide every value (ids, prices, stars, dates); a TextWriter only
 * turns briefs into words. The offline writer fills them from deterministic templates; the LLM
 * writer (when configured) asks a model and falls back to the offline text for anything invalid.
 */

/** What a product's title and description must convey. */
export interface ProductBrief {
  /** Stable key of the item (its ASIN): offline text is chosen from it, so it never shifts. */
  key: string;
  role: ProductRole;
  category: string;
  brand: string;
  /** What the product is, e.g. "Wireless Mouse". */
  noun: string;
  /** Model designation generated for it, e.g. "M350". */
  model: string;
  /** USD, e.g. "24.99". */
  price: string;
  /** The main product's title, for context. */
  mainTitle: string;
}

export interface ProductCopy {
  title: string;
  description: string;
}

/** Who a shopper is: the generators decided these facts; the persona text must fit them. */
export interface PersonaBrief {
  /** The user's id: offline text is chosen from it. */
  key: string;
  firstName: string;
  age: number;
  gender: string;
  /** "City, ST". */
  location: string;
  /** Category of the run's main product: what brings this shopper to the catalogue. */
  category: string;
}

export interface PersonaCopy {
  /** A short shopping persona: habits, priorities, how they decide and review. */
  persona: string;
}

/** What a review must say: its stars and sentiment are decided by the generator. */
export interface ReviewBrief {
  key: string;
  productTitle: string;
  /** Short name of the product for the text ("mouse", "skillet"). */
  productNoun: string;
  category: string;
  stars: number;
  sentiment: Sentiment;
  /** The author wrote it after returning the item. */
  returned: boolean;
}

export interface ReviewCopy {
  title: string;
  text: string;
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
  calls: LlmCallRecord[];
}

export interface TextWriter {
  /** Name stored with the run (e.g. "offline"). */
  readonly name: string;
  /** Model name stored with each embedding. */
  readonly embeddingModel: string;
  products(briefs: readonly ProductBrief[]): Promise<ProductCopy[]>;
  personas(briefs: readonly PersonaBrief[]): Promise<PersonaCopy[]>;
  reviews(briefs: readonly ReviewBrief[]): Promise<ReviewCopy[]>;
  /** 1536-d unit vectors for texts, in order (a failure throws: a run has all its embeddings or fails). */
  embed(phase: 'products' | 'users' | 'reviews', texts: readonly string[]): Promise<number[][]>;
  /** What the writer did so far (one writer serves one run). */
  report(): WriterReport;
}
