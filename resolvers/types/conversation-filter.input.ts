import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Sentiment } from '../../entities/enums';
import type { SqlParams } from '../../src/listing';
import { IsNotBefore } from '../../src/validation';
import { RunScopedFilter, equals, timeRange } from './run-scoped-filter.input';

@InputType({
  description: 'Filters for conversations; from/to bound the start time (from inclusive, to exclusive).',
})
export class ConversationFilter extends RunScopedFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  agentId?: string | null;

  @Field(() => Sentiment, { nullable: true })
  sentiment?: Sentiment | null;

  @Field(() => Boolean, { nullable: true })
  resolved?: boolean | null;

  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsNotBefore('from')
  to?: Date | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('agent_id', this.agentId?.toLowerCase(), params),
      ...equals('sentiment', this.sentiment, params),
      ...equals('resolved', this.resolved, params),
      ...timeRange('started_at', this.from, this.to, params),
    ];
  }
}
