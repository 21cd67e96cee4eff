import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AuditAction } from '../../entities/enums';
import type { SqlParams } from '../../src/read/listing';
import { TimedFilter, equals } from './run-scoped-filter.input';

@InputType({ description: 'Filters for audit logs; from/to bound the time (from inclusive, to exclusive).' })
export class AuditLogFilter extends TimedFilter {
  protected readonly timeColumn = 'occurred_at';

  @Field(() => AuditAction, { nullable: true })
  action?: AuditAction | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  memberId?: string | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('action', this.action, params),
      ...equals('member_id', this.memberId?.toLowerCase(), params),
    ];
  }
}
