import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Agent } from './agent.entity';
import { Sentiment, sqlValues } from './enums';
import { RunScopedEntity } from './run-scoped.entity';

/** One conversation an agent held with an (anonymous) end user. */
@ObjectType({ description: 'One conversation an agent held with an anonymous end user.' })
@Entity('conversations')
@Index(['runId', 'agentId', 'startedAt'])
@Check('ck_conversations_ended_after_started', 'ended_at >= started_at')
@Check('ck_conversations_message_count', 'message_count > 0')
@Check('ck_conversations_initiator', 'length(initiator) > 0')
@Check('ck_conversations_sentiment', `sentiment IN (${sqlValues(Sentiment)})`)
@Check('ck_conversations_counters', 'response_time_ms >= 0 AND input_tokens >= 0 AND output_tokens >= 0')
export class Conversation extends RunScopedEntity {
  @Field(() => ID)
  @Column('uuid')
  agentId!: string;

  @Field(() => Date)
  @Column('timestamptz')
  startedAt!: Date;

  @Field(() => Date)
  @Column('timestamptz')
  endedAt!: Date;

  @Field({
    description:
      'The end user who started it: an anonymous handle, the same for every conversation of that person in the run.',
  })
  @Column('text')
  initiator!: string;

  @Field(() => Int)
  @Column('integer')
  messageCount!: number;

  @Field(() => Sentiment)
  @Column('text')
  sentiment!: Sentiment;

  @Field()
  @Column('boolean')
  resolved!: boolean;

  @Field(() => Int, { description: 'Mean time the agent took to answer, in ms.' })
  @Column('integer')
  responseTimeMs!: number;

  @Field(() => Int)
  @Column('integer')
  inputTokens!: number;

  @Field(() => Int)
  @Column('integer')
  outputTokens!: number;

  @ManyToOne(() => Agent, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'run_id', referencedColumnName: 'runId' },
    { name: 'agent_id', referencedColumnName: 'id' },
  ])
  agent?: Relation<Agent>;
}
