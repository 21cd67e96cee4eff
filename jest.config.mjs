import os from 'node:os';

/**
 * Projects: `unit` (no database), `integration` (the real server over HTTP, on the embedded
 * database), `postgres` (the database suites on a real Postgres: the integration suites that
 * depend on the database, plus test/postgres — psql loads, embedded vs real Postgres) and `redis`
 * (the queue suites on BullMQ + Redis).
 * `npm test` runs unit + integration and needs nothing but Node; `npm run test:postgres` and
 * `test:redis` check their servers first (test/require-servers.mjs) and fail when one is missing.
 */
const common = {
  testEnvironment: 'node',
  transform: {
    // Type checking is `npm run typecheck`'s job; tests only transpile (decorator metadata included).
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/helpers/quiet-log.ts'],
};

/**
 * Integration suites whose subject does not depend on the database — access and input checks,
 * transports, the LLM path, metrics, the README and the CLI on an embedded data directory — run
 * once, in `npm test`; the Postgres pass runs every other integration suite again on Postgres.
 */
const NOT_DATABASE_SUITES = [
  'api-keys',
  'bad-requests',
  'cli',
  'cli-local',
  'client-errors',
  'data-dir-lock',
  'example-client',
  'generate-scenario-bad-input',
  'llm-concurrency',
  'llm-text',
  'metrics',
  'readme',
  'server',
  'transports',
].map((name) => `/test/integration/${name}\\.test\\.ts$`);

/** The suites whose runs go through the queue: the Redis pass runs them on BullMQ + Redis. */
const QUEUE_SUITES = ['jobs', 'worker-crash', 'fan-out', 'faults'].map(
  (name) => `<rootDir>/test/integration/${name}.test.ts`,
);

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    {
      ...common,
      displayName: 'postgres',
      testMatch: ['<rootDir>/test/postgres/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...NOT_DATABASE_SUITES],
      setupFiles: [...common.setupFiles, '<rootDir>/test/helpers/require-postgres.ts'],
    },
    {
      ...common,
      displayName: 'redis',
      testMatch: QUEUE_SUITES,
      setupFiles: [...common.setupFiles, '<rootDir>/test/helpers/require-redis.ts'],
    },
  ],
  // Files run side by side, one more than there are cores (files also wait on child processes,
  // sockets and timers): every file has a database of its own (an in-memory PGlite, or a scratch
  // database on Postgres) and queues of its own.
  maxWorkers: os.availableParallelism() + 1,
  // PGlite boots in a few seconds; generation tests write thousands of rows.
  testTimeout: 120000,
};
