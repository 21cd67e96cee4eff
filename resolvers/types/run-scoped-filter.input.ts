import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { RowFilter, SqlParams } from '../../src/listing';

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
