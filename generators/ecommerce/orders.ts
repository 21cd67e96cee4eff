import type { Faker } from '@faker-js/faker';
import { ProductRole, ReviewSource, Sentiment, TransactionStatus } from '../../entities/enums';
import type { Review } from '../../entities/review.entity';
import type { Transaction } from '../../entities/transaction.entity';
import type { ReviewBrief } from '../../src/llm/text-writer';
import { DAY_MS, HOUR_MS, seededFaker, toMinute } from '../random';
import { fromCents, toCents, type ProductRow } from './products';
import type { ScenarioCounts } from './scenarios';
import {
  drawSentiment,
  sentimentOdds,
  sentimentOfStars,
  spreadCounts,
  starsFor,
  type SentimentSpread,
} from './sentiment';

export type TransactionRow = Omit<Transaction, 'run' | 'product' | 'user'>;
export type ReviewRow = Omit<Review, 'run' | 'product' | 'user' | 'transaction'>;

/** A review supplied by the client (e.g. fetched from RapidAPI), kept verbatim. */
export interface ApiReview {
  title: string;
  text: string;
  stars: number;
}

/**
 * Who bought and reviewed what, decided once per run before any row exists. Orders come in
 * segments (the main user's current purchase, mock shoppers' reviewed purchases of the main
 * product, …); rows are then produced chunk by chunk from these segments, each chunk with its own
 * seeded faker, so a run of a million rows needs memory for one chunk only.
 */
export interface OrderPlan {
  segments: Segment[];
  totalSlots: number;
  /** Reviews each product will have (index = product index). */
  reviewsPerProduct: number[];
  /** Sentiment of each mock review of the main product, in slot order (exactly the spread). */
  mainProductSentiments: Sentiment[];
  /** Purchases without a review, drawn from the scenario's ranges. */
  mainProductSilentPurchases: number;
  similarSilentPurchases: number;
}

type SegmentKind =
  | 'MAIN_USER_CURRENT'
  | 'MAIN_USER_SIMILAR'
  | 'MAIN_USER_REVIEW_ONLY'
  | 'MOCK_MAIN_REVIEWED'
  | 'MOCK_MAIN_SILENT'
  | 'MOCK_SIMILAR_REVIEWED'
  | 'MOCK_SIMILAR_SILENT'
  | 'MOCK_DIVERSE_REVIEWED';

interface Segment {
  kind: SegmentKind;
  count: number;
  /** First slot of the segment over the whole run. */
  start: number;
  /** Product index for each slot, or a rule to derive it. */
  product: (indexInSegment: number, faker: Faker) => number;
  /** Whether the slot's order carries a review. */
  reviewed: (indexInSegment: number) => boolean;
}

export interface OrderParams {
  runId: string;
  seed: number;
  asOf: Date;
  counts: ScenarioCounts;
  /** C1: the main user's similar reviews have no purchase behind them. */
  reviewsWithoutPurchase: boolean;
  /** Index 0 is the main product, then similar products, then diverse ones. */
  products: readonly ProductRow[];
  /** Index 0 is the main user, then the mock shoppers. */
  userIds: readonly string[];
  spread: SentimentSpread;
  apiReviews: readonly ApiReview[];
}

/** Rows per generated chunk: bounds memory whatever the run size. */
export const ORDER_CHUNK = 5000;

export function planOrders(params: OrderParams): OrderPlan {
  const faker = seededFaker(params.seed, 'orders-plan');
  const c = params.counts;
  const similar = indicesOf(params.products, ProductRole.SIMILAR);
  const diverse = indicesOf(params.products, ProductRole.DIVERSE);

  const mainSilent = faker.number.int(c.mainProductSilentPurchases);
  const similarSilent = faker.number.int(c.similarSilentPurchases);

  // Exactly the spread over the main product's mock reviews: the client's reviews first, as they
  // are, then generated ones for what the spread still needs, in shuffled order.
  const target = spreadCounts(c.mainProductReviews, params.spread);
  const api = params.apiReviews.map((r) => sentimentOfStars(r.stars));
  const topUp: Sentiment[] = [];
  for (const s of [Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE]) {
    const missing = target[s] - api.filter((a) => a === s).length;
    for (let i = 0; i < missing; i++) topUp.push(s);
  }
  const mainProductSentiments = [...api, ...faker.helpers.shuffle(topUp)];

  // The main user's similar purchases are of distinct similar products.
  const mainSimilar = faker.helpers.shuffle([...similar]);
  const mainUserSimilarProducts = mainSimilar.slice(0, c.mainUserSimilarPurchases);
  const reviewOnlyProducts = mainSimilar.slice(
    0,
    params.reviewsWithoutPurchase ? c.mainUserSimilarReviews : 0,
  );

  const specs: Omit<Segment, 'start'>[] = [
    {
      kind: 'MAIN_USER_CURRENT',
      count: c.mainUserExactPurchases,
      product: () => 0,
      reviewed: () => c.mainUserExactReviews > 0,
    },
    {
      kind: 'MAIN_USER_SIMILAR',
      count: mainUserSimilarProducts.length,
      product: (i) => mainUserSimilarProducts[i],
      reviewed: (i) => !params.reviewsWithoutPurchase && i < c.mainUserSimilarReviews,
    },
    {
      kind: 'MAIN_USER_REVIEW_ONLY',
      count: reviewOnlyProducts.length,
      product: (i) => reviewOnlyProducts[i],
      reviewed: () => true,
    },
    { kind: 'MOCK_MAIN_REVIEWED', count: c.mainProductReviews, product: () => 0, reviewed: () => true },
    { kind: 'MOCK_MAIN_SILENT', count: mainSilent, product: () => 0, reviewed: () => false },
    {
      kind: 'MOCK_SIMILAR_REVIEWED',
      count: similar.length * c.reviewsPerSimilarProduct,
      product: (i) => similar[Math.floor(i / c.reviewsPerSimilarProduct)],
      reviewed: () => true,
    },
    {
      kind: 'MOCK_SIMILAR_SILENT',
      count: similar.length ? similarSilent : 0,
      product: (_, f) => f.helpers.arrayElement(similar),
      reviewed: () => false,
    },
    {
      kind: 'MOCK_DIVERSE_REVIEWED',
      count: diverse.length * c.reviewsPerDiverseProduct,
      product: (i) => diverse[Math.floor(i / c.reviewsPerDiverseProduct)],
      reviewed: () => true,
    },
  ];
  let start = 0;
  const segments: Segment[] = specs.map((spec) => {
    const segment = { ...spec, start };
    start += spec.count;
    return segment;
  });

  const reviewsPerProduct = params.products.map(() => 0);
  reviewsPerProduct[0] = c.mainProductReviews + (c.mainUserExactPurchases > 0 ? c.mainUserExactReviews : 0);
  for (const i of similar) reviewsPerProduct[i] = c.reviewsPerSimilarProduct;
  for (const i of diverse) reviewsPerProduct[i] = c.reviewsPerDiverseProduct;
  const mainSimilarSegment = segments[1];
  for (let i = 0; i < mainSimilarSegment.count; i++) {
    if (mainSimilarSegment.reviewed(i)) reviewsPerProduct[mainUserSimilarProducts[i]]++;
  }
  for (const i of reviewOnlyProducts) reviewsPerProduct[i]++;

  return {
    segments,
    totalSlots: start,
    reviewsPerProduct,
    mainProductSentiments,
    mainProductSilentPurchases: mainSilent,
    similarSilentPurchases: segments[6].count,
  };
}

function indicesOf(products: readonly ProductRow[], role: ProductRole): number[] {
  return products.flatMap((p, i) => (p.role === role ? [i] : []));
}

/** One chunk of orders: transactions, their reviews and what the text writer must write. */
export interface OrderChunk {
  transactions: TransactionRow[];
  reviews: ReviewRow[];
  /** Aligned with `reviews`; null where the text is given (client reviews). */
  briefs: (ReviewBrief | null)[];
}

export function chunkCount(plan: OrderPlan): number {
  return Math.ceil(plan.totalSlots / ORDER_CHUNK);
}

/**
 * The orders of chunk `k`, by the rules: orders 30–730 days before asOf (the main user's history
 * 60–365; their current purchase of the main product 5–7 days before, delivered), expected
 * delivery +3–5 days, delivery +2–7 days unless pending, 0–20 % discount, 85 % delivered / 10 %
 * returned / 5 % pending (a reviewed order was received: delivered or returned), returns 3–14
 * days after delivery, reviews after delivery and never after asOf.
 */
export function generateOrderChunk(
  params: OrderParams,
  plan: OrderPlan,
  k: number,
  productNouns: readonly string[],
): OrderChunk {
  const faker = seededFaker(params.seed, 'orders', k);
  const asOf = params.asOf.getTime();
  const first = k * ORDER_CHUNK;
  const last = Math.min(plan.totalSlots, first + ORDER_CHUNK);
  const out: OrderChunk = { transactions: [], reviews: [], briefs: [] };
  const mockUsers = params.userIds.length - 1;

  let s = 0;
  for (let slot = first; slot < last; slot++) {
    while (slot >= plan.segments[s].start + plan.segments[s].count) s++;
    const segment = plan.segments[s];
    const i = slot - segment.start;
    const productIndex = segment.product(i, faker);
    const product = params.products[productIndex];
    const byMainUser = segment.kind.startsWith('MAIN_USER');
    const userId = byMainUser
      ? params.userIds[0]
      : params.userIds[1 + faker.number.int({ max: mockUsers - 1 })];
    const reviewed = segment.reviewed(i);

    let transaction: TransactionRow | null = null;
    if (segment.kind !== 'MAIN_USER_REVIEW_ONLY') {
      transaction = order(faker, params.runId, asOf, product, userId, segment.kind, reviewed);
      out.transactions.push(transaction);
    }
    if (!reviewed) continue;

    const api =
      segment.kind === 'MOCK_MAIN_REVIEWED' && i < params.apiReviews.length ? params.apiReviews[i] : null;
    const sentiment =
      segment.kind === 'MOCK_MAIN_REVIEWED'
        ? plan.mainProductSentiments[i]
        : drawSentiment(faker, byMainUser ? params.spread : sentimentOdds(product.starRating));
    const stars = api ? api.stars : starsFor(faker, sentiment);
    const reviewedAt = transaction?.deliveryDate
      ? toMinute(
          transaction.deliveryDate.getTime() +
            faker.number.int({
              min: HOUR_MS,
              max: Math.min(30 * DAY_MS, asOf - transaction.deliveryDate.getTime()),
            }),
        )
      : toMinute(asOf - faker.number.int({ min: 30 * DAY_MS, max: 365 * DAY_MS }));
    const review: ReviewRow = {
      runId: params.runId,
      id: faker.string.uuid(),
      productId: product.id,
      userId,
      transactionId: transaction?.id ?? null,
      title: api?.title ?? '',
      text: api?.text ?? '',
      stars,
      source: api
        ? ReviewSource.RAPIDAPI
        : byMainUser
          ? ReviewSource.USER_SUBMITTED
          : ReviewSource.AGENT_GENERATED,
      reviewedAt: new Date(reviewedAt),
    };
    out.reviews.push(review);
    out.briefs.push(
      api
        ? null
        : {
            key: review.id,
            productTitle: product.title,
            productNoun: productNouns[productIndex],
            category: product.category,
            stars,
            sentiment: sentimentOfStars(stars),
            returned: transaction?.status === TransactionStatus.RETURNED,
          },
    );
  }
  return out;
}

function order(
  faker: Faker,
  runId: string,
  asOf: number,
  product: ProductRow,
  userId: string,
  kind: SegmentKind,
  reviewed: boolean,
): TransactionRow {
  const current = kind === 'MAIN_USER_CURRENT';
  const [minDays, maxDays] = current ? [5, 7] : kind === 'MAIN_USER_SIMILAR' ? [60, 365] : [30, 730];
  const orderDate = toMinute(asOf - faker.number.int({ min: minDays * DAY_MS, max: maxDays * DAY_MS }));
  const expected = orderDate + faker.number.int({ min: 3, max: 5 }) * DAY_MS;
  const r = faker.number.float({ min: 0, max: 1 });
  // Received orders only can carry a review; others follow 85 / 10 / 5.
  const status = current
    ? TransactionStatus.DELIVERED
    : reviewed
      ? r < 0.85 / 0.95
        ? TransactionStatus.DELIVERED
        : TransactionStatus.RETURNED
      : r < 0.85
        ? TransactionStatus.DELIVERED
        : r < 0.95
          ? TransactionStatus.RETURNED
          : TransactionStatus.PENDING;
  // The current purchase arrived at least a day before asOf, leaving room for its review.
  const maxDeliveryGap = current ? Math.min(7 * DAY_MS, asOf - DAY_MS - orderDate) : 7 * DAY_MS;
  const delivery =
    status === TransactionStatus.PENDING
      ? null
      : toMinute(orderDate + faker.number.int({ min: 2 * DAY_MS, max: maxDeliveryGap }));
  const returned =
    status === TransactionStatus.RETURNED && delivery !== null
      ? toMinute(delivery + faker.number.int({ min: 3 * DAY_MS, max: 14 * DAY_MS }))
      : null;
  const originalCents = Math.max(1, toCents(product.price));
  const discount = faker.number.int({ min: 0, max: 20 });
  const retailCents = Math.min(
    originalCents,
    Math.max(1, Math.round((originalCents * (100 - discount)) / 100)),
  );
  return {
    runId,
    id: faker.string.uuid(),
    productId: product.id,
    userId,
    orderDate: new Date(orderDate),
    expectedDeliveryDate: new Date(expected),
    deliveryDate: delivery === null ? null : new Date(delivery),
    returnDate: returned === null ? null : new Date(returned),
    originalPrice: fromCents(originalCents),
    retailPrice: fromCents(retailCents),
    status,
    isMock: kind.startsWith('MOCK'),
  };
}
