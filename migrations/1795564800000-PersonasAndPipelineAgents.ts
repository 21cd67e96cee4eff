import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shoppers get a persona; runs keep the cost estimate they were started with; the pipeline's own
 * agents are recorded as Agent rows, and the rule-based one (transactions) makes no model call,
 * so an agent's output cap may be 0.
 */
export class PersonasAndPipelineAgents1795564800000 implements MigrationInterface {
  name = 'PersonasAndPipelineAgents1795564800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN persona text,
        ADD CONSTRAINT ck_users_persona CHECK (char_length(persona) BETWEEN 20 AND 400)`);
    await q.query(`ALTER TABLE generation_runs ADD COLUMN cost_estimate jsonb`);
    await q.query(`
      ALTER TABLE agents
        DROP CONSTRAINT ck_agents_max_tokens,
        ADD CONSTRAINT ck_agents_max_tokens CHECK (config_max_tokens >= 0)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE agents
        DROP CONSTRAINT ck_agents_max_tokens,
        ADD CONSTRAINT ck_agents_max_tokens CHECK (config_max_tokens > 0)`);
    await q.query(`ALTER TABLE generation_runs DROP COLUMN cost_estimate`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_persona, DROP COLUMN persona`);
  }
}
