import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AuditAction } from '../../entities/enums';
import type { SqlParams } from '../../src/listing';
import { IsNotBefore } from '../../src/validation';
import { RunScopedFilter, equals, timeRange } from './run-scoped-filter.input';

@InputType({ description: 'Filters for audit logs; from/to bound the time (from inclusive, to exclusive).' })
export class AuditLogFilter extends RunScopedFilter {
  @Field(() => AuditAction, { nullable: true })
  action?: AuditAction | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  memberId?: string | null;

  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsNotBefore('from')
  to?: Date | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('action', this.action, params),
      ...equals('member_id', this.memberId?.toLowerCase(), params),
      ...timeRange('occurred_at', this.from, this.to, params),
    ];
  }
}
