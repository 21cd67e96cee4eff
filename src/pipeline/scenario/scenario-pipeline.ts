import {
  chunkCount,
  planOrders,
  plannedRows,
  productsBoughtBy,
  shopperCount,
  type OrderParams,
} from '../../../generators/ecommerce/orders';
import { generateProducts, type ProductRow } from '../../../generators/ecommerce/products';
import { generateUsers, withAggregates, type UserRow } from '../../../generators/ecommerce/users';
import { seededFaker } from '../../../generators/random';
import { productEmbeddingText, reviewEmbeddingText, userEmbeddingText } from '../../llm/embedding-text';
import { settleAll } from '../../llm/settle-all';
import type { EmbeddingItem, PersonaBrief, ProductMeaning, TextWriter } from '../../llm/text-writer';
import { yieldToEventLoop, type EmbeddingOwner } from '../bulk-writer';
import { chunkSource, type OrdersWorld } from './chunk-source';

export type { OrdersWorld } from './chunk-source';
import { checkCancelled, NO_CONTROL, type RunControl } from '../run-control';
import type { RunOutcome } from '../run-outcome';

import type { ScenarioRequest } from './scenario-request';
import type { ScenarioSink } from './scenario-sinks';

export { DatabaseSink, DiscardSink, type ScenarioSink } from './scenario-sinks';

/** What generation itself reports; the contract and the fingerprint come from the stored rows. */
export type GeneratedScenario = Omit<RunOutcome, 'contract' | 'fingerprint'>;

/** The world a scenario's orders happen in: products with their text, shoppers with personas, the plan. */
export interface ScenarioWorld extends OrdersWorld {
  products: ProductRow[];
  users: UserRow[];
  /** Rows the run writes: products, shoppers, and the plan's transactions and reviews (exact). */
  expectedRows: number;
}

/**
 * Builds the world before any order: products and users (independent phases, each with its own
 * seeded faker), their text from the writer, and the order plan. Deterministic, so each shard of
 * a run fanned out over workers builds the very same one.
 */
export async function buildWorld(
  writer: TextWriter,
  request: ScenarioRequest,
  runId: string,
): Promise<ScenarioWorld> {
  const { config, seed } = request;
  const generated = generateProducts(seededFaker(seed, 'products'), {
    runId,
    main: request.mainProduct,
    similarCount: config.counts.similarProducts,
    diverseCount: config.counts.diverseProducts,
  });
  // The scenario's mock shoppers, plus as many more as one review per shopper and product needs.
  const users = generateUsers(
    seededFaker(seed, 'users'),
    runId,
    request.mainUser,
    shopperCount(config.counts),
  );

  // generated[0] is the main product. Products and personas are independent: written concurrently
  // (products first in line, which is what a budget decides by).
  const [copies] = await Promise.all([
    writer.products(generated.map((g) => g.brief)),
    writePersonas(writer, users, generated[0].row.category),
  ]);
  const products = generated.map((g, i) => ({
    ...g.row,
    title: g.row.title || copies[i].title,
    description: g.row.description || copies[i].description,
  }));

  const params: OrderParams = {
    runId,
    seed,
    asOf: request.asOf,
    counts: config.counts,
    reviewsWithoutPurchase: config.reviewsWithoutPurchase,
    products,
    userIds: users.map((u) => u.id),
    spread: request.spread,
    apiReviews: request.apiReviews,
  };
  const plan = planOrders(params);
  products.forEach((p, i) => (p.reviewCount = plan.reviewsPerProduct[i]));
  const orders = plannedRows(plan);
  return {
    products,
    users,
    params,
    plan,
    nouns: generated.map((g) => g.noun),
    asinOf: new Map(products.map((p) => [p.id, p.asin])),
    expectedRows: products.length + users.length + orders.transactions + orders.reviews,
  };
}

/** Writes the products and shoppers (with their embeddings) before any order references them. */
export async function writeWorld(
  world: ScenarioWorld,
  writer: TextWriter,
  request: ScenarioRequest,
  sink: ScenarioSink,
): Promise<void> {
  await sink.products(world.products);
  await sink.users(world.users);
  if (!request.embeddings) return;
  // Both tables' embedding calls at once; the vectors are stored in a fixed order. A shopper is
  // embedded with what they will buy (known from the plan before any order exists).
  const meanings = productMeanings(world);
  const bought = productsBoughtBy(world.plan);
  const productItems: EmbeddingItem[] = world.products.map((p, i) => ({
    text: productEmbeddingText(p),
    meaning: meanings[i],
  }));
  const userItems: EmbeddingItem[] = world.users.map((u, i) => ({
    text: userEmbeddingText(u),
    meaning: { kind: 'user', key: u.id, bought: bought[i].map((p) => meanings[p]) },
  }));
  const [products, users] = await settleAll([
    writer.embed('products', productItems),
    writer.embed('users', userItems),
  ]);
  await storeEmbeddings(writer, sink, 'product', world.products, products);
  await storeEmbeddings(writer, sink, 'user', world.users, users);
  // The sink queues vectors behind the rows; a fanned-out run commits the world right after this.
  await sink.flush();
}

export interface OrdersWritten {
  transactions: number;
  reviews: number;
}

/** The orders' chunks, as many as the plan has (a shard writes a range of them). */
export function orderChunks(world: OrdersWorld): number {
  return chunkCount(world.plan);
}

/**
 * Writes order chunks [from, to): each generated from its own seed, its reviews written by the
 * writer and handed to the sink (which writes it while the next is generated). Stops between chunks when the run is cancelled.
 */
export async function writeOrders(
  writer: TextWriter,
  world: OrdersWorld,
  request: ScenarioRequest,
  sink: ScenarioSink,
  control: RunControl,
  from = 0,
  to = orderChunks(world),
): Promise<OrdersWritten> {
  const written: OrdersWritten = { transactions: 0, reviews: 0 };
  const chunks = chunkSource(writer, world, from, to);
  const meaningOf = new Map(productMeanings(world).map((m, i) => [world.params.products[i].id, m]));
  try {
    for (let k = from; k < to; k++) {
      await yieldToEventLoop();
      if (control.signal.aborted) {
        // Let the chunk still being written land first: whoever cleans up must not race it.
        await sink.flush().catch(() => undefined);
        checkCancelled(control.signal);
      }
      const { chunk } = await chunks.get(k);
      written.transactions += chunk.transactions.length;
      written.reviews += chunk.reviews.length;
      await sink.orders(chunk);
      control.progress.advance(chunk.transactions.length + chunk.reviews.length);
      if (request.embeddings && chunk.reviews.length) {
        const items: EmbeddingItem[] = chunk.reviews.map((r) => ({
          text: reviewEmbeddingText(r, world.asinOf.get(r.productId) ?? ''),
          meaning: { kind: 'review', key: r.id, product: meaningOf.get(r.productId)!, stars: r.stars },
        }));
        await storeEmbeddings(writer, sink, 'review', chunk.reviews, await writer.embed('reviews', items));
      }
    }
  } finally {
    chunks.close();
  }
  await sink.flush();
  return written;
}

/** Once every order is stored: the shoppers' totals, counted from what the sink saw. */
export async function finishRows(world: ScenarioWorld, sink: ScenarioSink): Promise<void> {
  const activity = await sink.activity(world.users);
  await sink.userTotals(world.users.map((u, i) => withAggregates(u, activity[i])));
  await sink.flush();
}

/** What generation reports for a world and its written orders. */
export function generatedScenario(world: ScenarioWorld, orders: OrdersWritten): GeneratedScenario {
  return {
    rowCounts: {
      products: world.products.length,
      users: world.users.length,
      transactions: orders.transactions,
      reviews: orders.reviews,
      extraShoppers: world.plan.extraShoppers,
    },
  };
}

/**
 * The whole generation in one place: the world, its products and shoppers, every order chunk,
 * then the shoppers' totals.
 */
export async function generateScenarioRows(
  writer: TextWriter,
  request: ScenarioRequest,
  runId: string,
  sink: ScenarioSink,
  control: RunControl = NO_CONTROL,
): Promise<GeneratedScenario> {
  const world = await buildWorld(writer, request, runId);
  control.progress.phase('products', world.expectedRows);
  await writeWorld(world, writer, request, sink);
  control.progress.advance(world.products.length + world.users.length);
  control.progress.phase('orders');
  const orders = await writeOrders(writer, world, request, sink, control);
  await finishRows(world, sink);
  return generatedScenario(world, orders);
}

/** What each product is, for its embedding: its category and type (the noun it was generated as). */
function productMeanings(world: OrdersWorld): ProductMeaning[] {
  return world.params.products.map((p, i) => ({
    kind: 'product',
    key: p.id,
    category: p.category,
    type: world.nouns[i],
  }));
}

/** Hands rows' vectors to the sink (rows and vectors in the same order). */
function storeEmbeddings(
  writer: TextWriter,
  sink: ScenarioSink,
  owner: EmbeddingOwner,
  rows: readonly { id: string }[],
  vectors: number[][],
): Promise<void> {
  if (rows.length === 0) return Promise.resolve();
  return sink.embeddings(
    owner,
    rows.map((r) => r.id),
    writer.embeddingModel,
    vectors,
  );
}

/**
 * Gives every shopper their persona. A function of its own so the briefs and answers are garbage
 * once it returns, rather than held by the long-running generation's async frame.
 */
async function writePersonas(writer: TextWriter, users: UserRow[], category: string): Promise<void> {
  const personas = await writer.personas(users.map((u) => personaBrief(u, category)));
  users.forEach((u, i) => (u.persona = personas[i].persona));
}

/** What the writer needs to know about a shopper to write their persona. */
function personaBrief(user: UserRow, category: string): PersonaBrief {
  return {
    key: user.id,
    firstName: user.name.split(' ')[0],
    age: user.age,
    gender: user.gender,
    location: user.location,
    category,
  };
}
