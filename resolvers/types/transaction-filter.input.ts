import { Field, InputType } from 'type-graphql';
import { TransactionStatus } from '../../entities/enums';
import type { SqlParams } from '../../src/read/listing';
import { ShopperActivityFilter, equals } from './run-scoped-filter.input';

@InputType({
  description: 'Filters for transactions; from/to bound the order date (from inclusive, to exclusive).',
})
export class TransactionFilter extends ShopperActivityFilter {
  protected readonly timeColumn = 'order_date';

  @Field(() => TransactionStatus, { nullable: true })
  status?: TransactionStatus | null;

  override conditions(params: SqlParams): string[] {
    return [...super.conditions(params), ...equals('status', this.status, params)];
  }
}
