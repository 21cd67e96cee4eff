import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scenario runs record the scenario they follow (the base of a CUSTOM run) and the contract their
 * data was checked against.
 */
export class ScenarioRuns1795392000000 implements MigrationInterface {
  name = 'ScenarioRuns1795392000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE generation_runs
        ADD COLUMN base_scenario_id text,
        ADD COLUMN contract jsonb NOT NULL DEFAULT '[]',
        ADD CONSTRAINT ck_generation_runs_base_scenario_id CHECK (base_scenario_id IN
          ('A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'C4') AND base_scenario_id <> 'CUSTOM'),
        ADD CONSTRAINT ck_generation_runs_custom_has_base CHECK (scenario_id <> 'CUSTOM' OR base_scenario_id IS NOT NULL)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE generation_runs
        DROP CONSTRAINT ck_generation_runs_custom_has_base,
        DROP CONSTRAINT ck_generation_runs_base_scenario_id,
        DROP COLUMN contract,
        DROP COLUMN base_scenario_id`);
  }
}
