import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { Role } from './roles';

/**
 * The service configuration, parsed once from the environment. Nothing else reads `process.env`:
 * everything that can be configured is listed (and documented) here and in `.env.example`.
 */
export interface Config {
  /** HTTP port of the GraphQL server. */
  port: number;
  /** A second port serving only GET /metrics (no API key needed); null = /metrics on the API port only. */
  metricsPort: number | null;
  /** Interface to listen on; null = every interface. */
  host: string | null;
  /** API keys and their roles; empty = no authentication (local use). Never logged. */
  apiKeys: { key: string; role: Role }[];
  /** Origins allowed to call the API from a browser: '*' for any, [] for same-origin only. */
  corsOrigins: '*' | string[];
  /** Real Postgres connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | null;
  /** Where the embedded database keeps its files, or `memory://` for a throwaway in-memory one. */
  dataDir: string;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** Most bytes an import may hold once decompressed (POST /runs/import). */
  importMaxBytes: number;
  /** Log every SQL statement (noisy; for debugging). */
  logSql: boolean;
  llm: LlmConfig;
  queue: QueueConfig;
}

/** Where runs wait and who works them (README: "Runs as jobs"). */
export interface QueueConfig {
  backend: 'inline' | 'redis' | 'postgres';
  /** Why this backend (for the start log): chosen by MOCKFORGE_QUEUE or detected. */
  chosenBy: string;
  redisUrl: string | null;
  /** Whether this process works jobs too (the API does unless MOCKFORGE_WORKERS=0). */
  workers: number;
  /** Jobs one process works at a time. */
  concurrency: number;
  /** BullMQ queue name (lets several deployments share one Redis). */
  name: string;
  /** Threads that generate a large run's order chunks (0 = the main thread). */
  generatorThreads: number;
}

/** How generated text is written. The API key is kept here only; it is never logged or stored. */
export interface LlmConfig {
  /** `offline` (templates, the default without a key) or `openai`. */
  provider: 'offline' | 'openai';
  apiKey: string | null;
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio); null = api.openai.com. */
  baseUrl: string | null;
  model: string;
  embeddingModel: string;
  timeoutMs: number;
  maxRetries: number;
  /** Calls one run has in flight at once (chat and embeddings together). */
  concurrency: number;
  /** Consecutive failed chat calls after which a run stops calling and writes the rest offline. */
  breakerFailures: number;
  /** Reviews written per chat call. */
  reviewBatch: number;
  /** Texts embedded per embeddings call. */
  embeddingBatch: number;
  cacheDir: string;
  cacheTtlHours: number;
  /** The cache's cap on disk; beyond it the oldest answers go first. */
  cacheMaxMb: number;
}

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const apiKeys = z
  .string()
  .trim()
  .default('')
  .transform((text, ctx) => {
    const keys: { key: string; role: Role }[] = [];
    for (const pair of text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const at = pair.lastIndexOf(':');
      const key = at > 0 ? pair.slice(0, at) : '';
      const role = pair.slice(at + 1) as Role;
      // Never echo a key back: the message names the entry's position only.
      const where = `entry ${keys.length + 1}`;
      if (!key || /\s/.test(key)) ctx.addIssue({ code: 'custom', message: `${where} must be key:role` });
      else if (!Object.values(Role).includes(role)) {
        ctx.addIssue({ code: 'custom', message: `${where} has an unknown role (viewer, operator or admin)` });
      } else if (keys.some((k) => k.key === key))
        ctx.addIssue({ code: 'custom', message: `${where} repeats a key` });
      keys.push({ key, role });
    }
    return keys;
  });

const corsOrigins = z
  .string()
  .trim()
  .optional()
  .transform((text) =>
    text === undefined || text === ''
      ? null
      : text
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
  )
  .refine((list) => list === null || list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)), {
    message: 'must be * or comma-separated origins such as https://app.example.com',
  });

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null)),
  MOCKFORGE_API_KEYS: apiKeys,
  MOCKFORGE_CORS_ORIGINS: corsOrigins,
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^postgres(ql)?:\/\//.test(v), {
      message: 'must be a postgres:// or postgresql:// URL',
    }),
  MOCKFORGE_DATA_DIR: z.string().trim().min(1).default('./.data'),
  MOCKFORGE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  MOCKFORGE_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(8 * 1024 ** 3),
  MOCKFORGE_LOG_SQL: bool.default(false),
  OPENAI_API_KEY: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null)),
  OPENAI_BASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^https?:\/\//.test(v), { message: 'must be an http(s) URL' }),
  MOCKFORGE_LLM: z.enum(['auto', 'offline', 'openai']).default('auto'),
  REDIS_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^rediss?:\/\//.test(v), { message: 'must be a redis:// or rediss:// URL' }),
  MOCKFORGE_QUEUE: z.enum(['auto', 'inline', 'redis', 'postgres']).default('auto'),
  MOCKFORGE_WORKERS: z.coerce.number().int().min(0).max(1).default(1),
  MOCKFORGE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  MOCKFORGE_GENERATOR_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  MOCKFORGE_QUEUE_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only')
    .default('mockforge-runs'),
  MOCKFORGE_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).nullable().default(null),
  MOCKFORGE_LLM_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  MOCKFORGE_EMBEDDING_MODEL: z.string().trim().min(1).default('text-embedding-3-small'),
  MOCKFORGE_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  MOCKFORGE_LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  MOCKFORGE_LLM_REVIEW_BATCH: z.coerce.number().int().min(1).max(100).default(50),
  MOCKFORGE_LLM_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  MOCKFORGE_LLM_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(3),
  MOCKFORGE_EMBEDDING_BATCH: z.coerce.number().int().min(1).max(2048).default(100),
  MOCKFORGE_CACHE_DIR: z.string().trim().min(1).default('./.cache/llm'),
  MOCKFORGE_CACHE_TTL_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(24),
  MOCKFORGE_CACHE_MAX_MB: z.coerce.number().int().min(1).max(1_000_000).default(1024),
});

/** Thrown when the environment holds a value the service cannot run with. */
export class ConfigError extends Error {}

/**
 * Parses and validates the environment. Fails fast with every bad variable named, so a typo in
 * `DATABASE_URL` stops the service at start instead of surfacing as a confusing runtime error.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (
    parsed.success &&
    parsed.data.MOCKFORGE_LLM === 'openai' &&
    !parsed.data.OPENAI_API_KEY &&
    !parsed.data.OPENAI_BASE_URL
  ) {
    throw new ConfigError(
      'Invalid configuration: MOCKFORGE_LLM=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL)',
    );
  }
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const queue = queueConfig(e);
  return {
    port: e.PORT,
    metricsPort: e.MOCKFORGE_METRICS_PORT,
    host: e.HOST,
    apiKeys: e.MOCKFORGE_API_KEYS,
    // Default: any origin while the API is open (local use), same-origin only once keys guard it.
    corsOrigins:
      e.MOCKFORGE_CORS_ORIGINS === null
        ? e.MOCKFORGE_API_KEYS.length
          ? []
          : '*'
        : e.MOCKFORGE_CORS_ORIGINS.includes('*')
          ? '*'
          : e.MOCKFORGE_CORS_ORIGINS,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.MOCKFORGE_DATA_DIR.startsWith('memory://')
      ? e.MOCKFORGE_DATA_DIR
      : path.resolve(e.MOCKFORGE_DATA_DIR),
    maxBodyBytes: e.MOCKFORGE_MAX_BODY_BYTES,
    importMaxBytes: e.MOCKFORGE_IMPORT_MAX_BYTES,
    logSql: e.MOCKFORGE_LOG_SQL,
    llm: {
      provider: e.MOCKFORGE_LLM === 'auto' ? (e.OPENAI_API_KEY ? 'openai' : 'offline') : e.MOCKFORGE_LLM,
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.MOCKFORGE_LLM_MODEL,
      embeddingModel: e.MOCKFORGE_EMBEDDING_MODEL,
      timeoutMs: e.MOCKFORGE_LLM_TIMEOUT_MS,
      maxRetries: e.MOCKFORGE_LLM_MAX_RETRIES,
      concurrency: e.MOCKFORGE_LLM_CONCURRENCY,
      breakerFailures: e.MOCKFORGE_LLM_BREAKER_FAILURES,
      reviewBatch: e.MOCKFORGE_LLM_REVIEW_BATCH,
      embeddingBatch: e.MOCKFORGE_EMBEDDING_BATCH,
      cacheDir: path.resolve(e.MOCKFORGE_CACHE_DIR),
      cacheTtlHours: e.MOCKFORGE_CACHE_TTL_HOURS,
      cacheMaxMb: e.MOCKFORGE_CACHE_MAX_MB,
    },
    queue,
  };
}

/**
 * MOCKFORGE_QUEUE wins; otherwise REDIS_URL → BullMQ on Redis, DATABASE_URL → BullMQ's
 * PostgreSQL backend on that database, neither → the in-process runner.
 */
function queueConfig(e: z.infer<typeof schema>): QueueConfig {
  const backend =
    e.MOCKFORGE_QUEUE !== 'auto'
      ? e.MOCKFORGE_QUEUE
      : e.REDIS_URL
        ? 'redis'
        : e.DATABASE_URL
          ? 'postgres'
          : 'inline';
  const chosenBy =
    e.MOCKFORGE_QUEUE !== 'auto'
      ? 'MOCKFORGE_QUEUE'
      : backend === 'redis'
        ? 'REDIS_URL is set'
        : backend === 'postgres'
          ? 'DATABASE_URL is set, REDIS_URL is not'
          : 'neither REDIS_URL nor DATABASE_URL is set';
  if (backend === 'redis' && !e.REDIS_URL) {
    throw new ConfigError('Invalid configuration: MOCKFORGE_QUEUE=redis needs REDIS_URL');
  }
  if (backend === 'postgres' && !e.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration: MOCKFORGE_QUEUE=postgres needs DATABASE_URL (the queue lives in that database)',
    );
  }
  if (backend === 'inline' && e.MOCKFORGE_WORKERS === 0) {
    throw new ConfigError(
      'Invalid configuration: MOCKFORGE_WORKERS=0 with the in-process queue would leave every run queued; use Redis or PostgreSQL for separate workers',
    );
  }
  return {
    backend,
    chosenBy,
    redisUrl: e.REDIS_URL,
    workers: e.MOCKFORGE_WORKERS,
    concurrency: e.MOCKFORGE_WORKER_CONCURRENCY,
    name: e.MOCKFORGE_QUEUE_NAME,
    // Every core but one (the database's or the server's), at least one.
    generatorThreads: e.MOCKFORGE_GENERATOR_THREADS ?? Math.max(1, os.availableParallelism() - 1),
  };
}
