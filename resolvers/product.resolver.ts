import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { GenerationRun, Product, Review, Transaction } from '../entities';
import type { Context } from '../src/graphql/context';
import { childRows, findRow, listRows, runOf } from './helpers';
import { ProductConnection, ReviewConnection, TransactionConnection } from './types/connections';
import { PageArgs } from './types/page.args';
import { ProductFilter } from './types/product-filter.input';
import { ReviewFilter } from './types/review-filter.input';
import { RowRefArgs } from './types/row-ref.args';
import { SimilarArgs, SimilarProductInfo, SimilarProductsArgs } from './types/similar-product.type';
import { TransactionFilter } from './types/transaction-filter.input';
import { Role } from '../src/roles';

@Authorized(Role.VIEWER)
@Resolver(() => Product)
export class ProductResolver {
  @Query(() => ProductConnection, { description: 'Products: the main one first, then by ASIN.' })
  products(
    @Args() page: PageArgs,
    @Arg('filter', () => ProductFilter, { nullable: true }) filter: ProductFilter | null,
    @Ctx() ctx: Context,
  ): Promise<ProductConnection> {
    return listRows(ctx, Product, ProductConnection, filter, page);
  }

  @Query(() => Product, { nullable: true, description: 'One product; NOT_FOUND for an unknown id.' })
  product(@Args() ref: RowRefArgs, @Ctx() ctx: Context): Promise<Product> {
    return findRow(ctx, Product, ref);
  }

  @FieldResolver(() => ReviewConnection)
  reviews(
    @Root() product: Product,
    @Args() page: PageArgs,
    @Arg('filter', () => ReviewFilter, { nullable: true }) filter: ReviewFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Review, ReviewConnection, 'product_id', product, filter, page);
  }

  @FieldResolver(() => TransactionConnection)
  transactions(
    @Root() product: Product,
    @Args() page: PageArgs,
    @Arg('filter', () => TransactionFilter, { nullable: true }) filter: TransactionFilter | null,
    @Ctx() ctx: Context,
  ) {
    return childRows(ctx, Transaction, TransactionConnection, 'product_id', product, filter, page);
  }

  @FieldResolver(() => GenerationRun)
  run(@Root() product: Product, @Ctx() ctx: Context) {
    return runOf(ctx, product);
  }

  @FieldResolver(() => [SimilarProductInfo], {
    description:
      'Products of the same run closest to this one by embedding (empty for a run without embeddings).',
  })
  similar(@Root() product: Product, @Args() { first }: SimilarArgs, @Ctx() ctx: Context) {
    return ctx.loaders.similarProducts(first).load(product);
  }

  @Query(() => [SimilarProductInfo], {
    description: 'Products closest to a product by cosine similarity of their embeddings.',
  })
  async similarProducts(
    @Args() args: SimilarProductsArgs,
    @Ctx() ctx: Context,
  ): Promise<SimilarProductInfo[]> {
    await findRow(ctx, Product, { runId: args.runId, id: args.productId } as RowRefArgs);
    return ctx.loaders.similarProducts(args.first).load({ runId: args.runId, id: args.productId });
  }
}
