import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agents deleted during a dashboard's window stay findable as deleted (the audit log's
 * `agent.deleted` entries point at them): a deletion time, after the agent was created.
 */
export class AgentDeletions1796083200000 implements MigrationInterface {
  name = 'AgentDeletions1796083200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE agents
        ADD COLUMN deleted_at timestamptz,
        ADD CONSTRAINT ck_agents_deleted_after_created CHECK (deleted_at > created_at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE agents DROP CONSTRAINT ck_agents_deleted_after_created, DROP COLUMN deleted_at`,
    );
  }
}
