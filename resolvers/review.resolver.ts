import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { GenerationRun, Product, Review, Transaction, User } from '../entities';
import type { Context } from '../src/graphql/context';
import { findRow, listRows, relatedRow, runOf } from './helpers';
import { ReviewConnection } from './types/connections';
import { PageArgs } from './types/page.args';
import { ReviewFilter } from './types/review-filter.input';
import { RowRefArgs } from './types/row-ref.args';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver(() => Review)
export class ReviewResolver {
  @Query(() => ReviewConnection, { description: 'Reviews, newest first.' })
  reviews(
    @Args() page: PageArgs,
    @Arg('filter', () => ReviewFilter, { nullable: true }) filter: ReviewFilter | null,
    @Ctx() ctx: Context,
  ): Promise<ReviewConnection> {
    return listRows(ctx, Review, ReviewConnection, filter, page);
  }

  @Query(() => Review, { nullable: true, description: 'One review; NOT_FOUND for an unknown id.' })
  review(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<Review> {
    return findRow(ctx, Review, ref);
  }

  @FieldResolver(() => Product)
  product(@Root() r: Review, @Ctx() ctx: Context) {
    return relatedRow(ctx, Product, r.runId, r.productId);
  }

  @FieldResolver(() => User)
  user(@Root() r: Review, @Ctx() ctx: Context) {
    return relatedRow(ctx, User, r.runId, r.userId);
  }

  @FieldResolver(() => Transaction, {
    nullable: true,
    description: 'Null for a review written without a purchase.',
  })
  transaction(@Root() r: Review, @Ctx() ctx: Context) {
    return r.transactionId ? relatedRow(ctx, Transaction, r.runId, r.transactionId) : null;
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() r: Review, @Ctx() ctx: Context) {
    return runOf(ctx, r);
  }
}
