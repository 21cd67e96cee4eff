import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs are jobs: they wait QUEUED, can be CANCELLED, carry the request a worker runs them from,
 * their progress, a cancellation flag other processes can see, and the client's idempotency key
 * (with the hash of the input it came with).
 */
export class RunsAsJobs1795737600000 implements MigrationInterface {
  name = 'RunsAsJobs1795737600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE generation_runs
        DROP CONSTRAINT ck_generation_runs_status,
        ADD CONSTRAINT ck_generation_runs_status
          CHECK (status IN ('PENDING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
        ADD COLUMN request jsonb,
        ADD COLUMN progress jsonb,
        ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false,
        ADD COLUMN idempotency_key text,
        ADD COLUMN input_hash text,
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD CONSTRAINT uq_generation_runs_idempotency_key UNIQUE (idempotency_key),
        ADD CONSTRAINT ck_generation_runs_attempts CHECK (attempts >= 0)`);
    await q.query(`CREATE INDEX ix_generation_runs_status ON generation_runs (status)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_generation_runs_status`);
    await q.query(`UPDATE generation_runs SET status = 'FAILED' WHERE status IN ('QUEUED', 'CANCELLED')`);
    await q.query(`
      ALTER TABLE generation_runs
        DROP CONSTRAINT ck_generation_runs_attempts,
        DROP CONSTRAINT uq_generation_runs_idempotency_key,
        DROP COLUMN attempts,
        DROP COLUMN input_hash,
        DROP COLUMN idempotency_key,
        DROP COLUMN cancel_requested,
        DROP COLUMN progress,
        DROP COLUMN request,
        DROP CONSTRAINT ck_generation_runs_status,
        ADD CONSTRAINT ck_generation_runs_status CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'))`);
  }
}
