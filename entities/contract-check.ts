import { Field, ObjectType } from 'type-graphql';

/** One named rule a run's data must satisfy, with what was expected and what was found. */
@ObjectType({ description: 'One named rule a run’s data must satisfy.' })
export class ContractCheck {
  @Field({ description: 'e.g. "mainUser.exactPurchases".' })
  name!: string;

  @Field()
  expected!: string;

  @Field()
  actual!: string;

  @Field()
  passed!: boolean;
}
