import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { SqlParams } from '../../src/listing';
import { LocalDateScalar } from '../../src/scalars';
import { IsNotBefore } from '../../src/validation';
import { RunScopedFilter, dateRange, equals } from './run-scoped-filter.input';

@InputType({ description: 'Filters for daily metrics; from/to are inclusive dates.' })
export class DailyMetricFilter extends RunScopedFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  agentId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  from?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  @IsNotBefore('from')
  to?: string | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('agent_id', this.agentId?.toLowerCase(), params),
      ...dateRange('date', this.from, this.to, params),
    ];
  }
}
