import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fingerprints are taken from the stored rows now: shards no longer hand on their chunks' digests. */
export class StoredFingerprints1795996800000 implements MigrationInterface {
  name = 'StoredFingerprints1795996800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE run_shards DROP COLUMN chunk_digests`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE run_shards ADD COLUMN chunk_digests jsonb`);
  }
}
