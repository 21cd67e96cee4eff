import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { GenerationRun, Product, Review, Transaction, User } from '../entities';
import type { Context } from '../src/graphql/context';
import { findRow, listRows, relatedRow, runOf } from './helpers';
import { TransactionConnection } from './types/connections';
import { PageArgs } from './types/page.args';
import { RowRefArgs } from './types/row-ref.args';
import { TransactionFilter } from './types/transaction-filter.input';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver(() => Transaction)
export class TransactionResolver {
  @Query(() => TransactionConnection, { description: 'Transactions, newest order first.' })
  transactions(
    @Args() page: PageArgs,
    @Arg('filter', () => TransactionFilter, { nullable: true }) filter: TransactionFilter | null,
    @Ctx() ctx: Context,
  ): Promise<TransactionConnection> {
    return listRows(ctx, Transaction, TransactionConnection, filter, page);
  }

  @Query(() => Transaction, { nullable: true, description: 'One transaction; NOT_FOUND for an unknown id.' })
  transaction(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<Transaction> {
    return findRow(ctx, Transaction, ref);
  }

  @FieldResolver(() => Product)
  product(@Root() t: Transaction, @Ctx() ctx: Context) {
    return relatedRow(ctx, Product, t.runId, t.productId);
  }

  @FieldResolver(() => User)
  user(@Root() t: Transaction, @Ctx() ctx: Context) {
    return relatedRow(ctx, User, t.runId, t.userId);
  }

  @FieldResolver(() => Review, {
    nullable: true,
    description: 'The review written for this purchase, if any.',
  })
  review(@Root() t: Transaction, @Ctx() ctx: Context) {
    return ctx.loaders.byColumn(Review, 'transaction_id').load({ runId: t.runId, id: t.id });
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() t: Transaction, @Ctx() ctx: Context) {
    return runOf(ctx, t);
  }
}
