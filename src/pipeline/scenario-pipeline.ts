import type { EntityManager } from 'typeorm';
import { Product, Review, Transaction, User } from '../../entities';
import {
  chunkCount,
  generateOrderChunk,
  planOrders,
  shopperCount,
  type OrderChunk,
  type OrderParams,
} from '../../generators/ecommerce/orders';
import { generateProducts, type ProductRow } from '../../generators/ecommerce/products';
import {
  generateUsers,
  withAggregates,
  type UserActivity,
  type UserRow,
} from '../../generators/ecommerce/users';
import { seededFaker } from '../../generators/random';
import type { VectorStorage } from '../data-source';
import { productEmbeddingText, reviewEmbeddingText, userEmbeddingText } from '../llm/embedding-text';
import type { PersonaBrief, TextWriter } from '../llm/text-writer';
import {
  entityInsert,
  insertChunks,
  insertEmbeddings,
  insertEntities,
  updateEntities,
  yieldToEventLoop,
  DEFAULT_CHUNK_ROWS,
  type EmbeddingOwner,
} from './bulk-writer';
import { Fingerprint } from './fingerprint';
import { checkCancelled, NO_CONTROL, type RunControl } from './run-control';
import type { RunOutcome } from './run-outcome';

/** What generation itself reports; the contract is checked afterwards, on the stored rows. */
export type GeneratedScenario = Omit<RunOutcome, 'contract'>;
import type { ScenarioRequest } from './scenario-request';

/**
 * Where generated rows go. The database sink writes them in bulk; the benchmark uses others to
 * measure generation alone, so both measure the very same generation code.
 */
export interface ScenarioSink {
  products(rows: readonly ProductRow[]): Promise<void>;
  users(rows: readonly UserRow[]): Promise<void>;
  /** May return before the chunk is written (the next one is generated meanwhile). */
  orders(chunk: OrderChunk): Promise<void>;
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

/** Drops every row: for dry runs (estimates, benchmarks of generation alone). */
export class DiscardSink implements ScenarioSink {
  async products(): Promise<void> {}
  async users(): Promise<void> {}
  async orders(): Promise<void> {}
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

/**
 * The generation itself: products and users (independent phases, each with its own seeded faker),
 * the order plan, then the orders chunk by chunk — text from the writer, fingerprint and
 * shoppers' activity observed as the rows stream to the sink — and finally the shoppers' totals.
 */
export async function generateScenarioRows(
  writer: TextWriter,
  request: ScenarioRequest,
  runId: string,
  sink: ScenarioSink,
  control: RunControl = NO_CONTROL,
): Promise<GeneratedScenario> {
  const { config, seed } = request;
  const fingerprint = new Fingerprint();

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

  // generated[0] is the main product.
  const copies = await writer.products(generated.map((g) => g.brief));
  await writePersonas(writer, users, generated[0].row.category);
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
  // Transactions and reviews are ~1.9 rows per planned slot; the estimate is corrected when done.
  control.progress.phase('products', products.length + users.length + Math.round(plan.totalSlots * 1.9));
  products.forEach((p, i) => (p.reviewCount = plan.reviewsPerProduct[i]));

  fingerprint.add('products', products);
  await sink.products(products);
  await sink.users(users);
  const embed = async (
    owner: EmbeddingOwner,
    phase: 'products' | 'users' | 'reviews',
    ids: string[],
    texts: string[],
  ) => {
    if (!request.embeddings || ids.length === 0) return;
    const vectors = await writer.embed(phase, texts);
    await sink.embeddings(owner, ids, writer.embeddingModel, vectors);
  };
  await embed(
    'product',
    'products',
    products.map((p) => p.id),
    products.map(productEmbeddingText),
  );
  await embed(
    'user',
    'users',
    users.map((u) => u.id),
    users.map(userEmbeddingText),
  );
  const asinOf = new Map(products.map((p) => [p.id, p.asin]));

  const activity = new ActivityCounter(users);
  const nouns = generated.map((g) => g.noun);
  let transactions = 0;
  let reviews = 0;
  control.progress.advance(products.length + users.length);
  control.progress.phase('orders');
  for (let k = 0; k < chunkCount(plan); k++) {
    await yieldToEventLoop();
    if (control.signal.aborted) {
      // Let the chunk still being written land first: whoever cleans up must not race it.
      await sink.flush().catch(() => undefined);
      checkCancelled(control.signal);
    }
    const chunk = await withText(writer, generateOrderChunk(params, plan, k, nouns));
    activity.observe(chunk);
    fingerprint.add('transactions', chunk.transactions);
    fingerprint.add('reviews', chunk.reviews);
    transactions += chunk.transactions.length;
    reviews += chunk.reviews.length;
    await sink.orders(chunk);
    control.progress.advance(chunk.transactions.length + chunk.reviews.length);
    await embed(
      'review',
      'reviews',
      chunk.reviews.map((r) => r.id),
      chunk.reviews.map((r) => reviewEmbeddingText(r, asinOf.get(r.productId) ?? '')),
    );
  }

  const finalUsers = users.map((u, i) => withAggregates(u, activity.of(i)));
  await sink.userTotals(finalUsers);
  await sink.flush();
  fingerprint.add('users', finalUsers);
  return {
    rowCounts: {
      products: products.length,
      users: finalUsers.length,
      transactions,
      reviews,
      extraShoppers: plan.extraShoppers,
    },
    fingerprint: fingerprint.digest(),
  };
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

/** Fills a chunk's generated reviews with text from the writer (client reviews keep theirs). */
async function withText(writer: TextWriter, chunk: OrderChunk): Promise<OrderChunk> {
  const wanted = chunk.briefs.flatMap((b, i) => (b ? [{ brief: b, i }] : []));
  if (wanted.length === 0) return chunk;
  const copies = await writer.reviews(wanted.map((w) => w.brief));
  wanted.forEach(({ i }, n) => {
    chunk.reviews[i].title = copies[n].title;
    chunk.reviews[i].text = copies[n].text;
  });
  return chunk;
}

/** Counts each user's purchases and reviews from the rows as they are generated. */
class ActivityCounter {
  private readonly index = new Map<string, number>();
  private readonly purchases: Int32Array;
  private readonly purchaseReviews: Int32Array;
  private readonly withoutPurchase: Int32Array;
  private readonly stars: Float64Array;

  constructor(users: readonly UserRow[]) {
    users.forEach((u, i) => this.index.set(u.id, i));
    this.purchases = new Int32Array(users.length);
    this.purchaseReviews = new Int32Array(users.length);
    this.withoutPurchase = new Int32Array(users.length);
    this.stars = new Float64Array(users.length);
  }

  observe(chunk: OrderChunk): void {
    for (const t of chunk.transactions) this.purchases[this.index.get(t.userId)!]++;
    for (const r of chunk.reviews) {
      const i = this.index.get(r.userId)!;
      if (r.transactionId) this.purchaseReviews[i]++;
      else this.withoutPurchase[i]++;
      this.stars[i] += r.stars;
    }
  }

  of(i: number): UserActivity {
    return {
      purchases: this.purchases[i],
      purchaseReviews: this.purchaseReviews[i],
      reviewsWithoutPurchase: this.withoutPurchase[i],
      starsSum: this.stars[i],
    };
  }
}
