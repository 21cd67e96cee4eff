import { Field, InputType } from 'type-graphql';
import type { SqlParams } from '../../src/read/listing';
import { RunScopedFilter, equals } from './run-scoped-filter.input';

@InputType({ description: 'Filters for shoppers.' })
export class UserFilter extends RunScopedFilter {
  @Field(() => Boolean, { nullable: true })
  isMainUser?: boolean | null;

  override conditions(params: SqlParams): string[] {
    return [...super.conditions(params), ...equals('is_main_user', this.isMainUser, params)];
  }
}
