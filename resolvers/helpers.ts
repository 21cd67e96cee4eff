import type { ObjectLiteral } from 'typeorm';
import { GenerationRun } from '../entities';
import type { Context } from '../src/graphql/context';
import { NotFoundError } from '../src/errors';
import { fetchPage, type RowFilter } from '../src/read/listing';
import { orderOf } from '../src/read/list-order';
import { toConnection, type ConnectionInstance } from './types/connections';
import type { PageArgs } from './types/page.args';
import type { RowRefArgs } from './types/row-ref.args';

type EntityClass<T> = { new (): T; name: string };
type ConnectionClass<C> = new () => C;

/** A top-level list query: one page of `entity` matching `filter`. */
export async function listRows<T extends ObjectLiteral, C extends ConnectionInstance<T>>(
  ctx: Context,
  entity: EntityClass<T>,
  Connection: ConnectionClass<C>,
  filter: RowFilter | null | undefined,
  args: PageArgs,
): Promise<C> {
  const page = await fetchPage(ctx.db.dataSource, entity, orderOf(entity), filter, args.toPage());
  return toConnection(Connection, page);
}

/**
 * A relationship list (Product.reviews): batched through the request's loader, so a page of 500
 * products costs one statement for all their reviews. `parentColumn` null means "rows of the run".
 */
export async function childRows<T extends ObjectLiteral, C extends ConnectionInstance<T>>(
  ctx: Context,
  entity: EntityClass<T>,
  Connection: ConnectionClass<C>,
  parentColumn: string | null,
  parent: { runId: string; id: string },
  filter: RowFilter | null | undefined,
  args: PageArgs,
): Promise<C> {
  const page = await ctx.loaders.pageOf(entity, parentColumn, filter, args.toPage()).load(parent);
  return toConnection(Connection, page);
}

/** A by-id query: the row, or NOT_FOUND naming the id argument. */
export async function findRow<T extends ObjectLiteral>(
  ctx: Context,
  entity: EntityClass<T>,
  ref: RowRefArgs,
): Promise<T> {
  const row = await ctx.loaders.byId(entity).load({ runId: ref.runId, id: ref.id });
  if (!row) throw new NotFoundError(entity.name, 'id', ref.id);
  return row;
}

/** A to-one relationship by foreign key (Transaction.product). Foreign keys guarantee a row. */
export async function relatedRow<T extends ObjectLiteral>(
  ctx: Context,
  entity: EntityClass<T>,
  runId: string,
  id: string,
): Promise<T> {
  const row = await ctx.loaders.byId(entity).load({ runId, id });
  if (!row) throw new Error(`${entity.name} ${id} of run ${runId} is missing`);
  return row;
}

/** The run a row belongs to. */
export async function runOf(ctx: Context, row: { runId: string }): Promise<GenerationRun> {
  const run = await ctx.loaders.run().load(row.runId);
  if (!run) throw new Error(`Run ${row.runId} is missing`);
  return run;
}
