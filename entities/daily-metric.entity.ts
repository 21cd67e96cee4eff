import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, JoinColumn, ManyToOne, Unique, type Relation } from 'typeorm';
import { LocalDateScalar } from './scalars';
import { numericAsNumber } from './column-transformers';
import { Agent } from './agent.entity';
import { RunScopedEntity } from './run-scoped.entity';

/** One agent's aggregate traffic for one day. */
@ObjectType({ description: 'One agent’s aggregate traffic for one day.' })
@Entity('daily_metrics')
@Unique(['runId', 'agentId', 'date'])
@Check('ck_daily_metrics_success_rate', 'success_rate BETWEEN 0 AND 1')
@Check(
  'ck_daily_metrics_idle_days',
  '(conversations = 0) = (success_rate IS NULL) AND (conversations = 0) = (avg_response_time_ms IS NULL)',
)
@Check(
  'ck_daily_metrics_counters',
  'conversations >= 0 AND avg_response_time_ms >= 0 AND total_tokens_input >= 0 AND total_tokens_output >= 0',
)
export class DailyMetric extends RunScopedEntity {
  @Field(() => ID)
  @Column('uuid')
  agentId!: string;

  @Field(() => LocalDateScalar)
  @Column('date')
  date!: string;

  // Named as a count in GraphQL: `conversations` is a connection elsewhere (Agent.conversations).
  @Field(() => Int, { name: 'conversationCount', description: 'Conversations the agent had that day.' })
  @Column('integer')
  conversations!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Null on a day without conversations (the agent was stopped).',
  })
  @Column('integer', { nullable: true })
  avgResponseTimeMs!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Null on a day without conversations (the agent was stopped).',
  })
  @Column('numeric', { precision: 5, scale: 4, transformer: numericAsNumber, nullable: true })
  successRate!: number | null;

  @Field(() => Int)
  @Column('integer')
  totalTokensInput!: number;

  @Field(() => Int)
  @Column('integer')
  totalTokensOutput!: number;

  @ManyToOne(() => Agent, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'run_id', referencedColumnName: 'runId' },
    { name: 'agent_id', referencedColumnName: 'id' },
  ])
  agent?: Relation<Agent>;
}
