import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import {
  Agent,
  AuditLog,
  Conversation,
  CostRecord,
  DailyMetric,
  GenerationRun,
  Member,
  Product,
  Review,
  Transaction,
  User,
} from '../entities';
import type { Context } from '../src/graphql/context';
import { BadUserInputError, NotFoundError } from '../src/errors';
import { deleteRun } from '../src/runs/run-record';
import { CostSummary, Overview } from '../entities/dashboard-summaries';
import { FINISHED_STATUSES, RunKind } from '../entities/enums';
import { RunProgress } from '../entities/run-progress';
import { ApiKeys } from '../src/graphql/auth';
import { CostWindowArgs } from './types/dashboard.types';
import { childRows, listRows } from './helpers';
import { AgentFilter } from './types/agent-filter.input';
import { AuditLogFilter } from './types/audit-log-filter.input';
import {
  AgentConnection,
  AuditLogConnection,
  ConversationConnection,
  CostRecordConnection,
  DailyMetricConnection,
  GenerationRunConnection,
  MemberConnection,
  ProductConnection,
  ReviewConnection,
  TransactionConnection,
  UserConnection,
} from './types/connections';
import { ConversationFilter } from './types/conversation-filter.input';
import { CostRecordFilter } from './types/cost-record-filter.input';
import { DailyMetricFilter } from './types/daily-metric-filter.input';
import { MemberFilter } from './types/member-filter.input';
import { PageArgs } from './types/page.args';
import { ProductFilter } from './types/product-filter.input';
import { ReviewFilter } from './types/review-filter.input';
import { RunIdArgs } from './types/row-ref.args';
import { RunFilter } from './types/run-filter.input';
import { TransactionFilter } from './types/transaction-filter.input';
import { UserFilter } from './types/user-filter.input';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver(() => GenerationRun)
export class RunResolver {
  @Query(() => GenerationRunConnection, { description: 'Generation runs, newest first.' })
  runs(
    @Args() page: PageArgs,
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | null,
    @Ctx() ctx: Context,
  ): Promise<GenerationRunConnection> {
    return listRows(ctx, GenerationRun, GenerationRunConnection, filter, page);
  }

  @Query(() => GenerationRun, { nullable: true, description: 'One run; NOT_FOUND for an unknown id.' })
  async run(@Args() { id }: RunIdArgs, @Ctx() ctx: Context): Promise<GenerationRun> {
    const run = await ctx.loaders.run().load(id);
    if (!run) throw new NotFoundError('GenerationRun', 'id', id);
    return run;
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => GenerationRun, {
    description:
      'Deletes a run and every row it generated; returns the run as it was. A queued or running run is cancelled first.',
  })
  async deleteRun(@Args() { id }: RunIdArgs, @Ctx() ctx: Context): Promise<GenerationRun> {
    const current = await ctx.loaders.run().load(id);
    if (!current) throw new NotFoundError('GenerationRun', 'id', id);
    if (!FINISHED_STATUSES.includes(current.status)) await ctx.services.jobs.cancel(id);
    const run = await deleteRun(ctx.db, id);
    if (!run) throw new NotFoundError('GenerationRun', 'id', id);
    return run;
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => GenerationRun, {
    description:
      'Stops a queued or running run: it ends CANCELLED and keeps no rows. NOT_FOUND for an unknown run, CONFLICT for a finished one.',
  })
  cancelRun(@Args() { id }: RunIdArgs, @Ctx() ctx: Context): Promise<GenerationRun> {
    return ctx.services.jobs.cancel(id);
  }

  @Subscription(() => GenerationRun, {
    description:
      'The run each time its status or progress changes (over graphql-ws on /graphql), ending when it has finished.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      ApiKeys.require(ctx.principal, Role.VIEWER, 'Subscription.runProgress');
      return watchRun(ctx, (args as { id: string }).id);
    },
  })
  runProgress(@Root() run: GenerationRun, @Arg('id', () => ID) _id: string): GenerationRun {
    return run;
  }

  @FieldResolver(() => RunProgress, {
    nullable: true,
    description: 'Phase and rows written so far (null before a worker picks the run up).',
  })
  progress(@Root() run: GenerationRun, @Ctx() ctx: Context): RunProgress | null {
    return ctx.services.jobs.liveProgress(run.id) ?? run.progress;
  }

  @FieldResolver(() => Overview, {
    nullable: true,
    description: 'Headline numbers of a DASHBOARD run (null for other runs); the same as overview(runId).',
  })
  async overview(@Root() run: GenerationRun, @Ctx() ctx: Context): Promise<Overview | null> {
    return run.kind === RunKind.DASHBOARD ? ctx.loaders.overview().load(run.id) : null;
  }

  @FieldResolver(() => CostSummary, {
    description: 'The run’s cost records grouped by day, agent or model; the same as costSummary(runId).',
  })
  costSummary(
    @Root() run: GenerationRun,
    @Args() args: CostWindowArgs,
    @Ctx() ctx: Context,
  ): Promise<CostSummary> {
    return ctx.loaders.costSummary(args).load(run.id);
  }

  @FieldResolver(() => ProductConnection)
  products(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => ProductFilter, { nullable: true }) filter: ProductFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Product, ProductConnection, null, runKey(run), filter, page);
  }

  @FieldResolver(() => UserConnection)
  users(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, User, UserConnection, null, runKey(run), filter, page);
  }

  @FieldResolver(() => TransactionConnection)
  transactions(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => TransactionFilter, { nullable: true }) filter: TransactionFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Transaction, TransactionConnection, null, runKey(run), filter, page);
  }

  @FieldResolver(() => ReviewConnection)
  reviews(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => ReviewFilter, { nullable: true }) filter: ReviewFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Review, ReviewConnection, null, runKey(run), filter, page);
  }

  @FieldResolver(() => MemberConnection)
  members(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => MemberFilter, { nullable: true }) filter: MemberFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Member, MemberConnection, null, runKey(run), filter, page);
  }

  @FieldResolver(() => AgentConnection, {
    description: 'A dashboard run’s agents; a scenario run’s own pipeline agents (the four that built it).',
  })
  agents(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => AgentFilter, { nullable: true }) filter: AgentFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Agent, AgentConnection, null, runKey(run), filter, page);
  }

  @FieldResolver(() => ConversationConnection)
  conversations(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => ConversationFilter, { nullable: true }) filter: ConversationFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Conversation, ConversationConnection, null, runKey(run), filter, page);
  }

  @FieldResolver(() => DailyMetricConnection)
  dailyMetrics(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => DailyMetricFilter, { nullable: true }) filter: DailyMetricFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, DailyMetric, DailyMetricConnection, null, runKey(run), filter, page);
  }

  @FieldResolver(() => CostRecordConnection)
  costRecords(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => CostRecordFilter, { nullable: true }) filter: CostRecordFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, CostRecord, CostRecordConnection, null, runKey(run), filter, page);
  }

  @FieldResolver(() => AuditLogConnection)
  auditLogs(
    @Root() run: GenerationRun,
    @Args() page: PageArgs,
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, AuditLog, AuditLogConnection, null, runKey(run), filter, page);
  }
}

function runKey(run: GenerationRun) {
  return { runId: run.id, id: run.id };
}

/** The watched run, checked to exist first (NOT_FOUND otherwise). */
async function* watchRun(ctx: Context, id: string): AsyncGenerator<GenerationRun> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new BadUserInputError('id must be a UUID', 'id');
  }
  if (!(await ctx.services.jobs.current(id.toLowerCase())))
    throw new NotFoundError('GenerationRun', 'id', id);
  yield* ctx.services.jobs.watch(id.toLowerCase());
}
