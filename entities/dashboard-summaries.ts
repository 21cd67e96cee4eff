import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { DecimalScalar, LocalDateScalar } from './scalars';
import { CostGroupBy } from './enums';

/** What the dashboard's summary queries return (computed from a run's rows, not stored). */

@ObjectType({ description: 'An agent’s traffic over its run’s window, from its daily metrics.' })
export class AgentMetrics {
  @Field(() => GraphQLSafeInt)
  totalConversations!: number;

  @Field(() => Int, { nullable: true, description: 'Conversation-weighted mean; null without traffic.' })
  avgResponseTimeMs!: number | null;

  @Field(() => Float, { nullable: true, description: 'Conversation-weighted mean; null without traffic.' })
  successRate!: number | null;
}

@ObjectType({ description: 'Tokens and cost of a set of cost records.' })
export class CostTotals {
  @Field(() => Int, { description: 'Cost records counted (one per agent, day and model).' })
  records!: number;

  @Field(() => GraphQLSafeInt)
  inputTokens!: number;

  @Field(() => GraphQLSafeInt)
  outputTokens!: number;

  @Field(() => DecimalScalar, { description: 'USD.' })
  totalCost!: string;
}

@ObjectType({ description: 'Cost of one day, agent or model.' })
export class CostGroup extends CostTotals {
  @Field({ description: 'The date (YYYY-MM-DD), the agent id or the model name.' })
  key!: string;

  @Field({ description: 'Readable name: the date, the agent’s name or the model.' })
  label!: string;
}

@ObjectType({ description: 'Costs of a run grouped by day, agent or model, with totals.' })
export class CostSummary {
  @Field(() => CostGroupBy)
  groupBy!: CostGroupBy;

  @Field(() => [CostGroup], { description: 'Ordered by key (dates ascending; agents and models by name).' })
  groups!: CostGroup[];

  @Field(() => CostTotals)
  totals!: CostTotals;
}

@ObjectType()
export class AgentsByStatus {
  @Field(() => Int) active!: number;
  @Field(() => Int) inactive!: number;
  @Field(() => Int) error!: number;
}

@ObjectType({ description: 'Headline numbers of a run’s dashboard.' })
export class Overview {
  @Field(() => ID)
  runId!: string;

  @Field(() => Int, { name: 'agentCount', description: 'Agents of the run.' })
  agents!: number;

  @Field(() => AgentsByStatus)
  agentsByStatus!: AgentsByStatus;

  @Field(() => GraphQLSafeInt, {
    name: 'conversationCount',
    description: 'Conversations over the window (all traffic, from daily metrics).',
  })
  conversations!: number;

  @Field(() => Int, {
    name: 'storedConversationCount',
    description: 'Conversations stored individually (a sample of the traffic).',
  })
  storedConversations!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Conversation-weighted success rate; null without traffic.',
  })
  successRate!: number | null;

  @Field(() => GraphQLSafeInt)
  inputTokens!: number;

  @Field(() => GraphQLSafeInt)
  outputTokens!: number;

  @Field(() => DecimalScalar, { description: 'USD, from cost records.' })
  totalCost!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'First day with metrics.' })
  from!: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day with metrics.' })
  to!: string | null;
}
