import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Agent, AuditLog, GenerationRun, Member } from '../entities';
import type { Context } from '../src/graphql/context';
import { childRows, findRow, listRows, runOf } from './helpers';
import { AgentFilter } from './types/agent-filter.input';
import { AuditLogFilter } from './types/audit-log-filter.input';
import { AgentConnection, AuditLogConnection, MemberConnection } from './types/connections';
import { MemberFilter } from './types/member-filter.input';
import { PageArgs } from './types/page.args';
import { RowRefArgs } from './types/row-ref.args';
import { Role } from '../src/roles';
import { dashboardRowsUnlessRunNamed } from './types/run-scoped-filter.input';

@Authorized(Role.VIEWER)
@Resolver(() => Member)
export class MemberResolver {
  @Query(() => MemberConnection, {
    description:
      'Dashboard members, by role then name (a scenario run’s pipeline member: filter by its runId).',
  })
  members(
    @Args() page: PageArgs,
    @Arg('filter', () => MemberFilter, { nullable: true }) filter: MemberFilter | null,
    @Ctx() ctx: Context,
  ): Promise<MemberConnection> {
    return listRows(ctx, Member, MemberConnection, dashboardRowsUnlessRunNamed(filter), page);
  }

  @Query(() => Member, { nullable: true, description: 'One member; NOT_FOUND for an unknown id.' })
  member(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<Member> {
    return findRow(ctx, Member, ref);
  }

  @FieldResolver(() => AgentConnection, { description: 'Agents this member created.' })
  agents(
    @Root() member: Member,
    @Args() page: PageArgs,
    @Arg('filter', () => AgentFilter, { nullable: true }) filter: AgentFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Agent, AgentConnection, 'created_by_id', member, filter, page);
  }

  @FieldResolver(() => AuditLogConnection)
  auditLogs(
    @Root() member: Member,
    @Args() page: PageArgs,
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, AuditLog, AuditLogConnection, 'member_id', member, filter, page);
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() member: Member, @Ctx() ctx: Context) {
    return runOf(ctx, member);
  }
}
