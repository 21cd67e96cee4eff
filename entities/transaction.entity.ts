import { Field, ID, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { DecimalScalar } from './scalars';
import { TransactionStatus, sqlValues } from './enums';
import { Product } from './product.entity';
import { RunScopedEntity } from './run-scoped.entity';
import { User } from './user.entity';

/** A purchase of a product by a user, with its delivery (and possibly return) dates. */
@ObjectType({ description: 'A purchase of a product by a user.' })
@Entity('transactions')
@Index(['runId', 'productId'])
@Index(['runId', 'userId'])
@Check('ck_transactions_status', `status IN (${sqlValues(TransactionStatus)})`)
@Check('ck_transactions_expected_after_order', 'expected_delivery_date >= order_date')
@Check('ck_transactions_delivery_after_order', 'delivery_date >= order_date')
@Check('ck_transactions_pending_undelivered', "(status = 'PENDING') = (delivery_date IS NULL)")
@Check('ck_transactions_return', "(status = 'RETURNED') = (return_date IS NOT NULL)")
@Check('ck_transactions_return_after_delivery', 'return_date >= delivery_date')
@Check('ck_transactions_prices', 'retail_price > 0 AND retail_price <= original_price')
export class Transaction extends RunScopedEntity {
  @Field(() => ID)
  @Column('uuid')
  productId!: string;

  @Field(() => ID)
  @Column('uuid')
  userId!: string;

  @Field(() => Date)
  @Column('timestamptz')
  orderDate!: Date;

  @Field(() => Date)
  @Column('timestamptz')
  expectedDeliveryDate!: Date;

  @Field(() => Date, { nullable: true, description: 'Null while the order is pending.' })
  @Column('timestamptz', { nullable: true })
  deliveryDate!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Set only for returned orders.' })
  @Column('timestamptz', { nullable: true })
  returnDate!: Date | null;

  @Field(() => DecimalScalar)
  @Column('numeric', { precision: 12, scale: 2 })
  originalPrice!: string;

  @Field(() => DecimalScalar, { description: 'Price paid: 0 < retailPrice ≤ originalPrice.' })
  @Column('numeric', { precision: 12, scale: 2 })
  retailPrice!: string;

  @Field(() => TransactionStatus)
  @Column('text')
  status!: TransactionStatus;

  @Field({ description: 'False for the main user’s purchases.' })
  @Column('boolean')
  isMock!: boolean;

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
}
