import { Field, Int, ObjectType } from 'type-graphql';

/** Rows a run wrote, per table. Stored as JSON on the run; absent tables count as zero. */
@ObjectType({ description: 'Rows a run wrote, per table.' })
export class RowCounts {
  @Field(() => Int) products!: number;
  @Field(() => Int) users!: number;
  @Field(() => Int) transactions!: number;
  @Field(() => Int) reviews!: number;
  @Field(() => Int) members!: number;
  @Field(() => Int) agents!: number;
  @Field(() => Int) conversations!: number;
  @Field(() => Int) dailyMetrics!: number;
  @Field(() => Int) costRecords!: number;
  @Field(() => Int) auditLogs!: number;
  @Field(() => Int, {
    description:
      'Mock shoppers added beyond the scenario’s mockUsers (counted in users) so that no shopper reviews a product twice.',
  })
  extraShoppers!: number;
}

export type RowCountsShape = { [K in keyof RowCounts]: number };

export const ZERO_COUNTS: RowCountsShape = {
  products: 0,
  users: 0,
  transactions: 0,
  reviews: 0,
  members: 0,
  agents: 0,
  conversations: 0,
  dailyMetrics: 0,
  costRecords: 0,
  auditLogs: 0,
  extraShoppers: 0,
};
