import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { SqlParams } from '../../src/listing';
import { LocalDateScalar } from '../../src/scalars';
import { IsNotBefore } from '../../src/validation';
import { RunScopedFilter, dateRange, equals } from './run-scoped-filter.input';

@InputType({ description: 'Filters for cost records; from/to are inclusive dates.' })
export class CostRecordFilter extends RunScopedFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  agentId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only records pricing this generation run.' })
  @IsOptional()
  @IsUUID('all')
  pricedRunId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  from?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @IsNotBefore('from')
  to?: string | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('agent_id', this.agentId?.toLowerCase(), params),
      ...equals('model', this.model, params),
      ...equals('priced_run_id', this.pricedRunId?.toLowerCase(), params),
      ...dateRange('date', this.from, this.to, params),
    ];
  }
}
