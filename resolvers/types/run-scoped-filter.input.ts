import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { RunKind } from '../../entities/enums';
import { LocalDateScalar } from '../../entities/scalars';
import { IsNotBefore } from '../../src/graphql/validation';
import type { RowFilter, SqlParams } from '../../src/read/listing';

/** `column = $n` when the filter value is set (null and undefined mean "any"). */
export function equals(column: string, value: unknown, params: SqlParams): string[] {
  return value === null || value === undefined ? [] : [`${column} = ${params.add(value)}`];
}

/** A time range: `from` inclusive, `to` exclusive (so consecutive ranges never overlap). */
export function timeRange(
  column: string,
  from: Date | null | undefined,
  to: Date | null | undefined,
  params: SqlParams,
): string[] {
  return [
    ...(from ? [`${column} >= ${params.add(from)}`] : []),
    ...(to ? [`${column} < ${params.add(to)}`] : []),
  ];
}

/** A date range: both ends inclusive, as calendars read them. */
export function dateRange(
  column: string,
  from: string | null | undefined,
  to: string | null | undefined,
  params: SqlParams,
): string[] {
  return [
    ...(from ? [`${column} >= ${params.add(from)}::date`] : []),
    ...(to ? [`${column} <= ${params.add(to)}::date`] : []),
  ];
}

/** Filters of run-scoped lists start from the run (registered only so subclasses inherit its field). */
@InputType()
export abstract class RunScopedFilter implements RowFilter {
  @Field(() => ID, { nullable: true, description: 'Only rows of this run.' })
  @IsOptional()
  @IsUUID('all')
  runId?: string | null;

  conditions(params: SqlParams): string[] {
    return equals('run_id', this.runId?.toLowerCase(), params);
  }
}

/**
 * The top-level lists of the dashboard model (agents, members, cost records): without a runId,
 * only rows of DASHBOARD runs — a scenario run's own pipeline agents, its member and its billed
 * usage belong to that run (`run.agents`, or the list filtered by its runId or pricedRunId).
 */
export function dashboardRowsUnlessRunNamed(
  filter: (RunScopedFilter & { pricedRunId?: string | null }) | null,
): RowFilter {
  return {
    conditions(params: SqlParams): string[] {
      const named = Boolean(filter?.runId || filter?.pricedRunId);
      return [
        ...(filter?.conditions(params) ?? []),
        ...(named ? [] : [`run_id IN (SELECT id FROM generation_runs WHERE kind = '${RunKind.DASHBOARD}')`]),
      ];
    },
  };
}

/** Filters of time series: `from` inclusive, `to` exclusive, on the subclass's time column. */
@InputType()
export abstract class TimedFilter extends RunScopedFilter {
  protected abstract readonly timeColumn: string;

  @Field(() => Date, { nullable: true, description: 'From this time on (inclusive).' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Before this time (exclusive).' })
  @IsNotBefore('from')
  to?: Date | null;

  override conditions(params: SqlParams): string[] {
    return [...super.conditions(params), ...timeRange(this.timeColumn, this.from, this.to, params)];
  }
}

/** Filters of what shoppers did (purchases, reviews): a time range, the product and the shopper. */
@InputType()
export abstract class ShopperActivityFilter extends TimedFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  productId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  userId?: string | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('product_id', this.productId?.toLowerCase(), params),
      ...equals('user_id', this.userId?.toLowerCase(), params),
    ];
  }
}

/** Filters of per-agent daily rows: the agent and a range of dates (both inclusive). */
@InputType()
export abstract class AgentDaysFilter extends RunScopedFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all')
  agentId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'First day (inclusive).' })
  from?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day (inclusive).' })
  @IsNotBefore('from')
  to?: string | null;

  override conditions(params: SqlParams): string[] {
    return [
      ...super.conditions(params),
      ...equals('agent_id', this.agentId?.toLowerCase(), params),
      ...dateRange('date', this.from, this.to, params),
    ];
  }
}
