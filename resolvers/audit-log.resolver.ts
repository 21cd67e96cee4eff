import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { AuditLog, GenerationRun, Member } from '../entities';
import type { Context } from '../src/graphql/context';
import { findRow, listRows, relatedRow, runOf } from './helpers';
import { AuditLogFilter } from './types/audit-log-filter.input';
import { AuditLogConnection } from './types/connections';
import { PageArgs } from './types/page.args';
import { RowRefArgs } from './types/row-ref.args';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver(() => AuditLog)
export class AuditLogResolver {
  @Query(() => AuditLogConnection, { description: 'Audit logs, newest first.' })
  auditLogs(
    @Args() page: PageArgs,
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | null,
    @Ctx() ctx: Context,
  ): Promise<AuditLogConnection> {
    return listRows(ctx, AuditLog, AuditLogConnection, filter, page);
  }

  @Query(() => AuditLog, { nullable: true, description: 'One audit log; NOT_FOUND for an unknown id.' })
  auditLog(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<AuditLog> {
    return findRow(ctx, AuditLog, ref);
  }

  @FieldResolver(() => Member)
  member(@Root() row: AuditLog, @Ctx() ctx: Context) {
    return relatedRow(ctx, Member, row.runId, row.memberId);
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() row: AuditLog, @Ctx() ctx: Context) {
    return runOf(ctx, row);
  }
}
