import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { GenerationRun, Review, Transaction, User } from '../entities';
import type { Context } from '../src/graphql/context';
import { childRows, findRow, listRows, runOf } from './helpers';
import { ReviewConnection, TransactionConnection, UserConnection } from './types/connections';
import { PageArgs } from './types/page.args';
import { ReviewFilter } from './types/review-filter.input';
import { RowRefArgs } from './types/row-ref.args';
import { TransactionFilter } from './types/transaction-filter.input';
import { UserFilter } from './types/user-filter.input';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver(() => User)
export class UserResolver {
  @Query(() => UserConnection, { description: 'Shoppers: the main user first, then by name.' })
  users(
    @Args() page: PageArgs,
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Ctx() ctx: Context,
  ): Promise<UserConnection> {
    return listRows(ctx, User, UserConnection, filter, page);
  }

  @Query(() => User, { nullable: true, description: 'One shopper; NOT_FOUND for an unknown id.' })
  user(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<User> {
    return findRow(ctx, User, ref);
  }

  @FieldResolver(() => TransactionConnection)
  transactions(
    @Root() user: User,
    @Args() page: PageArgs,
    @Arg('filter', () => TransactionFilter, { nullable: true }) filter: TransactionFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Transaction, TransactionConnection, 'user_id', user, filter, page);
  }

  @FieldResolver(() => ReviewConnection)
  reviews(
    @Root() user: User,
    @Args() page: PageArgs,
    @Arg('filter', () => ReviewFilter, { nullable: true }) filter: ReviewFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Review, ReviewConnection, 'user_id', user, filter, page);
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() user: User, @Ctx() ctx: Context) {
    return runOf(ctx, user);
  }
}
