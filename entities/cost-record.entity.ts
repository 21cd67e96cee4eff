import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { DecimalScalar, LocalDateScalar } from './scalars';
import { Agent } from './agent.entity';
import { GenerationRun } from './generation-run.entity';
import { RunScopedEntity } from './run-scoped.entity';

/** What an agent's model usage cost on one day. */
@ObjectType({ description: 'What an agent’s model usage cost on one day.' })
@Entity('cost_records')
@Index(['runId', 'agentId', 'date'])
@Index(['pricedRunId'])
@Check('ck_cost_records_counters', 'input_tokens >= 0 AND output_tokens >= 0 AND total_cost >= 0')
export class CostRecord extends RunScopedEntity {
  @Field(() => ID)
  @Column('uuid')
  agentId!: string;

  @Field(() => LocalDateScalar)
  @Column('date')
  date!: string;

  @Field()
  @Column('text')
  model!: string;

  @Field(() => Int)
  @Column('integer')
  inputTokens!: number;

  @Field(() => Int)
  @Column('integer')
  outputTokens!: number;

  @Field(() => DecimalScalar, { description: 'USD.' })
  @Column('numeric', { precision: 14, scale: 6 })
  totalCost!: string;

  @Field(() => ID, { nullable: true, description: 'The generation run whose LLM usage this record prices.' })
  @Column('uuid', { nullable: true })
  pricedRunId!: string | null;

  @ManyToOne(() => GenerationRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'priced_run_id' })
  pricedRun?: Relation<GenerationRun>;

  @ManyToOne(() => Agent, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'run_id', referencedColumnName: 'runId' },
    { name: 'agent_id', referencedColumnName: 'id' },
  ])
  agent?: Relation<Agent>;
}
