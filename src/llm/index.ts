import type { LlmConfig } from '../config';
import { ResponseCache } from './cache';
import { LlmTextWriter } from './llm-writer';
import { OfflineTextWriter } from './offline-writer';
import { OpenAiProvider } from './openai-provider';
import type { EmbeddingPlan, TextWriter } from './text-writer';

/** What the estimate needs to know about the LLM settings (see LlmServices). */
export interface EstimateOptions {
  provider: 'offline' | 'openai';
  model: string;
  embeddingModel: string;
  reviewBatch: number;
  embeddingBatch: number;
}

/** The LLM side of the services: a fresh writer per run (writers count what they did), one shared cache. */
export interface LlmServices {
  provider: 'offline' | 'openai';
  /** The models and batch sizes runs would use (priced by estimates even when offline). */
  settings: EstimateOptions;
  /**
   * A writer for one run; `budgetUsd` caps what its LLM calls may cost, `embeddings` (from the
   * run's cost estimate) is what the budget decides the run's vector space by.
   */
  newWriter(options?: { budgetUsd?: string | null; embeddings?: EmbeddingPlan }): TextWriter;
  cache: ResponseCache;
}

/** Offline templates by default; the OpenAI writer when configured (OPENAI_API_KEY or MOCKFORGE_LLM=openai). */
export function createLlmServices(config: LlmConfig): LlmServices {
  const cache = new ResponseCache(config.cacheDir, config.cacheTtlHours * 3_600_000, {
    maxBytes: config.cacheMaxMb * 1024 * 1024,
  });
  const settings: EstimateOptions = {
    provider: config.provider,
    model: config.model,
    embeddingModel: config.embeddingModel,
    reviewBatch: config.reviewBatch,
    embeddingBatch: config.embeddingBatch,
  };
  if (config.provider === 'offline') {
    return { provider: 'offline', settings, cache, newWriter: () => new OfflineTextWriter() };
  }
  const provider = new OpenAiProvider(config, cache);
  return {
    provider: 'openai',
    settings,
    cache,
    newWriter: (options) =>
      new LlmTextWriter(
        provider,
        config.reviewBatch,
        options?.budgetUsd ?? null,
        config.embeddingBatch,
        options?.embeddings,
      ),
  };
}
