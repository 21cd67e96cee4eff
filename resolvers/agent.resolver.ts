import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Agent, Conversation, CostRecord, DailyMetric, GenerationRun, Member } from '../entities';
import type { Context } from '../src/graphql/context';
import { AgentMetrics } from '../entities/dashboard-summaries';
import { childRows, findRow, listRows, relatedRow, runOf } from './helpers';
import {
  AgentConnection,
  ConversationConnection,
  CostRecordConnection,
  DailyMetricConnection,
} from './types/connections';
import { AgentFilter } from './types/agent-filter.input';
import { ConversationFilter } from './types/conversation-filter.input';
import { CostRecordFilter } from './types/cost-record-filter.input';
import { DailyMetricFilter } from './types/daily-metric-filter.input';
import { PageArgs } from './types/page.args';
import { RowRefArgs } from './types/row-ref.args';
import { Role } from '../src/roles';
import { dashboardRowsUnlessRunNamed } from './types/run-scoped-filter.input';

@Authorized(Role.VIEWER)
@Resolver(() => Agent)
export class AgentResolver {
  @Query(() => AgentConnection, {
    description:
      'Monitored agents of dashboard runs, by name (a scenario run’s pipeline agents: filter by its runId, or `run.agents`).',
  })
  agents(
    @Args() page: PageArgs,
    @Arg('filter', () => AgentFilter, { nullable: true }) filter: AgentFilter | null,
    @Ctx() ctx: Context,
  ): Promise<AgentConnection> {
    return listRows(ctx, Agent, AgentConnection, dashboardRowsUnlessRunNamed(filter), page);
  }

  @Query(() => Agent, { nullable: true, description: 'One agent; NOT_FOUND for an unknown id.' })
  agent(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<Agent> {
    return findRow(ctx, Agent, ref);
  }

  @FieldResolver(() => AgentMetrics, {
    description:
      'Totals over the run’s window: conversations, mean response time and success rate (one statement per page).',
  })
  metrics(@Root() agent: Agent, @Ctx() ctx: Context): Promise<AgentMetrics> {
    return ctx.loaders.agentMetrics().load(agent);
  }

  @FieldResolver(() => ConversationConnection)
  conversations(
    @Root() agent: Agent,
    @Args() page: PageArgs,
    @Arg('filter', () => ConversationFilter, { nullable: true }) filter: ConversationFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Conversation, ConversationConnection, 'agent_id', agent, filter, page);
  }

  @FieldResolver(() => DailyMetricConnection)
  dailyMetrics(
    @Root() agent: Agent,
    @Args() page: PageArgs,
    @Arg('filter', () => DailyMetricFilter, { nullable: true }) filter: DailyMetricFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, DailyMetric, DailyMetricConnection, 'agent_id', agent, filter, page);
  }

  @FieldResolver(() => CostRecordConnection)
  costRecords(
    @Root() agent: Agent,
    @Args() page: PageArgs,
    @Arg('filter', () => CostRecordFilter, { nullable: true }) filter: CostRecordFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, CostRecord, CostRecordConnection, 'agent_id', agent, filter, page);
  }

  @FieldResolver(() => Member)
  createdBy(@Root() agent: Agent, @Ctx() ctx: Context) {
    return relatedRow(ctx, Member, agent.runId, agent.createdById);
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() agent: Agent, @Ctx() ctx: Context) {
    return runOf(ctx, agent);
  }
}
