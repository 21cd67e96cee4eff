import { randomInt } from 'node:crypto';
import {
  BrokenCircuitError,
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

/**
 * How one run calls the provider (cockatiel policies, one set per run):
 * - at most `concurrency` requests in flight (a bulkhead around each attempt, so a retry's
 *   backoff does not hold a slot);
 * - timeouts, lost connections, 429 and 5xx are retried up to `maxRetries` times, honouring
 *   Retry-After, else exponential backoff (0.5 s, 1 s, 2 s … at most 8 s, ±20 % jitter);
 * - chat attempts go through a circuit breaker: after `breakerFailures` consecutive failed
 *   attempts (429 excepted: it means "slower", not "down"), or `breakerFailures` consecutive calls
 *   still rate-limited after all their retries, the circuit opens for the rest of the run, so an unreachable endpoint costs about one timeout per wave of concurrent calls, not one
 *   per attempt of every batch. Embeddings have no offline fallback within a run, so they skip
 *   the breaker: a failing embeddings endpoint fails the run as before.
 */
export interface CallPolicy {
  chat: IPolicy;
  embeddings: IPolicy;
  /** Why the circuit opened; null while it is closed. */
  readonly brokenReason: string | null;
}

export interface CallPolicyOptions {
  concurrency: number;
  maxRetries: number;
  breakerFailures: number;
}

/** Whether an attempt's error is worth another attempt (the openai client's own rule). */
export function retryable(error: unknown): boolean {
  if (error instanceof BrokenCircuitError) return false;
  if (error instanceof APIConnectionError) return true; // includes timeouts
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    return status === 408 || status === 409 || status === 429 || status >= 500;
  }
  return false;
}

/**
 * The longest wait honoured before a retry: a provider asking for more is, for a data run, away.
 * With it, a provider that rate-limits everything costs a run at most ⌈breakerFailures /
 * concurrency⌉ × maxRetries × 10 s of waiting (30 s by default; ~4 s without Retry-After) before
 * the run writes the rest offline.
 */
export const MAX_WAIT_MS = 10_000;

/**
 * Milliseconds the server asked us to wait (retry-after-ms, or Retry-After in seconds or as an
 * HTTP date), if it said so and it is sane; null when it did not say — an absent header is not
 * "0 seconds" (`Number(null) === 0`).
 */
export function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof APIError)) return null;
  const headers = error.headers as Headers | undefined;
  const header = (name: string) => {
    const value = headers?.get?.(name)?.trim();
    return value ? value : null;
  };
  const ms = header('retry-after-ms');
  if (ms !== null && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Math.min(Number(ms), MAX_WAIT_MS);
  const after = header('retry-after');
  if (after === null) return null;
  const wait = /^\d+(\.\d+)?$/.test(after) ? Number(after) * 1000 : Date.parse(after) - Date.now();
  return Number.isFinite(wait) ? Math.min(Math.max(0, wait), MAX_WAIT_MS) : null;
}

/** Jitter for waits only — it never reaches data, so it need not (and should not) be seeded. */
const timingJitter = () => randomInt(1_000_000) / 1_000_000;

/**
 * The wait before retry `attempt` (1, 2, …) when the server did not say: 0.5 s, 1 s, 2 s … at
 * most 8 s, each ±20 % so a wave of concurrent calls does not come back at the same instant.
 */
export function backoffMs(attempt: number, random: () => number = timingJitter): number {
  return Math.min(500 * 2 ** (attempt - 1), 8000) * (0.8 + 0.4 * random());
}

/** Short, key-free words for why an attempt failed (the provider's own text can echo input). */
export function failureWords(error: unknown): string {
  if (error instanceof APIConnectionTimeoutError) return 'timed out';
  if (error instanceof APIConnectionError) return 'could not be reached';
  if (error instanceof APIError && typeof error.status === 'number') return `answered HTTP ${error.status}`;
  return 'failed';
}

export function createCallPolicy(options: CallPolicyOptions): CallPolicy {
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>(
    (context) =>
      ('error' in context.result ? retryAfterMs(context.result.error) : null) ?? backoffMs(context.attempt),
  );
  const slots = bulkhead(options.concurrency, Number.MAX_SAFE_INTEGER);
  const rateLimited = (error: unknown) => error instanceof APIError && error.status === 429;
  const forTheRun = () => ({
    // Open for the rest of the run (the policy lives as long as the run's writer).
    halfOpenAfter: Number.MAX_SAFE_INTEGER,
    breaker: new ConsecutiveBreaker(options.breakerFailures),
  });
  // Attempts that fail (429 excepted: one 429 means "slower", not "down")…
  const breaker = circuitBreaker(
    handleWhen((error) => !rateLimited(error)),
    forTheRun(),
  );
  // …and calls still rate-limited after all their retries: sustained 429s degrade to offline too.
  const rateLimits = circuitBreaker(handleWhen(rateLimited), forTheRun());
  const open = () => breaker.state === CircuitState.Open || rateLimits.state === CircuitState.Open;
  // No chat retry (nor its backoff) once a circuit is open: the attempt could only be refused.
  const chatRetries = retry(
    handleWhen((error) => retryable(error) && !open()),
    { maxAttempts: options.maxRetries, backoff },
  );
  const embeddingRetries = retry(handleWhen(retryable), { maxAttempts: options.maxRetries, backoff });
  let brokenReason: string | null = null;
  breaker.onBreak((reason) => {
    const last = 'error' in reason ? failureWords(reason.error) : 'failed';
    brokenReason =
      `${options.breakerFailures} consecutive failed calls to the provider (the last ${last}); ` +
      'the run stopped calling it and wrote the remaining texts offline';
  });
  rateLimits.onBreak(() => {
    brokenReason =
      `${options.breakerFailures} consecutive calls still rate-limited (HTTP 429) after their retries; ` +
      'the run stopped calling the provider and wrote the remaining texts offline';
  });
  return {
    chat: wrap(rateLimits, chatRetries, slots, breaker),
    embeddings: wrap(embeddingRetries, slots),
    get brokenReason() {
      return brokenReason;
    },
  };
}
