import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, JoinColumn, ManyToOne, Unique, type Relation } from 'typeorm';
import { DecimalScalar } from './scalars';
import { numericAsNumber } from './column-transformers';
import { ProductCategory, ProductRole, sqlValues } from './enums';
import { GenerationRun } from './generation-run.entity';
import { RunScopedEntity } from './run-scoped.entity';

/** A product of a scenario's e-commerce world: the main product, similar ones and diverse ones. */
@ObjectType({ description: 'A product: the main one, a similar one or a diverse one.' })
@Entity('products')
@Unique(['runId', 'asin'])
@Check('ck_products_asin', "asin ~ '^B[0-9A-Z]{9}$'")
@Check('ck_products_role', `role IN (${sqlValues(ProductRole)})`)
@Check('ck_products_price', 'price >= 0')
@Check('ck_products_star_rating', 'star_rating BETWEEN 0 AND 5')
@Check('ck_products_num_ratings', 'num_ratings >= 0')
@Check('ck_products_review_count', 'review_count >= 0')
export class Product extends RunScopedEntity {
  @Field({ description: 'Amazon-style id: B followed by 9 upper-case letters or digits.' })
  @Column('text')
  asin!: string;

  @Field(() => ProductRole)
  @Column('text')
  role!: ProductRole;

  @Field()
  @Column('text')
  title!: string;

  @Field()
  @Column('text')
  brand!: string;

  @Field()
  @Column('text')
  description!: string;

  @Field(() => ProductCategory)
  @Column('text')
  category!: string;

  @Field(() => DecimalScalar, { description: 'List price in USD.' })
  @Column('numeric', { precision: 12, scale: 2 })
  price!: string;

  @Field(() => Float)
  @Column('numeric', { precision: 2, scale: 1, transformer: numericAsNumber })
  starRating!: number;

  @Field(() => Int)
  @Column('integer')
  numRatings!: number;

  @Field(() => Int, { description: 'Reviews of this product stored in the run.' })
  @Column('integer')
  reviewCount!: number;

  @Field(() => [String])
  @Column('text', { array: true })
  photos!: string[];

  @Field()
  @Column('text')
  productUrl!: string;

  @Field({ description: 'False for the main product (it stands for a real catalogue item).' })
  @Column('boolean')
  isMock!: boolean;

  @ManyToOne(() => GenerationRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: Relation<GenerationRun>;
}
