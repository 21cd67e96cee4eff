import { Field, InputType } from 'type-graphql';
import { MemberRole } from '../../entities/enums';
import type { SqlParams } from '../../src/read/listing';
import { RunScopedFilter, equals } from './run-scoped-filter.input';

@InputType({ description: 'Filters for dashboard members.' })
export class MemberFilter extends RunScopedFilter {
  @Field(() => MemberRole, { nullable: true })
  role?: MemberRole | null;

  override conditions(params: SqlParams): string[] {
    return [...super.conditions(params), ...equals('role', this.role, params)];
  }
}
