import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, Unique, type Relation } from 'typeorm';
import { ReviewSource, sqlValues } from './enums';
import { Product } from './product.entity';
import { RunScopedEntity } from './run-scoped.entity';
import { Transaction } from './transaction.entity';
import { User } from './user.entity';

/** A product review; it belongs to its own transaction unless written without a purchase. */
@ObjectType({ description: 'A product review.' })
@Entity('reviews')
@Unique(['runId', 'transactionId'])
@Index(['runId', 'productId'])
@Index(['runId', 'userId'])
@Check('ck_reviews_stars', 'stars BETWEEN 1 AND 5')
@Check('ck_reviews_source', `source IN (${sqlValues(ReviewSource)})`)
@Check('ck_reviews_text', 'length(btrim(text)) > 0 AND length(btrim(title)) > 0')
export class Review extends RunScopedEntity {
  @Field(() => ID)
  @Column('uuid')
  productId!: string;

  @Field(() => ID)
  @Column('uuid')
  userId!: string;

  @Field(() => ID, { nullable: true, description: 'Null only for a review written without a purchase.' })
  @Column('uuid', { nullable: true })
  transactionId!: string | null;

  @Field()
  @Column('text')
  title!: string;

  @Field()
  @Column('text')
  text!: string;

  @Field(() => Int)
  @Column('integer')
  stars!: number;

  @Field(() => ReviewSource)
  @Column('text')
  source!: ReviewSource;

  @Field(() => Date)
  @Column('timestamptz')
  reviewedAt!: Date;

  @ManyToOne(() => Product, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'run_id', referencedColumnName: 'runId' },
    { name: 'product_id', referencedColumnName: 'id' },
  ])
  product?: Relation<Product>;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'run_id', referencedColumnName: 'runId' },
    { name: 'user_id', referencedColumnName: 'id' },
  ])
  user?: Relation<User>;

  @ManyToOne(() => Transaction, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'run_id', referencedColumnName: 'runId' },
    { name: 'transaction_id', referencedColumnName: 'id' },
  ])
  transaction?: Relation<Transaction>;
}
