import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Agent, CostRecord, GenerationRun } from '../entities';
import type { Context } from '../src/graphql/context';
import { findRow, listRows, relatedRow, runOf } from './helpers';
import { CostRecordConnection } from './types/connections';
import { CostRecordFilter } from './types/cost-record-filter.input';
import { PageArgs } from './types/page.args';
import { RowRefArgs } from './types/row-ref.args';
import { Role } from '../src/roles';
import { dashboardRowsUnlessRunNamed } from './types/run-scoped-filter.input';

@Authorized(Role.VIEWER)
@Resolver(() => CostRecord)
export class CostRecordResolver {
  @Query(() => CostRecordConnection, {
    description:
      'Cost records of dashboard runs per agent and day, oldest first (a scenario run’s billed usage: filter by its runId or pricedRunId).',
  })
  costRecords(
    @Args() page: PageArgs,
    @Arg('filter', () => CostRecordFilter, { nullable: true }) filter: CostRecordFilter | null,
    @Ctx() ctx: Context,
  ): Promise<CostRecordConnection> {
    return listRows(ctx, CostRecord, CostRecordConnection, dashboardRowsUnlessRunNamed(filter), page);
  }

  @Query(() => CostRecord, { nullable: true, description: 'One row; NOT_FOUND for an unknown id.' })
  costRecord(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<CostRecord> {
    return findRow(ctx, CostRecord, ref);
  }

  @FieldResolver(() => Agent)
  agent(@Root() row: CostRecord, @Ctx() ctx: Context) {
    return relatedRow(ctx, Agent, row.runId, row.agentId);
  }

  @FieldResolver(() => GenerationRun, {
    nullable: true,
    description: 'The generation run this record prices, if any.',
  })
  pricedRun(@Root() row: CostRecord, @Ctx() ctx: Context) {
    return row.pricedRunId ? ctx.loaders.run().load(row.pricedRunId) : null;
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() row: CostRecord, @Ctx() ctx: Context) {
    return runOf(ctx, row);
  }
}
