import { WaitArg } from './types/wait-arg';
import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { GenerationRun } from '../entities';
import type { Context } from '../src/graphql/context';
import { NotFoundError } from '../src/errors';
import { resolveDashboardRequest } from '../src/pipeline/dashboard/dashboard-request';
import { CostSummary, Overview } from '../entities/dashboard-summaries';
import { CostSummaryArgs, OverviewArgs } from './types/dashboard.types';
import { GenerateDashboardInput } from './types/generate-dashboard.input';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver()
export class DashboardResolver {
  @Authorized(Role.OPERATOR)
  @Mutation(() => GenerationRun, {
    description:
      'Generates an agent-monitoring dataset (members, agents, conversations, daily metrics, costs, audit logs) as one ' +
      'run. The same input gives the same rows and ids; bad input is refused with BAD_USER_INPUT and writes nothing.',
  })
  generateDashboard(
    @Arg('input', () => GenerateDashboardInput, { nullable: true }) input: GenerateDashboardInput | null,
    @WaitArg() wait: boolean,
    @Ctx() ctx: Context,
  ): Promise<GenerationRun> {
    // "Today" is read here, at the edge; generation only ever sees the resolved asOf.
    const request = resolveDashboardRequest(input, new Date());
    return ctx.services.jobs.submitDashboard(request, { wait, idempotencyKey: input?.idempotencyKey });
  }

  @Query(() => CostSummary, {
    description: 'Cost records of a run grouped by day, agent or model, with totals.',
  })
  async costSummary(@Args() args: CostSummaryArgs, @Ctx() ctx: Context): Promise<CostSummary> {
    await requireRun(ctx, args.runId);
    return ctx.loaders.costSummary(args).load(args.runId);
  }

  @Query(() => Overview, {
    description: 'Totals of a run: conversations, success rate, tokens, cost, agents per status.',
  })
  async overview(@Args() args: OverviewArgs, @Ctx() ctx: Context): Promise<Overview> {
    await requireRun(ctx, args.runId);
    return ctx.loaders.overview().load(args.runId);
  }
}

async function requireRun(ctx: Context, runId: string): Promise<void> {
  if (!(await ctx.loaders.run().load(runId))) throw new NotFoundError('GenerationRun', 'runId', runId);
}
