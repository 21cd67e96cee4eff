import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who works a run and whether it is still alive: a worker stamps `heartbeat_at` every few seconds
 * while it has the run, so any process can tell a run whose owner is gone (and whose job the queue
 * no longer has) from one another worker is busy with. `rows_pending` marks a failed or cancelled
 * run whose partial rows could not be removed yet (the database was unreachable): the periodic
 * sweep removes them.
 */
export class RunHeartbeat1795910400000 implements MigrationInterface {
  name = 'RunHeartbeat1795910400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE generation_runs ADD COLUMN heartbeat_at timestamptz`);
    await q.query(`ALTER TABLE generation_runs ADD COLUMN worker text`);
    await q.query(`ALTER TABLE generation_runs ADD COLUMN rows_pending boolean NOT NULL DEFAULT false`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE generation_runs DROP COLUMN rows_pending`);
    await q.query(`ALTER TABLE generation_runs DROP COLUMN worker`);
    await q.query(`ALTER TABLE generation_runs DROP COLUMN heartbeat_at`);
  }
}
