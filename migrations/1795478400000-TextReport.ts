import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs record how their text was written: provider, validated vs fallen-back texts and each LLM call. */
export class TextReport1795478400000 implements MigrationInterface {
  name = 'TextReport1795478400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE generation_runs ADD COLUMN text_report jsonb`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE generation_runs DROP COLUMN text_report`);
  }
}
