import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AgentConfig } from './agent-config';
import { AgentStatus, sqlValues } from './enums';
import { Member } from './member.entity';
import { RunScopedEntity } from './run-scoped.entity';

/** A monitored AI agent. */
@ObjectType({ description: 'A monitored AI agent.' })
@Entity('agents')
@Index(['runId', 'createdById'])
@Check('ck_agents_status', `status IN (${sqlValues(AgentStatus)})`)
@Check('ck_agents_temperature', 'config_temperature BETWEEN 0 AND 2')
@Check('ck_agents_max_tokens', 'config_max_tokens >= 0')
@Check('ck_agents_active_after_created', 'last_active_at >= created_at')
@Check('ck_agents_deleted_after_created', 'deleted_at > created_at')
export class Agent extends RunScopedEntity {
  @Field()
  @Column('text')
  name!: string;

  @Field()
  @Column('text')
  description!: string;

  @Field({ description: 'LLM model the agent runs on, e.g. gpt-4o-mini.' })
  @Column('text')
  model!: string;

  @Field(() => AgentStatus)
  @Column('text')
  status!: AgentStatus;

  @Field(() => AgentConfig)
  @Column(() => AgentConfig, { prefix: 'config' })
  config!: AgentConfig;

  @Field(() => ID)
  @Column('uuid')
  createdById!: string;

  @Field(() => Date)
  @Column('timestamptz')
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Time of its latest conversation.' })
  @Column('timestamptz', { nullable: true })
  lastActiveAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When it was deleted (the audit log’s agent.deleted entry); a deleted agent stays findable, stopped for good. Null while it exists.',
  })
  @Column('timestamptz', { nullable: true })
  deletedAt!: Date | null;

  @ManyToOne(() => Member, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'run_id', referencedColumnName: 'runId' },
    { name: 'created_by_id', referencedColumnName: 'id' },
  ])
  createdBy?: Relation<Member>;
}
