import {
  ArrayMaxSize,
  IsEmail,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Field, Float, InputType, Int, registerEnumType } from 'type-graphql';
import { ProductCategory, ScenarioId } from '../../entities/enums';
import { DecimalScalar } from '../../entities/scalars';
import { IsAsOfDate, IsNotBefore, IsPositiveDecimal, SumsTo } from '../../src/graphql/validation';
import { IdempotencyKeyField } from './idempotency-key';
import { OptionalIntField } from './optional-int-field';

export enum Warmth {
  WARM = 'WARM',
  COLD = 'COLD',
}
registerEnumType(Warmth, { name: 'Warmth', description: 'WARM = has reviews (product) or history (user).' });

/** Bounds of every count a client may override; together they also cap a run's size. */
export const OVERRIDE_BOUNDS = {
  similarProducts: [5, 10],
  diverseProducts: [0, 20],
  mockUsers: [1, 100_000],
  mainProductReviews: [0, 500_000],
  reviewsPerSimilarProduct: [0, 200_000],
  reviewsPerDiverseProduct: [0, 20_000],
  silentPurchases: [0, 1_000_000],
  mainUserSimilarPurchases: [0, 10],
  mainUserSimilarReviews: [0, 10],
} as const;

@InputType({ description: 'The main user; anything left out is generated.' })
export class MainUserInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(149)
  age?: number | null;

  @Field(() => String, { nullable: true, description: '"City, ST", e.g. "San Francisco, CA".' })
  @IsOptional()
  @Matches(/^[^,]{1,80}, [A-Z]{2}$/, { message: 'location must look like "City, ST"' })
  location?: string | null;

  @Field(() => String, { nullable: true, description: 'Five-digit US ZIP code.' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'zip must be five digits' })
  zip?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  gender?: string | null;
}

@InputType({ description: 'The main product; anything left out is generated.' })
export class MainProductInput {
  @Field(() => String, { nullable: true, description: 'B followed by 9 upper-case letters or digits.' })
  @IsOptional()
  @Matches(/^B[0-9A-Z]{9}$/, { message: 'asin must be B followed by 9 upper-case letters or digits' })
  asin?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Its category is detected from the title unless given.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  title?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  brand?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'USD, greater than 0.' })
  @IsOptional()
  @IsPositiveDecimal(1_000_000)
  price?: string | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 1 })
  @Min(0)
  @Max(5)
  starRating?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  numRatings?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  description?: string | null;

  @Field(() => ProductCategory, { nullable: true })
  category?: string | null;
}

@InputType({ description: 'A real review of the main product (e.g. from RapidAPI), stored verbatim.' })
export class ApiReviewInput {
  @Field()
  @IsString()
  @Length(1, 300)
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;

  @Field()
  @IsString()
  @Length(1, 10_000)
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(5)
  stars!: number;
}

@InputType({ description: 'Percent of good (4–5★), neutral (3★) and bad (1–2★) reviews; sums to 100.' })
export class SentimentSpreadInput {
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(100)
  good!: number;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(100)
  neutral!: number;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(100)
  bad!: number;
}

@InputType({ description: 'An inclusive integer range.' })
export class IntRangeInput {
  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(OVERRIDE_BOUNDS.silentPurchases[1])
  min!: number;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(OVERRIDE_BOUNDS.silentPurchases[1])
  @IsNotBefore('min', { message: 'max must not be less than min' })
  max!: number;
}

@InputType({ description: 'Counts that replace the scenario’s defaults; a run with any of them is CUSTOM.' })
export class ScenarioOverridesInput {
  @OptionalIntField(OVERRIDE_BOUNDS.similarProducts)
  similarProducts?: number | null;

  @OptionalIntField(OVERRIDE_BOUNDS.diverseProducts)
  diverseProducts?: number | null;

  @OptionalIntField(OVERRIDE_BOUNDS.mockUsers)
  mockUsers?: number | null;

  @OptionalIntField(
    OVERRIDE_BOUNDS.mainProductReviews,
    'Mock shoppers’ reviews of the main product (group A only).',
  )
  mainProductReviews?: number | null;

  @OptionalIntField(OVERRIDE_BOUNDS.reviewsPerSimilarProduct)
  reviewsPerSimilarProduct?: number | null;

  @OptionalIntField(OVERRIDE_BOUNDS.reviewsPerDiverseProduct)
  reviewsPerDiverseProduct?: number | null;

  @Field(() => IntRangeInput, {
    nullable: true,
    description: 'Mock purchases of the main product without a review.',
  })
  @IsOptional()
  @ValidateNested()
  mainProductSilentPurchases?: IntRangeInput | null;

  @Field(() => IntRangeInput, {
    nullable: true,
    description: 'Mock purchases of similar products without a review.',
  })
  @IsOptional()
  @ValidateNested()
  similarSilentPurchases?: IntRangeInput | null;

  @OptionalIntField(OVERRIDE_BOUNDS.mainUserSimilarPurchases, 'Only when the scenario has similar purchases.')
  mainUserSimilarPurchases?: number | null;

  @OptionalIntField(OVERRIDE_BOUNDS.mainUserSimilarReviews, 'Only when the scenario has similar reviews.')
  mainUserSimilarReviews?: number | null;
}

/** What every scenario run of a main user and product shares (one run, or all 12 of them). */
@InputType()
export class ScenarioBasicsInput {
  @Field(() => MainUserInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  mainUser?: MainUserInput | null;

  @Field(() => MainProductInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  mainProduct?: MainProductInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Embed products, users and reviews (1536-d; default true). Off makes large runs much lighter.',
  })
  embeddings?: boolean | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Most the run’s LLM calls may cost, in USD (e.g. "0.0015"). Calls that could exceed it are not made; ' +
      'their texts come from the offline templates.',
  })
  @IsOptional()
  @Matches(/^\d{1,4}(\.\d{1,8})?$/, { message: 'maxCostUsd must be an amount in USD, at most 9999.99999999' })
  maxCostUsd?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Default 42. Same input + seed + asOf → same rows and ids.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  seed?: number | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Reference date, ISO 8601 ("2026-11-01" = 00:00 UTC). Default: today 00:00 UTC.',
  })
  @IsOptional()
  @IsAsOfDate()
  asOf?: Date | null;
}

@InputType({
  description:
    'What to generate: a scenario (A1–C4), or the four flags with product and user warmth (they must name exactly one scenario).',
})
export class GenerateScenarioInput extends ScenarioBasicsInput {
  @IdempotencyKeyField()
  idempotencyKey?: string | null;

  @Field(() => ScenarioId, { nullable: true, description: 'A1–C4 (a run with overrides records CUSTOM).' })
  scenario?: ScenarioId | null;

  @Field(() => Warmth, { nullable: true, description: 'WARM = the main product has reviews.' })
  productWarmth?: Warmth | null;

  @Field(() => Warmth, { nullable: true, description: 'WARM = the main user has a purchase history.' })
  userWarmth?: Warmth | null;

  @Field(() => Boolean, { nullable: true })
  userPurchasedExact?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  userPurchasedSimilar?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  userReviewedExact?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  userReviewedSimilar?: boolean | null;

  @Field(() => [ApiReviewInput], {
    nullable: true,
    description: 'Group A only; topped up with generated reviews.',
  })
  @IsOptional()
  @ArrayMaxSize(OVERRIDE_BOUNDS.mainProductReviews[1])
  @ValidateNested({ each: true })
  apiReviews?: ApiReviewInput[] | null;

  @Field(() => SentimentSpreadInput, {
    nullable: true,
    description: 'Spread of the main product’s reviews (default 60/25/15), met exactly after rounding.',
  })
  @IsOptional()
  @ValidateNested()
  @SumsTo(100, ['good', 'neutral', 'bad'])
  sentimentSpread?: SentimentSpreadInput | null;

  @Field(() => ScenarioOverridesInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  overrides?: ScenarioOverridesInput | null;
}

@InputType({
  description:
    'All 12 scenarios for one main user and product, as the Survey Sensei evaluation needs: each run gets these ' +
    'values and its scenario.',
})
export class GenerateAllScenariosInput extends ScenarioBasicsInput {}
