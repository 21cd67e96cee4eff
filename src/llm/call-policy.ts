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
 *   Retry-After, else exponential backoff (0.5 s, 1 s, 2 s … at most 8 s);
 * - chat attempts go through a circuit breaker: after `breakerFailures` consecutive failed
 *   attempts (429 excepted: it means "slower", not "down") the circuit opens for the rest of the
 *   run, so an unreachable endpoint costs about one timeout per wave of concurrent calls, not one
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

/** Milliseconds the server asked us to wait (Retry-After / retry-after-ms), if it said so and it is sane. */
function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof APIError)) return null;
  const headers = error.headers as Headers | undefined;
  const ms = Number(headers?.get?.('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return Math.min(ms, 60_000);
  const seconds = Number(headers?.get?.('retry-after'));
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  return null;
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
      ('error' in context.result ? retryAfterMs(context.result.error) : null) ??
      Math.min(500 * 2 ** (context.attempt - 1), 8000),
  );
  const slots = bulkhead(options.concurrency, Number.MAX_SAFE_INTEGER);
  const breaker = circuitBreaker(
    handleWhen((error) => !(error instanceof APIError && error.status === 429)),
    {
      // Open for the rest of the run (the policy lives as long as the run's writer).
      halfOpenAfter: Number.MAX_SAFE_INTEGER,
      breaker: new ConsecutiveBreaker(options.breakerFailures),
    },
  );
  // No chat retry (nor its backoff) once the circuit is open: the attempt could only be refused.
  const chatRetries = retry(
    handleWhen((error) => retryable(error) && breaker.state !== CircuitState.Open),
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
  return {
    chat: wrap(chatRetries, slots, breaker),
    embeddings: wrap(embeddingRetries, slots),
    get brokenReason() {
      return brokenReason;
    },
  };
}
