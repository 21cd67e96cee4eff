import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agents can be stopped: a day without conversations has no response time or success rate.
 * Conversations record who started them (an anonymous handle, stable within a run).
 */
export class CoherentDashboards1795651200000 implements MigrationInterface {
  name = 'CoherentDashboards1795651200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE daily_metrics
        ALTER COLUMN avg_response_time_ms DROP NOT NULL,
        ALTER COLUMN success_rate DROP NOT NULL,
        ADD CONSTRAINT ck_daily_metrics_idle_days
          CHECK ((conversations = 0) = (success_rate IS NULL) AND (conversations = 0) = (avg_response_time_ms IS NULL))`);
    await q.query(`ALTER TABLE conversations ADD COLUMN initiator text`);
    await q.query(`UPDATE conversations SET initiator = 'anonymous' WHERE initiator IS NULL`);
    await q.query(`
      ALTER TABLE conversations
        ALTER COLUMN initiator SET NOT NULL,
        ADD CONSTRAINT ck_conversations_initiator CHECK (length(initiator) > 0)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE conversations DROP CONSTRAINT ck_conversations_initiator, DROP COLUMN initiator`,
    );
    await q.query(`DELETE FROM daily_metrics WHERE conversations = 0`);
    await q.query(`
      ALTER TABLE daily_metrics
        DROP CONSTRAINT ck_daily_metrics_idle_days,
        ALTER COLUMN avg_response_time_ms SET NOT NULL,
        ALTER COLUMN success_rate SET NOT NULL`);
  }
}
