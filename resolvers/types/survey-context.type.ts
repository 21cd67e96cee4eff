import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Product, Review, Transaction, User } from '../../entities';

@ObjectType({
  description: 'A user’s figures and labels as the original Survey Sensei computes them from their rows.',
})
export class SurveySenseiProfile {
  @Field(() => Int)
  totalPurchases!: number;

  @Field(() => Int, { description: 'Reviews with a purchase behind them.' })
  totalReviews!: number;

  @Field({ description: 'reviews / purchases, 3 decimals (as Python rounds).' })
  reviewEngagementRate!: string;

  @Field({ description: 'Mean stars, 2 decimals (0.00 without reviews).' })
  avgReviewRating!: string;

  @Field({ description: 'positive, critical, polarized, balanced or neutral (checked in that order).' })
  sentimentTendency!: string;

  @Field({ description: 'highly_engaged, moderately_engaged, passive_buyer or new_user.' })
  engagementLevel!: string;
}

@ObjectType({
  description: 'A product similar to the main one, as match_products finds it, with its latest reviews.',
})
export class SurveyContextProduct {
  @Field(() => Product)
  product!: Product;

  @Field(() => Float, { description: 'Cosine similarity of its embedding to the main product’s.' })
  similarity!: number;

  @Field(() => [Review], { description: 'Its latest reviews (at most 10).' })
  reviews!: Review[];
}

@ObjectType({ description: 'One of the main user’s latest purchases, of a product similar to the main one.' })
export class SurveyContextPurchase {
  @Field(() => Transaction)
  transaction!: Transaction;

  @Field(() => Product)
  product!: Product;

  @Field(() => Float)
  similarity!: number;
}

@ObjectType({
  description:
    'What Survey Sensei’s survey agents read for a scenario run, from its stored rows, as they read their database: ' +
    'the survey trigger, the main product and its latest 50 reviews, similar products as match_products ranks them ' +
    '(cosine > 0.7, reviewed, top 5) with their latest 10 reviews, and the main user with their figures, labels and ' +
    'similar purchases (cosine ≥ 0.7 over their 50 latest purchases). Reviews without a purchase are not there.',
})
export class SurveyContext {
  @Field(() => ID)
  runId!: string;

  @Field(() => Transaction, {
    nullable: true,
    description: 'The survey trigger: the main user’s latest purchase of the main product.',
  })
  triggerPurchase!: Transaction | null;

  @Field(() => Product)
  mainProduct!: Product;

  @Field(() => [Review], { description: 'Its latest reviews (at most 50); empty for a new product.' })
  mainProductReviews!: Review[];

  @Field(() => [SurveyContextProduct])
  similarProducts!: SurveyContextProduct[];

  @Field(() => User)
  mainUser!: User;

  @Field(() => SurveySenseiProfile)
  mainUserProfile!: SurveySenseiProfile;

  @Field(() => [SurveyContextPurchase])
  mainUserSimilarPurchases!: SurveyContextPurchase[];

  @Field({
    description: 'Whether the run has embeddings: without them nothing is similar, as in the original.',
  })
  hasEmbeddings!: boolean;
}
