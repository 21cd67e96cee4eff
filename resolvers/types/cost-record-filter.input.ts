import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { SqlParams } from '../../src/read/listing';
import { AgentDaysFilter, equals } from './run-scoped-filter.input';

@InputType({ description: 'Filters for cost records; from/to are inclusive dates.' })
export class CostRecordFilter extends AgentDaysFilter {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only records pricing this generation run.' })
  @IsOptional()
  @IsUUID('all')
  pricedRunId?: string | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('model', this.model, params),
      ...equals('priced_run_id', this.pricedRunId?.toLowerCase(), params),
    ];
  }
}
