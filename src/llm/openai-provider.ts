import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { IPolicy } from 'cockatiel';
import { createCallPolicy, type CallPolicy } from './call-policy';
import { RunFailure } from '../errors';
import type { LlmConfig } from '../config';
import { costOf } from '../pricing/prices';
import { ResponseCache } from './cache';
import { EMBEDDING_DIMENSIONS } from './embedding-text';

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
 * schema) through the official client (explicit `timeout`); each request goes through the run's
 * call policy (concurrency, retries, circuit breaker: call-policy.ts); every answer is cached on
 * disk and every call reported for the ledger. Errors after the retries are thrown to the caller,
 * which falls back to offline text.
 */
/** Sampling temperature of every text call: varied wording, while validation keeps it on task. */
export const CHAT_TEMPERATURE = 0.8;

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
      // Retries belong to the run's call policy, so its circuit breaker sees every attempt.
      maxRetries: 0,
    });
  }

  /** The policies one run's calls go through (fresh per run: a run's open circuit is its own). */
  newCallPolicy(): CallPolicy {
    return createCallPolicy({
      concurrency: this.config.concurrency,
      maxRetries: this.config.maxRetries,
      breakerFailures: this.config.breakerFailures,
    });
  }

  get model(): string {
    return this.config.model;
  }

  get embeddingModel(): string {
    return this.config.embeddingModel;
  }

  async chatJson(
    request: ChatJsonRequest,
    policy: IPolicy,
  ): Promise<{ content: string | null; call: LlmCall; remember: () => Promise<void> }> {
    const body = {
      model: this.config.model,
      temperature: CHAT_TEMPERATURE,
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
      return { content: cached.content, call: this.call(request, cached, true), remember: async () => {} };
    }
    const response = await policy.execute(() => this.client.chat.completions.create(body));
    const answer: CachedChat = {
      content: response.choices[0]?.message?.content ?? null,
      model: response.model,
      inputTokens: response.usage?.prompt_tokens ?? 0,
      outputTokens: response.usage?.completion_tokens ?? 0,
    };
    // Cached only once the caller used it: a refused answer must not be replayed to the next run.
    return {
      content: answer.content,
      call: this.call(request, answer, false),
      remember: () => this.cache.set(key, answer),
    };
  }

  /**
   * Embeddings of one batch (the writer batches and runs them concurrently), cached. Every answer
   * is checked (one vector per input, the right dimensions, finite): anything else throws, so a
   * run has all of its embeddings or fails cleanly.
   */
  async embed(
    phase: string,
    input: readonly string[],
    policy: IPolicy,
  ): Promise<{ vectors: number[][]; call: LlmCall }> {
    // base64 float32s: a quarter of the bytes of a JSON array and no float parsing (the biggest
    // cost of an LLM run on our side). A server that ignores it and answers arrays is fine too.
    const body = {
      model: this.config.embeddingModel,
      input: [...input],
      dimensions: EMBEDDING_DIMENSIONS,
      encoding_format: 'base64' as const,
    };
    const key = ResponseCache.key({
      provider: 'openai',
      baseUrl: this.config.baseUrl,
      kind: 'embeddings',
      ...body,
    });
    const stored = await this.cache.get<{ vectors: string[]; model: string; tokens: number }>(key);
    let answer = stored && { ...stored, vectors: stored.vectors.map(fromBase64) };
    const cached = answer !== undefined;
    if (!answer) {
      const response = await policy
        .execute(() => this.client.embeddings.create(body))
        .catch((error: unknown) => {
          throw embeddingFailure(error, this.config.maxRetries);
        });
      const ordered = [...response.data]
        .sort((a, b) => a.index - b.index)
        .map((d) => (typeof d.embedding === 'string' ? fromBase64(d.embedding) : d.embedding));
      answer = { vectors: ordered, model: response.model, tokens: response.usage?.prompt_tokens ?? 0 };
      const valid =
        ordered.length === input.length &&
        ordered.every(
          (v) => Array.isArray(v) && v.length === EMBEDDING_DIMENSIONS && v.every(Number.isFinite),
        );
      if (!valid) {
        throw new UnusableAnswer(
          `The embedding model returned ${ordered.length} unusable vectors for ${input.length} texts`,
          embeddingCall(phase, answer, false, input.length, 'UNUSABLE'),
        );
      }
      await this.cache.set(key, { ...answer, vectors: ordered.map(toBase64) });
    }
    return { vectors: answer.vectors, call: embeddingCall(phase, answer, cached, input.length, 'ANSWERED') };
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
      outcome: 'ANSWERED',
    };
  }
}

/** An answer that was billed but cannot be used: the run fails, and its ledger still lists the call. */
export class UnusableAnswer extends RunFailure {
  constructor(
    message: string,
    readonly call: LlmCall,
  ) {
    super(message);
  }
}

function embeddingCall(
  phase: string,
  answer: { model: string; tokens: number },
  cached: boolean,
  items: number,
  outcome: 'ANSWERED' | 'UNUSABLE',
): LlmCall {
  const cost = costOf(answer.model, answer.tokens, 0);
  return {
    kind: 'embedding',
    phase,
    model: answer.model,
    inputTokens: answer.tokens,
    outputTokens: 0,
    costUsd: cached ? '0' : (cost?.toFixed(8) ?? null),
    cached,
    items,
    outcome,
  };
}

/** A vector from base64 of little-endian float32s (OpenAI's `encoding_format: base64`). */
function fromBase64(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  // Not a whole number of floats: an unusable vector (the caller's check refuses it).
  if (bytes.length % 4 !== 0) return [];
  // A copy of its own, so the floats start at an aligned offset.
  return Array.from(new Float32Array(new Uint8Array(bytes).buffer));
}

/** The same, the other way: how vectors are cached (compact, and exactly what was answered). */
function toBase64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/** What went wrong with an embeddings call, without the provider's own text (it can echo input). */
function embeddingFailure(error: unknown, retries: number): unknown {
  const tries = `${retries + 1} attempt${retries ? 's' : ''}`;
  if (error instanceof APIConnectionTimeoutError) {
    return new RunFailure(`The embedding provider timed out (${tries})`);
  }
  if (error instanceof APIConnectionError) {
    return new RunFailure(`The embedding provider could not be reached (${tries})`);
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    return new RunFailure(`The embedding provider answered HTTP ${error.status} (${tries})`);
  }
  return error;
}
