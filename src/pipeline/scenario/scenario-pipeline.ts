import type { EntityManager } from 'typeorm';
import { Product, Review, Transaction, User } from '../../../entities';
import {
  chunkCount,
  planOrders,
  plannedRows,
  productsBoughtBy,
  shopperCount,
  type OrderChunk,
  type OrderParams,
} from '../../../generators/ecommerce/orders';
import { generateProducts, type ProductRow } from '../../../generators/ecommerce/products';
import {
  generateUsers,
  withAggregates,
  type UserActivity,
  type UserRow,
} from '../../../generators/ecommerce/users';
import { seededFaker } from '../../../generators/random';
import type { VectorStorage } from '../../db/data-source';
import { productEmbeddingText, reviewEmbeddingText, userEmbeddingText } from '../../llm/embedding-text';
import { settleAll } from '../../llm/settle-all';
import type { EmbeddingItem, PersonaBrief, ProductMeaning, TextWriter } from '../../llm/text-writer';
import {
  entityInsert,
  insertChunks,
  insertEmbeddings,
  insertEntities,
  updateEntities,
  yieldToEventLoop,
  DEFAULT_CHUNK_ROWS,
  type EmbeddingOwner,
} from '../bulk-writer';
import { chunkSource, type OrdersWorld } from './chunk-source';

export type { OrdersWorld } from './chunk-source';
import { checkCancelled, NO_CONTROL, type RunControl } from '../run-control';
import type { RunOutcome } from '../run-outcome';

import type { ScenarioRequest } from './scenario-request';

/** What generation itself reports; the contract and the fingerprint come from the stored rows. */
export type GeneratedScenario = Omit<RunOutcome, 'contract' | 'fingerprint'>;

/**
 * Where generated rows go. The database sink writes them in bulk; the benchmark uses others to
 * measure generation alone, so both measure the very same generation code.
 */
export interface ScenarioSink {
  products(rows: readonly ProductRow[]): Promise<void>;
  users(rows: readonly UserRow[]): Promise<void>;
  /** May return before the chunk is written (the next one is generated meanwhile). */
  orders(chunk: OrderChunk): Promise<void>;
  /** Each shopper's purchases and reviews, once every order is in (same order as `users`). */
  activity(users: readonly UserRow[]): Promise<UserActivity[]>;
  /** The shoppers' totals, known once every order exists. */
  userTotals(rows: readonly UserRow[]): Promise<void>;
  /** Embeddings of rows already handed to the sink (same order as `ids`). */
  embeddings(
    owner: EmbeddingOwner,
    ids: readonly string[],
    model: string,
    vectors: readonly number[][],
  ): Promise<void>;
  /** Waits for every write still in flight. */
  flush(): Promise<void>;
}

/**
 * Drops every row, counting only each shopper's orders as they pass: for dry runs (estimates,
 * benchmarks of generation alone, reference fingerprints).
 */
export class DiscardSink implements ScenarioSink {
  private readonly purchases = new Map<string, number>();
  private readonly reviews = new Map<string, { purchase: number; without: number; stars: number }>();

  async products(): Promise<void> {}
  async users(): Promise<void> {}
  async orders(chunk: OrderChunk): Promise<void> {
    for (const t of chunk.transactions) this.purchases.set(t.userId, (this.purchases.get(t.userId) ?? 0) + 1);
    for (const r of chunk.reviews) {
      const counts = this.reviews.get(r.userId) ?? { purchase: 0, without: 0, stars: 0 };
      if (r.transactionId) counts.purchase++;
      else counts.without++;
      counts.stars += r.stars;
      this.reviews.set(r.userId, counts);
    }
  }
  async activity(users: readonly UserRow[]): Promise<UserActivity[]> {
    return users.map((u) => {
      const r = this.reviews.get(u.id);
      return {
        purchases: this.purchases.get(u.id) ?? 0,
        purchaseReviews: r?.purchase ?? 0,
        reviewsWithoutPurchase: r?.without ?? 0,
        starsSum: r?.stars ?? 0,
      };
    });
  }
  async userTotals(): Promise<void> {}
  async embeddings(): Promise<void> {}
  async flush(): Promise<void> {}
}

/** Bulk writes inside the run's transaction, inserting chunk k while chunk k + 1 is generated. */
export class DatabaseSink implements ScenarioSink {
  private readonly transactionInsert;
  private readonly reviewInsert;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly manager: EntityManager,
    private readonly vectorStorage: VectorStorage,
    private readonly runId: string,
    /** Rows per INSERT: smaller on the embedded database, whose one session readers wait for. */
    private readonly statementRows = DEFAULT_CHUNK_ROWS,
    /** Large runs refresh the parent tables' statistics before writing orders. */
    private readonly analyzeParents = false,
  ) {
    this.transactionInsert = entityInsert(manager, Transaction);
    this.reviewInsert = entityInsert(manager, Review);
  }

  async products(rows: readonly ProductRow[]): Promise<void> {
    await insertEntities(this.manager, Product, rows as Product[]);
  }

  async users(rows: readonly UserRow[]): Promise<void> {
    await insertEntities(this.manager, User, rows as User[], this.statementRows);
    // Fresh statistics before the orders reference these rows: the foreign-key checks' cached
    // plans (made while the tables were small) would otherwise scan them once per order row.
    if (this.analyzeParents) await this.manager.query(`ANALYZE products, users`);
  }

  async orders(chunk: OrderChunk): Promise<void> {
    await this.pending;
    this.pending = insertChunks(
      this.manager,
      this.transactionInsert,
      chunk.transactions,
      this.statementRows,
    ).then(() => insertChunks(this.manager, this.reviewInsert, chunk.reviews, this.statementRows));
    // A failure surfaces at the next await; this keeps it from being reported as unhandled first.
    this.pending.catch(() => undefined);
  }

  /** Counted from the stored rows: whoever wrote them (one worker or many shards). */
  async activity(users: readonly UserRow[]): Promise<UserActivity[]> {
    await this.flush();
    const purchases: { user_id: string; n: number }[] = await this.manager.query(
      `SELECT user_id, count(*)::int AS n FROM transactions WHERE run_id = $1 GROUP BY user_id`,
      [this.runId],
    );
    const reviews: { user_id: string; purchase: number; without: number; stars: number }[] =
      await this.manager.query(
        `SELECT user_id, count(transaction_id)::int AS purchase,
                (count(*) - count(transaction_id))::int AS without, sum(stars)::int AS stars
           FROM reviews WHERE run_id = $1 GROUP BY user_id`,
        [this.runId],
      );
    const bought = new Map(purchases.map((p) => [p.user_id, p.n]));
    const reviewed = new Map(reviews.map((r) => [r.user_id, r]));
    return users.map((u) => {
      const r = reviewed.get(u.id);
      return {
        purchases: bought.get(u.id) ?? 0,
        purchaseReviews: r?.purchase ?? 0,
        reviewsWithoutPurchase: r?.without ?? 0,
        starsSum: r?.stars ?? 0,
      };
    });
  }

  async userTotals(rows: readonly UserRow[]): Promise<void> {
    await this.flush();
    await updateEntities(this.manager, User, rows as User[], [
      'totalPurchases',
      'totalReviews',
      'reviewsWithoutPurchase',
      'reviewEngagementRate',
      'avgReviewRating',
      'sentimentTendency',
      'engagementLevel',
    ]);
  }

  async embeddings(
    owner: EmbeddingOwner,
    ids: readonly string[],
    model: string,
    vectors: readonly number[][],
  ): Promise<void> {
    // After the rows they belong to (foreign key), so chained behind the pending inserts.
    this.pending = this.pending.then(() =>
      insertEmbeddings(this.manager, this.vectorStorage, owner, this.runId, ids, model, vectors),
    );
    this.pending.catch(() => undefined);
  }

  async flush(): Promise<void> {
    await this.pending;
  }
}

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
