import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, JoinColumn, ManyToOne, Unique, type Relation } from 'typeorm';
import { numericAsNumber } from './column-transformers';
import { EngagementLevel, Sentiment, sqlValues } from './enums';
import { GenerationRun } from './generation-run.entity';
import { RunScopedEntity } from './run-scoped.entity';

/** A shopper persona: the main user of a scenario or one of the mock shoppers around them. */
@ObjectType({ description: 'A shopper: the main user of a scenario or a mock shopper.' })
@Entity('users')
@Unique(['runId', 'email'])
@Check('ck_users_age', 'age BETWEEN 1 AND 149')
@Check('ck_users_location', "location ~ '^[^,]+, [A-Z]{2}$'")
@Check('ck_users_zip', "zip ~ '^[0-9]{5}$'")
@Check('ck_users_persona', 'char_length(persona) BETWEEN 20 AND 400')
@Check('ck_users_totals', 'total_purchases >= 0 AND reviews_without_purchase >= 0')
@Check(
  'ck_users_reviews_need_purchases',
  'total_reviews BETWEEN 0 AND total_purchases + reviews_without_purchase',
)
@Check('ck_users_engagement_rate', 'review_engagement_rate BETWEEN 0 AND 1')
@Check('ck_users_avg_review_rating', 'avg_review_rating BETWEEN 0 AND 5')
@Check('ck_users_sentiment_tendency', `sentiment_tendency IN (${sqlValues(Sentiment)})`)
@Check('ck_users_engagement_level', `engagement_level IN (${sqlValues(EngagementLevel)})`)
export class User extends RunScopedEntity {
  @Field()
  @Column('text')
  name!: string;

  @Field()
  @Column('text')
  email!: string;

  @Field(() => Int)
  @Column('integer')
  age!: number;

  @Field({ description: '"City, ST".' })
  @Column('text')
  location!: string;

  @Field()
  @Column('text')
  zip!: string;

  @Field()
  @Column('text')
  gender!: string;

  @Field()
  @Column('boolean')
  isMainUser!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'A short shopping persona (habits, priorities, reviewing style); null on runs made before personas.',
  })
  @Column('text', { nullable: true })
  persona!: string | null;

  @Field(() => Int)
  @Column('integer')
  totalPurchases!: number;

  @Field(() => Int)
  @Column('integer')
  totalReviews!: number;

  @Field(() => Int, { description: 'Reviews written without a purchase (only scenario C1 allows them).' })
  @Column('integer', { default: 0 })
  reviewsWithoutPurchase!: number;

  @Field(() => Float, { description: 'Share of purchases the user reviewed (0–1).' })
  @Column('numeric', { precision: 5, scale: 4, transformer: numericAsNumber })
  reviewEngagementRate!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean stars of the user’s reviews; null without reviews.',
  })
  @Column('numeric', { precision: 3, scale: 2, nullable: true, transformer: numericAsNumber })
  avgReviewRating!: number | null;

  @Field(() => Sentiment)
  @Column('text')
  sentimentTendency!: Sentiment;

  @Field(() => EngagementLevel)
  @Column('text')
  engagementLevel!: EngagementLevel;

  @ManyToOne(() => GenerationRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: Relation<GenerationRun>;
}
