import { IsOptional, IsUUID } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { CostGroupBy } from '../../entities/enums';
import { LocalDateScalar } from '../../src/scalars';
import { IsNotBefore } from '../../src/validation';

@ArgsType()
export class CostSummaryArgs {
  @Field(() => ID)
  @IsUUID('all')
  runId!: string;

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
export class OverviewArgs {
  @Field(() => ID)
  @IsUUID('all')
  runId!: string;
}
