import { Field, Int, ObjectType } from 'type-graphql';
import { ScenarioGroup, ScenarioId } from '../../entities/enums';
import { Warmth } from './generate-scenario.input';

@ObjectType({ description: 'An inclusive integer range.' })
export class IntRange {
  @Field(() => Int) min!: number;
  @Field(() => Int) max!: number;
}

@ObjectType({
  description: 'What the main user did: purchased/reviewed the exact (main) product or similar ones.',
})
export class ScenarioFlagsInfo {
  @Field() userPurchasedExact!: boolean;
  @Field() userPurchasedSimilar!: boolean;
  @Field() userReviewedExact!: boolean;
  @Field() userReviewedSimilar!: boolean;
}

@ObjectType({ description: 'The default counts of a scenario; each can be overridden.' })
export class ScenarioCountsInfo {
  @Field(() => Int) similarProducts!: number;
  @Field(() => Int) diverseProducts!: number;
  @Field(() => Int) mockUsers!: number;
  @Field(() => Int, { description: 'Mock shoppers’ reviews of the main product.' })
  mainProductReviews!: number;
  @Field(() => Int) reviewsPerSimilarProduct!: number;
  @Field(() => Int) reviewsPerDiverseProduct!: number;
  @Field(() => IntRange, { description: 'Mock purchases of the main product without a review.' })
  mainProductSilentPurchases!: IntRange;
  @Field(() => IntRange, { description: 'Mock purchases of similar products without a review.' })
  similarSilentPurchases!: IntRange;
  @Field(() => Int) mainUserExactPurchases!: number;
  @Field(() => Int) mainUserSimilarPurchases!: number;
  @Field(() => Int) mainUserExactReviews!: number;
  @Field(() => Int) mainUserSimilarReviews!: number;
}

@ObjectType({ description: 'One of the 12 Survey Sensei scenarios.' })
export class ScenarioInfo {
  @Field(() => ScenarioId) id!: ScenarioId;
  @Field(() => ScenarioGroup) group!: ScenarioGroup;
  @Field(() => Warmth) productWarmth!: Warmth;
  @Field(() => Warmth) userWarmth!: Warmth;
  @Field(() => ScenarioFlagsInfo) flags!: ScenarioFlagsInfo;
  @Field(() => ScenarioCountsInfo) counts!: ScenarioCountsInfo;
  @Field({ description: 'The main user’s similar reviews come without purchases (C1).' })
  reviewsWithoutPurchase!: boolean;
  @Field() description!: string;
}
