import type { EntityManager } from 'typeorm';
import { Product, Review, Transaction, User } from '../../../entities';
import type { OrderChunk } from '../../../generators/ecommerce/orders';
import type { ProductRow } from '../../../generators/ecommerce/products';
import type { UserActivity, UserRow } from '../../../generators/ecommerce/users';
import type { VectorStorage } from '../../db/data-source';
import {
  entityInsert,
  insertChunks,
  insertEmbeddings,
  insertEntities,
  updateEntities,
  DEFAULT_CHUNK_ROWS,
  type EmbeddingOwner,
} from '../bulk-writer';

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
