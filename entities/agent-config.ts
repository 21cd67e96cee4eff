import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Column } from 'typeorm';
import { numericAsNumber } from './column-transformers';

/** Model settings of an agent; stored as `config_*` columns so the database can range-check them. */
@ObjectType({ description: 'Model settings of an agent.' })
export class AgentConfig {
  @Field(() => Float)
  @Column('numeric', { precision: 3, scale: 2, transformer: numericAsNumber })
  temperature!: number;

  @Field(() => Int)
  @Column('integer')
  maxTokens!: number;

  @Field()
  @Column('text')
  systemPrompt!: string;
}
