import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Sentiment } from '../../entities/enums';
import type { SqlParams } from '../../src/read/listing';
import { TimedFilter, equals } from './run-scoped-filter.input';

@InputType({
  description: 'Filters for conversations; from/to bound the start time (from inclusive, to exclusive).',
})
export class ConversationFilter extends TimedFilter {
  protected readonly timeColumn = 'started_at';

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  agentId?: string | null;

  @Field(() => Sentiment, { nullable: true })
  sentiment?: Sentiment | null;

  @Field(() => Boolean, { nullable: true })
  resolved?: boolean | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('agent_id', this.agentId?.toLowerCase(), params),
      ...equals('sentiment', this.sentiment, params),
      ...equals('resolved', this.resolved, params),
    ];
  }
}
