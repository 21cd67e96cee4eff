import OpenAI from 'openai';
import type { LlmConfig } from '../config';
import { costOf } from '../pricing/prices';
import { ResponseCache } from './cache';

export type { LlmCallRecord as LlmCall } from './text-writer';
import type { LlmCallRecord as LlmCall } from './text-writer';

export interface ChatJsonRequest {
  phase: string;
  system: string;
  user: string;
  schemaName: string;
  schema: Record<string, unknown>;
  items: number;
  /** Caps the answer, so a budget planned from it cannot be overrun. */
  maxOutputTokens: number;
}

interface CachedChat {
  content: string | null;
  model: string;
  inputTokens: number;
  outputTokens: number;
}

/**
 * The OpenAI side of the LLM port: chat completions with structured output (a strict JSON
 * schema) through the official client, which retries 429/5xx/timeouts itself (`maxRetries`,
 * explicit `timeout`); every answer is cached on disk and every call reported for the ledger.
 * Errors after the client's retries are thrown to the caller, which falls back to offline text.
 */
export class OpenAiProvider {
  private readonly client: OpenAI;

  constructor(
    private readonly config: LlmConfig,
    private readonly cache: ResponseCache,
  ) {
    this.client = new OpenAI({
      // A local OpenAI-compatible server may not need a key; the client insists on one.
      apiKey: config.apiKey ?? 'not-needed',
      baseURL: config.baseUrl ?? undefined,
      timeout: config.timeoutMs,
      maxRetries: config.maxRetries,
    });
  }

  get model(): string {
    return this.config.model;
  }

  async chatJson(request: ChatJsonRequest): Promise<{ content: string | null; call: LlmCall }> {
    const body = {
      model: this.config.model,
      temperature: 0.8,
      max_completion_tokens: request.maxOutputTokens,
      messages: [
        { role: 'system' as const, content: request.system },
        { role: 'user' as const, content: request.user },
      ],
      response_format: {
        type: 'json_schema' as const,
        json_schema: { name: request.schemaName, schema: request.schema, strict: true },
      },
    };
    const key = ResponseCache.key({ provider: 'openai', baseUrl: this.config.baseUrl, ...body });
    const cached = await this.cache.get<CachedChat>(key);
    if (cached) {
      return { content: cached.content, call: this.call(request, cached, true) };
    }
    const response = await this.client.chat.completions.create(body);
    const answer: CachedChat = {
      content: response.choices[0]?.message?.content ?? null,
      model: response.model,
      inputTokens: response.usage?.prompt_tokens ?? 0,
      outputTokens: response.usage?.completion_tokens ?? 0,
    };
    await this.cache.set(key, answer);
    return { content: answer.content, call: this.call(request, answer, false) };
  }

  private call(request: ChatJsonRequest, answer: CachedChat, cached: boolean): LlmCall {
    const cost = costOf(answer.model, answer.inputTokens, answer.outputTokens);
    return {
      kind: 'chat',
      phase: request.phase,
      model: answer.model,
      inputTokens: answer.inputTokens,
      outputTokens: answer.outputTokens,
      costUsd: cached ? '0' : (cost?.toFixed(8) ?? null),
      cached,
      items: request.items,
    };
  }
}
