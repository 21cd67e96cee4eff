// The postgres project's suites test against a real Postgres server: without one they must fail,
// never quietly run on the embedded database.
if (!process.env.DATABASE_URL) {
  throw new Error('This suite needs a Postgres server: set DATABASE_URL (npm run test:postgres checks it).');
}
