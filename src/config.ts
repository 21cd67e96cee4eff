import path from 'node:path';
import { z } from 'zod';

/**
 * The service configuration, parsed once from the environment. Nothing else reads `process.env`:
 * everything that can be configured is listed (and documented) here and in `.env.example`.
 */
export interface Config {
  /** HTTP port of the GraphQL server. */
  port: number;
  /** Real Postgres connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | null;
  /** Where the embedded database keeps its files, or `memory://` for a throwaway in-memory one. */
  dataDir: string;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** Log every SQL statement (noisy; for debugging). */
  logSql: boolean;
}

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
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
  MOCKFORGE_LOG_SQL: bool.default(false),
});

/** Thrown when the environment holds a value the service cannot run with. */
export class ConfigError extends Error {}

/**
 * Parses and validates the environment. Fails fast with every bad variable named, so a typo in
 * `DATABASE_URL` stops the service at start instead of surfacing as a confusing runtime error.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.MOCKFORGE_DATA_DIR.startsWith('memory://')
      ? e.MOCKFORGE_DATA_DIR
      : path.resolve(e.MOCKFORGE_DATA_DIR),
    maxBodyBytes: e.MOCKFORGE_MAX_BODY_BYTES,
    logSql: e.MOCKFORGE_LOG_SQL,
  };
}
