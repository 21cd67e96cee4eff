import { Field, InputType } from 'type-graphql';
import { ProductCategory, ProductRole } from '../../entities/enums';
import type { SqlParams } from '../../src/read/listing';
import { RunScopedFilter, equals } from './run-scoped-filter.input';

@InputType({ description: 'Filters for products.' })
export class ProductFilter extends RunScopedFilter {
  @Field(() => ProductRole, { nullable: true })
  role?: ProductRole | null;

  @Field(() => ProductCategory, { nullable: true })
  category?: string | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('role', this.role, params),
      ...equals('category', this.category, params),
    ];
  }
}
