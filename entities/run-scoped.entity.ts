import { Field, ID, ObjectType } from 'type-graphql';
import { PrimaryColumn } from 'typeorm';

/**
 * Every generated row is keyed by (runId, id). IDs come from the seeded generator, so two runs of
 * the same input produce the same IDs; the run in the key is what lets such runs coexist, and the
 * composite foreign keys keep every reference inside its own run.
 */
@ObjectType()
export abstract class RunScopedEntity {
  @Field(() => ID, { description: 'The run this row belongs to.' })
  @PrimaryColumn('uuid')
  runId!: string;

  @Field(() => ID, { description: 'Deterministic id: the same input and seed give the same id.' })
  @PrimaryColumn('uuid')
  id!: string;
}
