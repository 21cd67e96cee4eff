import type { ContractCheck } from '../../entities/contract-check';
import { ContractChecks } from './contract-checks';
import { ProductRole, ReviewSource, Sentiment, TransactionStatus } from '../../entities/enums';
import type { OrderChunk, OrderPlan } from '../../generators/ecommerce/orders';
import { toCents, type ProductRow } from '../../generators/ecommerce/products';
import { DAY_MS } from '../../generators/random';
import { sentimentOfStars, spreadCounts } from '../../generators/ecommerce/sentiment';
import type { UserRow } from '../../generators/ecommerce/users';
import type { ScenarioRequest } from './scenario-request';

/**
 * The proof that a scenario run is what its scenario promises. It is computed from the rows the
 * generators emitted — not from what they were asked for — while they stream to the database, and
 * checked before the transaction commits: a run that fails any check is rolled back.
 */
export class ScenarioContract {
  private readonly productIndex = new Map<string, number>();
  private readonly mainProductId: string;
  private readonly asOf: number;
  // Counters over the streamed orders.
  private readonly reviewsByProduct: number[];
  private readonly mockReviewsByProduct: number[];
  private readonly mainSentiments = {
    [Sentiment.POSITIVE]: 0,
    [Sentiment.NEUTRAL]: 0,
    [Sentiment.NEGATIVE]: 0,
  };
  private rapidApiReviews = 0;
  private mainSilent = 0;
  private similarSilent = 0;
  private mainUser = {
    exactPurchases: 0,
    similarPurchases: 0,
    exactReviews: 0,
    similarReviews: 0,
    withoutPurchase: 0,
  };
  private currentPurchaseOk = 0;
  private reviewsWithoutTransaction = 0;
  private violations = {
    duplicateReviewOfTransaction: 0,
    reviewTransactionMismatch: 0,
    reviewBeforeDelivery: 0,
    dateOrder: 0,
    afterAsOf: 0,
    orderWindow: 0,
    prices: 0,
    stars: 0,
  };
  private transactions = 0;
  private reviews = 0;
  private users: UserRow[] = [];

  constructor(
    private readonly request: ScenarioRequest,
    private readonly plan: OrderPlan,
    private readonly products: readonly ProductRow[],
    private readonly mainUserId: string,
  ) {
    products.forEach((p, i) => this.productIndex.set(p.id, i));
    this.mainProductId = products[0].id;
    this.asOf = request.asOf.getTime();
    this.reviewsByProduct = products.map(() => 0);
    this.mockReviewsByProduct = products.map(() => 0);
  }

  private embeddings: { enabled: boolean; products: number; users: number; reviews: number } | null = null;

  /** Records how many rows got an embedding. */
  observeEmbeddings(enabled: boolean, counts: { products: number; users: number; reviews: number }): void {
    this.embeddings = { enabled, ...counts };
  }

  /** Records the users, with their final aggregates. */
  observeUsers(users: readonly UserRow[]): void {
    this.users = [...users];
  }

  /** Records one chunk of orders. */
  observeOrders(chunk: OrderChunk): void {
    const mainUserId = this.mainUserId;
    const byId = new Map(chunk.transactions.map((t) => [t.id, t]));
    for (const t of chunk.transactions) {
      this.transactions++;
      const isMain = t.userId === mainUserId;
      const index = this.productIndex.get(t.productId) ?? -1;
      const product = this.products[index];
      const role = product?.role;
      const dates = [t.orderDate, t.expectedDeliveryDate, t.deliveryDate, t.returnDate].filter(
        (d): d is Date => d !== null,
      );
      if (dates.some((d) => d.getTime() > this.asOf)) this.violations.afterAsOf++;
      const ordered = t.orderDate.getTime();
      const deliveredOk =
        (t.status === TransactionStatus.PENDING) === (t.deliveryDate === null) &&
        (t.status === TransactionStatus.RETURNED) === (t.returnDate !== null) &&
        t.expectedDeliveryDate.getTime() >= ordered &&
        (t.deliveryDate === null || t.deliveryDate.getTime() >= ordered) &&
        (t.returnDate === null ||
          (t.deliveryDate !== null && t.returnDate.getTime() >= t.deliveryDate.getTime()));
      if (!deliveredOk) this.violations.dateOrder++;
      const original = toCents(t.originalPrice);
      const retail = toCents(t.retailPrice);
      if (
        !(
          retail > 0 &&
          retail <= original &&
          product &&
          original === toCents(product.price) &&
          retail >= Math.floor(original * 0.8)
        )
      ) {
        this.violations.prices++;
      }
      const daysBefore = (this.asOf - ordered) / DAY_MS;
      if (isMain) {
        if (index === 0) {
          this.mainUser.exactPurchases++;
          if (daysBefore >= 2 && daysBefore <= 7 && t.status === TransactionStatus.DELIVERED)
            this.currentPurchaseOk++;
        } else if (role === ProductRole.SIMILAR) {
          this.mainUser.similarPurchases++;
          if (daysBefore < 60 || daysBefore > 365) this.violations.orderWindow++;
        }
      } else if (daysBefore < 30 || daysBefore > 730) {
        this.violations.orderWindow++;
      }
    }

    const reviewed = new Set<string>();
    for (const r of chunk.reviews) {
      this.reviews++;
      const index = this.productIndex.get(r.productId) ?? -1;
      this.reviewsByProduct[index]++;
      const isMain = r.userId === mainUserId;
      if (r.stars < 1 || r.stars > 5 || !Number.isInteger(r.stars)) this.violations.stars++;
      if (r.reviewedAt.getTime() > this.asOf) this.violations.afterAsOf++;
      if (r.source === ReviewSource.RAPIDAPI) this.rapidApiReviews++;
      if (r.transactionId === null) {
        this.reviewsWithoutTransaction++;
        if (isMain) this.mainUser.withoutPurchase++;
      } else {
        // A review can only point at a purchase of its own chunk (checked below), and purchase ids
        // are unique keys, so checking duplicates within the chunk covers the whole run.
        if (reviewed.has(r.transactionId)) this.violations.duplicateReviewOfTransaction++;
        reviewed.add(r.transactionId);
        const t = byId.get(r.transactionId);
        if (!t || t.productId !== r.productId || t.userId !== r.userId)
          this.violations.reviewTransactionMismatch++;
        else if (t.deliveryDate === null || r.reviewedAt.getTime() <= t.deliveryDate.getTime())
          this.violations.reviewBeforeDelivery++;
      }
      if (isMain) {
        if (index === 0) this.mainUser.exactReviews++;
        else if (r.transactionId !== null) this.mainUser.similarReviews++;
      } else {
        this.mockReviewsByProduct[index]++;
        if (index === 0) this.mainSentiments[sentimentOfStars(r.stars)]++;
      }
    }
    for (const t of chunk.transactions) {
      if (t.userId === mainUserId || reviewed.has(t.id)) continue;
      const role = this.products[this.productIndex.get(t.productId) ?? -1]?.role;
      if (t.productId === this.mainProductId) this.mainSilent++;
      else if (role === ProductRole.SIMILAR) this.similarSilent++;
    }
  }

  /** Every check, passed or not. */
  checks(): ContractCheck[] {
    const { config, spread, apiReviews } = this.request;
    const c = config.counts;
    const checks = new ContractChecks();
    const check = checks.check.bind(checks);
    const zero = checks.none.bind(checks);

    const byRole = (role: ProductRole) => this.products.filter((p) => p.role === role);
    const main = byRole(ProductRole.MAIN);
    const similar = byRole(ProductRole.SIMILAR);
    const diverse = byRole(ProductRole.DIVERSE);
    check('products.main', 1, main.length);
    check('products.similar', c.similarProducts, similar.length);
    check('products.diverse', c.diverseProducts, diverse.length);
    const asins = this.products.map((p) => p.asin);
    check('products.asinsUnique', asins.length, new Set(asins).size);
    check('products.asinFormat', asins.length, asins.filter((a) => /^B[0-9A-Z]{9}$/.test(a)).length);
    const mainPrice = toCents(main[0].price);
    const outOfBand = similar.filter((p) => {
      const deviation = Math.abs(toCents(p.price) / mainPrice - 1);
      return deviation < 0.2 - 0.5 / mainPrice || deviation > 0.4 + 0.5 / mainPrice;
    });
    check(
      'products.similarPriceWithin20to40Percent',
      'all',
      outOfBand.length ? `${outOfBand.length} outside` : 'all',
    );
    check(
      'products.similarSameCategory',
      main[0].category,
      [...new Set(similar.map((p) => p.category))].join(',') || main[0].category,
    );
    const sameBrand = similar.filter((p) => p.brand === main[0].brand).length;
    check(
      'products.similarMainBrandShare',
      `≥ ${Math.ceil(c.similarProducts * 0.4)}`,
      sameBrand,
      sameBrand >= Math.ceil(c.similarProducts * 0.4),
    );
    const badDiverse = diverse.filter(
      (p) => p.category === main[0].category || toCents(p.price) < 1000 || toCents(p.price) > 50000,
    );
    check(
      'products.diverseOtherCategoryPriced10to500',
      'all',
      badDiverse.length ? `${badDiverse.length} not` : 'all',
    );
    const wrongCounts = this.products.filter((p, i) => p.reviewCount !== this.reviewsByProduct[i]);
    check(
      'products.reviewCountMatchesReviews',
      'all',
      wrongCounts.length ? `${wrongCounts.length} differ` : 'all',
    );

    const mainUsers = this.users.filter((u) => u.isMainUser);
    check('users.main', 1, mainUsers.length);
    check('users.mock', c.mockUsers, this.users.length - mainUsers.length);
    const emails = this.users.map((u) => u.email.toLowerCase());
    check('users.emailsUnique', emails.length, new Set(emails).size);
    const badAggregates = this.users.filter(
      (u) =>
        u.totalReviews > u.totalPurchases + u.reviewsWithoutPurchase ||
        u.reviewEngagementRate < 0 ||
        u.reviewEngagementRate > 1,
    );
    zero('users.aggregatesConsistent', badAggregates.length);
    const purchases = this.users.reduce((sum, u) => sum + u.totalPurchases, 0);
    const reviews = this.users.reduce((sum, u) => sum + u.totalReviews, 0);
    check(
      'users.aggregatesCoverAllRows',
      `${this.transactions} purchases / ${this.reviews} reviews`,
      `${purchases} purchases / ${reviews} reviews`,
    );

    check('mainUser.exactPurchases', c.mainUserExactPurchases, this.mainUser.exactPurchases);
    check('mainUser.similarPurchases', c.mainUserSimilarPurchases, this.mainUser.similarPurchases);
    check('mainUser.exactReviews', c.mainUserExactReviews, this.mainUser.exactReviews);
    check(
      'mainUser.similarReviewsWithPurchase',
      config.reviewsWithoutPurchase ? 0 : c.mainUserSimilarReviews,
      this.mainUser.similarReviews,
    );
    check(
      'mainUser.reviewsWithoutPurchase',
      config.reviewsWithoutPurchase ? c.mainUserSimilarReviews : 0,
      this.mainUser.withoutPurchase,
    );
    if (c.mainUserExactPurchases > 0) {
      check('mainUser.currentPurchaseDelivered2to7DaysAgo', c.mainUserExactPurchases, this.currentPurchaseOk);
    }

    check('reviews.mainProduct.mock', c.mainProductReviews, this.mockReviewsByProduct[0]);
    if (c.mainProductReviews > 0) {
      const target = spreadCounts(c.mainProductReviews, spread);
      const fmt = (s: Record<Sentiment, number>) => `${s.POSITIVE}/${s.NEUTRAL}/${s.NEGATIVE}`;
      check('reviews.mainProduct.sentimentSpread', fmt(target), fmt(this.mainSentiments));
    }
    check('reviews.rapidApi', apiReviews.length, this.rapidApiReviews);
    const similarCounts = similar.map((p) => this.mockReviewsByProduct[this.productIndex.get(p.id)!]);
    check(
      'reviews.perSimilarProduct',
      `${c.reviewsPerSimilarProduct} each`,
      rangeText(similarCounts, c.reviewsPerSimilarProduct),
    );
    const diverseCounts = diverse.map((p) => this.mockReviewsByProduct[this.productIndex.get(p.id)!]);
    check(
      'reviews.perDiverseProduct',
      `${c.reviewsPerDiverseProduct} each`,
      rangeText(diverseCounts, c.reviewsPerDiverseProduct),
    );
    check(
      'reviews.withoutTransaction',
      config.reviewsWithoutPurchase ? c.mainUserSimilarReviews : 0,
      this.reviewsWithoutTransaction,
    );
    zero('reviews.oneReviewPerTransaction', this.violations.duplicateReviewOfTransaction);
    zero('reviews.matchTheirTransaction', this.violations.reviewTransactionMismatch);
    zero('reviews.afterDelivery', this.violations.reviewBeforeDelivery);
    zero('reviews.starsInRange', this.violations.stars);

    const mainRange = c.mainProductSilentPurchases;
    check(
      'purchases.mainProductWithoutReview',
      `${mainRange.min}–${mainRange.max}`,
      this.mainSilent,
      this.mainSilent === this.plan.mainProductSilentPurchases &&
        this.mainSilent >= mainRange.min &&
        this.mainSilent <= mainRange.max,
    );
    const simRange = c.similarSilentPurchases;
    check(
      'purchases.similarWithoutReview',
      `${simRange.min}–${simRange.max}`,
      this.similarSilent,
      this.similarSilent === this.plan.similarSilentPurchases &&
        this.similarSilent >= simRange.min &&
        this.similarSilent <= simRange.max,
    );
    zero('transactions.dateOrder', this.violations.dateOrder);
    zero('transactions.noDateAfterAsOf', this.violations.afterAsOf);
    zero('transactions.orderWindow', this.violations.orderWindow);
    zero('transactions.prices', this.violations.prices);
    if (this.embeddings?.enabled) {
      check(
        'embeddings.coverage',
        `${this.products.length}/${this.users.length}/${this.reviews}`,
        `${this.embeddings.products}/${this.embeddings.users}/${this.embeddings.reviews}`,
      );
    }
    return checks.list;
  }
}

function rangeText(values: number[], expected: number): string {
  if (values.length === 0) return `${expected} each`;
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? `${min} each` : `${min}–${max}`;
}
