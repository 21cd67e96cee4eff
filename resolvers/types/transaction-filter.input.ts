import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { TransactionStatus } from '../../entities/enums';
import type { SqlParams } from '../../src/listing';
import { TimedFilter, equals } from './run-scoped-filter.input';

@InputType({
  description: 'Filters for transactions; from/to bound the order date (from inclusive, to exclusive).',
})
export class TransactionFilter extends TimedFilter {
  protected readonly timeColumn = 'order_date';

  @Field(() => TransactionStatus, { nullable: true })
  status?: TransactionStatus | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  productId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  userId?: string | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('status', this.status, params),
      ...equals('product_id', this.productId?.toLowerCase(), params),
      ...equals('user_id', this.userId?.toLowerCase(), params),
    ];
  }
}
