import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Agent, DailyMetric, GenerationRun } from '../entities';
import type { Context } from '../src/graphql/context';
import { findRow, listRows, relatedRow, runOf } from './helpers';
import { DailyMetricConnection } from './types/connections';
import { DailyMetricFilter } from './types/daily-metric-filter.input';
import { PageArgs } from './types/page.args';
import { RowRefArgs } from './types/row-ref.args';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver(() => DailyMetric)
export class DailyMetricResolver {
  @Query(() => DailyMetricConnection, { description: 'Daily metrics per agent, oldest day first.' })
  dailyMetrics(
    @Args() page: PageArgs,
    @Arg('filter', () => DailyMetricFilter, { nullable: true }) filter: DailyMetricFilter | null,
    @Ctx() ctx: Context,
  ): Promise<DailyMetricConnection> {
    return listRows(ctx, DailyMetric, DailyMetricConnection, filter, page);
  }

  @Query(() => DailyMetric, { nullable: true, description: 'One row; NOT_FOUND for an unknown id.' })
  dailyMetric(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<DailyMetric> {
    return findRow(ctx, DailyMetric, ref);
  }

  @FieldResolver(() => Agent)
  agent(@Root() row: DailyMetric, @Ctx() ctx: Context) {
    return relatedRow(ctx, Agent, row.runId, row.agentId);
  }

  @FieldResolver(() => Int, {
    description:
      'Stored conversations of this agent-day: the sample’s proportional share of conversationCount (conversationCount × the run’s stored conversations / all its conversations, rounded down or up).',
  })
  storedConversationCount(@Root() row: DailyMetric, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.storedConversations().load({ runId: row.runId, agentId: row.agentId, date: row.date });
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() row: DailyMetric, @Ctx() ctx: Context) {
    return runOf(ctx, row);
  }
}
