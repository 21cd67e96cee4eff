import { Field, InputType } from 'type-graphql';
import { RunKind, RunScenarioId, RunStatus } from '../../entities/enums';
import type { RowFilter, SqlParams } from '../../src/read/listing';
import { equals } from './run-scoped-filter.input';

@InputType({ description: 'Filters for runs.' })
export class RunFilter implements RowFilter {
  @Field(() => RunKind, { nullable: true })
  kind?: RunKind | null;

  @Field(() => RunStatus, { nullable: true })
  status?: RunStatus | null;

  @Field(() => RunScenarioId, { nullable: true })
  scenarioId?: RunScenarioId | null;

  conditions(params: SqlParams): string[] {
    return [
      ...equals('kind', this.kind, params),
      ...equals('status', this.status, params),
      ...equals('scenario_id', this.scenarioId, params),
    ];
  }
}
