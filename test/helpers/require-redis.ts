// The redis project's suites run their jobs on BullMQ + Redis (and a real Postgres): without them
// they must fail, never quietly run on the in-process queue.
if (!process.env.REDIS_URL || !process.env.DATABASE_URL) {
  throw new Error(
    'This suite needs Redis and Postgres: set REDIS_URL and DATABASE_URL (npm run test:redis checks them).',
  );
}
