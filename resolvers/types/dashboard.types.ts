import { IsOptional, IsUUID } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { CostGroupBy } from '../../entities/enums';
import { LocalDateScalar } from '../../entities/scalars';
import { IsNotBefore } from '../../src/graphql/validation';

/** Which cost records a summary covers and how it groups them. */
@ArgsType()
export class CostWindowArgs {
  @Field(() => LocalDateScalar, { nullable: true, description: 'First day (inclusive).' })
  @IsOptional()
  from?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day (inclusive).' })
  @IsOptional()
  @IsNotBefore('from')
  to?: string | null;

  @Field(() => CostGroupBy, { defaultValue: CostGroupBy.DAY })
  groupBy!: CostGroupBy;
}

@ArgsType()
export class CostSummaryArgs extends CostWindowArgs {
  @Field(() => ID)
  @IsUUID('all')
  runId!: string;
}

@ArgsType()
export class OverviewArgs {
  @Field(() => ID)
  @IsUUID('all')
  runId!: string;
}
