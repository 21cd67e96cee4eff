import { Field, Float, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';

/** How far a run has got, updated as its chunks are written (stored on the run, so any process can read it). */
@ObjectType({ description: 'How far a run has got: its phase and the rows written so far.' })
export class RunProgress {
  @Field({ description: 'queued, products, users, orders, contract, members, agents, metrics, … or done.' })
  phase!: string;

  @Field(() => GraphQLSafeInt)
  rowsDone!: number;

  @Field(() => GraphQLSafeInt, { description: 'Rows the run will write (an estimate until it is done).' })
  rowsTotal!: number;

  @Field(() => Float, { description: '0–100.' })
  percent!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Estimated milliseconds left; null until it can be told.',
  })
  etaMs!: number | null;
}
