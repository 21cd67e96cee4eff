import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pieces of a run fanned out over workers: one row per shard, written in the same transaction
 * as the shard's rows (so a retried shard knows it is done), with the digests of its chunks for
 * the run's fingerprint, its row counts, its text report and the worker that wrote it — or why it
 * failed. Shard -1 marks the
 * products and shoppers written before the shards start.
 */
export class RunShards1795824000000 implements MigrationInterface {
  name = 'RunShards1795824000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE run_shards (
        run_id uuid NOT NULL REFERENCES generation_runs (id) ON DELETE CASCADE,
        shard integer NOT NULL,
        chunk_digests jsonb,
        transactions integer NOT NULL DEFAULT 0,
        reviews integer NOT NULL DEFAULT 0,
        text_report jsonb,
        error text,
        written_by text,
        CONSTRAINT pk_run_shards PRIMARY KEY (run_id, shard),
        CONSTRAINT ck_run_shards_shard CHECK (shard >= -1),
        CONSTRAINT ck_run_shards_counts CHECK (transactions >= 0 AND reviews >= 0)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE run_shards`);
  }
}
