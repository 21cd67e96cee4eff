import type { Faker } from '@faker-js/faker';
import { ProductRole, Sentiment, TransactionStatus } from '../../entities/enums';
import { allocate } from '../allocate';
import { seededFaker } from '../random';
import { type ProductRow } from './products';
import { starCounts, starDistribution, starsBySentiment, spreadFromRating } from './ratings';
import type { ScenarioCounts } from './scenarios';
import { sentimentOfStars, spreadCounts, type SentimentSpread } from './sentiment';
import { ORDER_RULES } from './order-rules';

/** A review supplied by the client (e.g. fetched from RapidAPI), kept verbatim. */
export interface ApiReview {
  title: string;
  text: string;
  stars: number;
}

/**
 * Who bought and reviewed what, decided once per run before any row exists. Orders come in
 * segments (the main user's current purchase, mock shoppers' reviewed purchases of one product,
 * their other purchases of it, …); every slot's status and stars are planned here so the run's
 * splits are exact, and rows are then produced chunk by chunk, each chunk with its own seeded
 * faker, so a run of a million rows needs memory for one chunk only (plus a byte or two per slot).
 */
export interface OrderPlan {
  segments: Segment[];
  totalSlots: number;
  /** Reviews each product will have (index = product index). */
  reviewsPerProduct: number[];
  /** Mock shoppers: the scenario's mockUsers plus the extra ones the reviews need. */
  shoppers: number;
  extraShoppers: number;
  /** Status of each slot's purchase (STATUS_CODES), and its review's stars (0 = no review). */
  status: Uint8Array;
  stars: Uint8Array;
  /**
   * Each product's shoppers in the order they buy it: its reviewers are the first ones (distinct),
   * its purchases without a review go to the last ones first (keen reviewers at the front, passive
   * buyers at the back). Values are shopper numbers (0 = the first mock shopper).
   */
  buyers: Int32Array[];
  /** The main product's sentiment spread (given, or derived from its rating). */
  spread: SentimentSpread;
  spreadDerived: boolean;
  mainProductSilentPurchases: number;
  similarSilentPurchases: number;
}

/**
 * The rows a plan's orders come to, exactly: a transaction for every slot but the main user's
 * review-only ones (C1), a review for every slot with stars.
 */
export function plannedRows(plan: OrderPlan): { transactions: number; reviews: number } {
  const reviewOnly = plan.segments
    .filter((s) => s.kind === 'MAIN_USER_REVIEW_ONLY')
    .reduce((n, s) => n + s.count, 0);
  let reviews = 0;
  for (const stars of plan.stars) if (stars > 0) reviews++;
  return { transactions: plan.totalSlots - reviewOnly, reviews };
}

export const STATUS_CODES = [
  TransactionStatus.DELIVERED,
  TransactionStatus.RETURNED,
  TransactionStatus.PENDING,
];
export const RETURNED = 1;
export const PENDING = 2;
/** Added to a slot's status code: the purchase arrives late. */
export const LATE = 4;

export type SegmentKind =
  | 'MAIN_USER_CURRENT'
  | 'MAIN_USER_EXACT'
  | 'MAIN_USER_SIMILAR'
  | 'MAIN_USER_REVIEW_ONLY'
  | 'MOCK_REVIEWED'
  | 'MOCK_SILENT';

export interface Segment {
  kind: SegmentKind;
  count: number;
  /** First slot of the segment over the whole run. */
  start: number;
  /** Product index of each slot. */
  product: (indexInSegment: number) => number;
  /** Whether the slot's order carries a review. */
  reviewed: (indexInSegment: number) => boolean;
  /** Mock segments: how many purchases of the product come before this segment's first. */
  sequence: number;
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
  /** Index 0 is the main user, then the mock shoppers (`shopperCount` of them). */
  userIds: readonly string[];
  /** The client's spread for the main product's mock reviews; null = derived from its rating. */
  spread: SentimentSpread | null;
  apiReviews: readonly ApiReview[];
}

/** Rows per generated chunk: bounds memory whatever the run size. */
export const ORDER_CHUNK = 5000;

/** Most similar silent purchases one similar product can get, given how they are split (weights 0.75–1.25). */
export function similarSilentCap(total: number, similarProducts: number): number {
  if (similarProducts === 0) return 0;
  return Math.ceil((total * 1.25) / (1.25 + (similarProducts - 1) * 0.75)) + 1;
}

/**
 * How keen shoppers are to review, stated once: a quarter of them review almost everything they
 * buy, half review some, a quarter hardly ever (weights of being picked as a product's reviewer).
 */
export const REVIEWER_KEENNESS = [
  { share: 25, weight: 4 },
  { share: 50, weight: 1 },
  { share: 25, weight: 0.15 },
];

/** Room above the most-reviewed product's reviewers, so some shoppers of it buy without reviewing. */
export const PASSIVE_BUYER_ROOM = 1.25;

/**
 * Mock shoppers a scenario needs: its mockUsers, or more when a product gets more mock reviews
 * than that (one review per shopper and product, with a quarter more shoppers than reviews so
 * that some buy without reviewing) or more purchases than three per shopper.
 */
export function shopperCount(c: ScenarioCounts): number {
  const cap = ORDER_RULES.maxPurchasesPerShopperAndProduct;
  const mostReviews = Math.max(c.mainProductReviews, c.reviewsPerSimilarProduct, c.reviewsPerDiverseProduct);
  const mostPurchases = Math.max(
    c.mainProductReviews + c.mainProductSilentPurchases.max,
    c.similarProducts
      ? c.reviewsPerSimilarProduct + similarSilentCap(c.similarSilentPurchases.max, c.similarProducts)
      : 0,
    c.reviewsPerDiverseProduct,
  );
  return Math.max(c.mockUsers, Math.ceil(mostReviews * PASSIVE_BUYER_ROOM), Math.ceil(mostPurchases / cap));
}

export function planOrders(params: OrderParams): OrderPlan {
  const faker = seededFaker(params.seed, 'orders-plan');
  const c = params.counts;
  const products = params.products;
  const similar = indicesOf(products, ProductRole.SIMILAR);
  const shoppers = params.userIds.length - 1;

  const mainSilent = faker.number.int(c.mainProductSilentPurchases);
  const similarSilentTotal = similar.length ? faker.number.int(c.similarSilentPurchases) : 0;
  const similarSilent = allocate(
    similarSilentTotal,
    similar.map(() => faker.number.float({ min: 0.75, max: 1.25 })),
  );

  // The main user's similar purchases are of distinct similar products.
  const mainSimilar = faker.helpers.shuffle([...similar]);
  const mainUserSimilarProducts = mainSimilar.slice(0, c.mainUserSimilarPurchases);
  const reviewOnlyProducts = mainSimilar.slice(
    0,
    params.reviewsWithoutPurchase ? c.mainUserSimilarReviews : 0,
  );

  const specs: Omit<Segment, 'start'>[] = [
    // The survey trigger, in every scenario; the scenario's exact purchases come before it.
    { kind: 'MAIN_USER_CURRENT', count: 1, product: () => 0, reviewed: () => false, sequence: 0 },
    {
      kind: 'MAIN_USER_EXACT',
      count: c.mainUserExactPurchases,
      product: () => 0,
      reviewed: (i) => i < c.mainUserExactReviews,
      sequence: 0,
    },
    {
      kind: 'MAIN_USER_SIMILAR',
      count: mainUserSimilarProducts.length,
      product: (i) => mainUserSimilarProducts[i],
      reviewed: (i) => !params.reviewsWithoutPurchase && i < c.mainUserSimilarReviews,
      sequence: 0,
    },
    {
      kind: 'MAIN_USER_REVIEW_ONLY',
      count: reviewOnlyProducts.length,
      product: (i) => reviewOnlyProducts[i],
      reviewed: () => true,
      sequence: 0,
    },
  ];
  // Mock shoppers, product by product: reviewed purchases, then the ones without a review.
  const mockReviews = (p: number) =>
    p === 0
      ? c.mainProductReviews
      : products[p].role === ProductRole.SIMILAR
        ? c.reviewsPerSimilarProduct
        : c.reviewsPerDiverseProduct;
  const silentOf = (p: number) =>
    p === 0 ? mainSilent : products[p].role === ProductRole.SIMILAR ? similarSilent[similar.indexOf(p)] : 0;
  for (let p = 0; p < products.length; p++) {
    const reviewed = mockReviews(p);
    specs.push({
      kind: 'MOCK_REVIEWED',
      count: reviewed,
      product: () => p,
      reviewed: () => true,
      sequence: 0,
    });
    specs.push({
      kind: 'MOCK_SILENT',
      count: silentOf(p),
      product: () => p,
      reviewed: () => false,
      sequence: reviewed,
    });
  }
  let start = 0;
  const segments: Segment[] = specs.map((spec) => {
    const segment = { ...spec, start };
    start += spec.count;
    return segment;
  });
  const totalSlots = start;

  // Each product orders the shoppers by a weighted draw on their keenness to review
  // (Efraimidis–Spirakis keys): its reviewers are the first r (distinct), its other purchases
  // go round from the back, so nobody buys a product more than ceil(purchases / shoppers) times.
  const keenness = new Float64Array(shoppers);
  const levels = faker.helpers.shuffle(
    allocate(
      shoppers,
      REVIEWER_KEENNESS.map((k) => k.share),
    ).flatMap((n, i) => Array<number>(n).fill(i)),
  );
  levels.forEach((level, s) => (keenness[s] = REVIEWER_KEENNESS[level].weight));
  const keys = new Float64Array(shoppers);
  const buyers = products.map(() => {
    for (let s = 0; s < shoppers; s++)
      keys[s] = Math.log(faker.number.float({ min: 1e-12, max: 1 })) / keenness[s];
    return Int32Array.from({ length: shoppers }, (_, s) => s).sort((a, b) => keys[b] - keys[a] || a - b);
  });

  const rating = (p: number) => products[p].starRating;
  const spreadDerived = params.spread === null;
  const spread = params.spread ?? spreadFromRating(rating(0));
  const stars = new Uint8Array(totalSlots);
  const starQueue: number[][] = products.map(() => []);

  // The main product's mock reviews: the client's reviews as they are, then generated ones.
  const api = params.apiReviews;
  if (spreadDerived) {
    // Derived from the rating: the generated stars bring the whole set's mean to it.
    const n = c.mainProductReviews - api.length;
    const apiStars = api.reduce((sum, r) => sum + r.stars, 0);
    const adjusted = Math.min(
      5,
      Math.max(1, n ? (rating(0) * c.mainProductReviews - apiStars) / n : rating(0)),
    );
    starQueue[0] = faker.helpers.shuffle(expand(starCounts(n, adjusted)));
  } else {
    // An explicit spread holds exactly: the client's reviews count towards it.
    const target = spreadCounts(c.mainProductReviews, spread);
    const missing = { ...target };
    for (const r of api) missing[sentimentOfStars(r.stars)]--;
    const bySentiment = starsBySentiment(missing, rating(0));
    starQueue[0] = faker.helpers.shuffle([
      ...bySentiment[Sentiment.POSITIVE],
      ...bySentiment[Sentiment.NEUTRAL],
      ...bySentiment[Sentiment.NEGATIVE],
    ]);
  }
  // Every other product's reviews (the main user's included) average to its rating.
  const reviewsPerProduct = products.map(() => 0);
  for (const segment of segments) {
    for (let i = 0; i < segment.count; i++) if (segment.reviewed(i)) reviewsPerProduct[segment.product(i)]++;
  }
  for (let p = 1; p < products.length; p++) {
    starQueue[p] = faker.helpers.shuffle(expand(starCounts(reviewsPerProduct[p], rating(p))));
  }
  const mainUserDistribution = starDistribution(rating(0));

  for (const segment of segments) {
    for (let i = 0; i < segment.count; i++) {
      if (!segment.reviewed(i)) continue;
      const slot = segment.start + i;
      const p = segment.product(i);
      if (segment.kind === 'MOCK_REVIEWED' && p === 0 && i < api.length) stars[slot] = api[i].stars;
      else if (segment.kind === 'MAIN_USER_EXACT') stars[slot] = drawStars(faker, mainUserDistribution);
      else stars[slot] = starQueue[p].pop() ?? 3;
    }
  }

  const status = planStatuses(faker, segments, stars, totalSlots, api.length);
  planLateDeliveries(faker, segments, status);
  return {
    segments,
    totalSlots,
    reviewsPerProduct,
    shoppers,
    extraShoppers: shoppers - c.mockUsers,
    status,
    stars,
    buyers,
    spread,
    spreadDerived,
    mainProductSilentPurchases: mainSilent,
    similarSilentPurchases: similarSilentTotal,
  };
}

/**
 * Statuses, exact over the run's purchases by largest remainder: pending orders are purchases
 * without a review by mock shoppers (recent: nothing to review yet); returns are shared out over
 * purchases with a low review (1–2 stars, weight 4), without a review (2) and with a mixed one
 * (3 stars, 1) — never one above three stars, never the main user's current purchase. Where too
 * few purchases qualify, the rest are delivered.
 */
export function planStatuses(
  faker: Faker,
  segments: readonly Segment[],
  stars: Uint8Array,
  total: number,
  apiReviews: number,
): Uint8Array {
  const status = new Uint8Array(total);
  let purchases = 0;
  const silent: number[] = [];
  const low: number[] = [];
  const mixed: number[] = [];
  for (const segment of segments) {
    if (segment.kind === 'MAIN_USER_REVIEW_ONLY') continue;
    purchases += segment.count;
    // The main user's purchases of the main product are kept and delivered.
    if (segment.kind === 'MAIN_USER_CURRENT' || segment.kind === 'MAIN_USER_EXACT') continue;
    // The client's own reviews are kept as written, so their purchases are not made returns.
    const first = segment.kind === 'MOCK_REVIEWED' && segment.product(0) === 0 ? apiReviews : 0;
    for (let i = first; i < segment.count; i++) {
      const slot = segment.start + i;
      const s = stars[slot];
      if (s === 0) silent.push(slot);
      else if (s <= 2) low.push(slot);
      else if (s <= ORDER_RULES.returnedReviewMaxStars) mixed.push(slot);
    }
  }
  const { delivered, returned, pending } = ORDER_RULES.statusSplit;
  const [, returns, pendings] = allocate(purchases, [delivered, returned, pending]);
  const pendingCandidates = silent.filter((slot) => segmentOf(segments, slot).kind === 'MOCK_SILENT');
  const pendingSlots = new Set(
    sample(faker, pendingCandidates, Math.min(pendings, pendingCandidates.length)),
  );
  for (const slot of pendingSlots) status[slot] = PENDING;

  const classes = [low, silent.filter((slot) => !pendingSlots.has(slot)), mixed];
  const shares = allocate(returns, [4 * classes[0].length, 2 * classes[1].length, classes[2].length]);
  // A class smaller than its share passes the rest on to the next one with room.
  let carry = 0;
  for (let c = 0; c < classes.length; c++) {
    const take = Math.min(classes[c].length, shares[c] + carry);
    carry = shares[c] + carry - take;
    for (const slot of sample(faker, classes[c], take)) status[slot] = RETURNED;
  }
  for (let c = 0; c < classes.length && carry > 0; c++) {
    const room = classes[c].filter((slot) => status[slot] !== RETURNED);
    const take = Math.min(room.length, carry);
    for (const slot of sample(faker, room, take)) status[slot] = RETURNED;
    carry -= take;
  }
  return status;
}

/**
 * Marks exactly `lateDeliveryShare` of the delivered purchases (rounded) late: any purchase that
 * is not pending, but the survey trigger (delivered on the day expected).
 */
export function planLateDeliveries(faker: Faker, segments: readonly Segment[], status: Uint8Array): void {
  const delivered: number[] = [];
  for (const segment of segments) {
    if (segment.kind === 'MAIN_USER_REVIEW_ONLY' || segment.kind === 'MAIN_USER_CURRENT') continue;
    for (let slot = segment.start; slot < segment.start + segment.count; slot++) {
      if (status[slot] !== PENDING) delivered.push(slot);
    }
  }
  const late = Math.round(delivered.length * ORDER_RULES.lateDeliveryShare);
  for (const slot of sample(faker, delivered, late)) status[slot] |= LATE;
}

export function segmentOf(segments: readonly Segment[], slot: number): Segment {
  return segments.find((s) => slot >= s.start && slot < s.start + s.count)!;
}

/** `k` distinct elements of `items` (Floyd's algorithm: k draws, whatever the size of `items`). */
export function sample(faker: Faker, items: readonly number[], k: number): number[] {
  const chosen = new Set<number>();
  for (let j = items.length - k; j < items.length; j++) {
    const t = faker.number.int({ min: 0, max: j });
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].map((i) => items[i]);
}

export function drawStars(faker: Faker, distribution: readonly number[]): number {
  let r = faker.number.float({ min: 0, max: 1 });
  for (let k = 0; k < 4; k++) {
    if (r < distribution[k]) return k + 1;
    r -= distribution[k];
  }
  return 5;
}

/** [2, 0, 1] → [1, 1, 3]: star levels repeated by their counts. */
export function expand(counts: readonly number[]): number[] {
  return counts.flatMap((n, i) => Array<number>(n).fill(i + 1));
}

export function indicesOf(products: readonly ProductRow[], role: ProductRole): number[] {
  return products.flatMap((p, i) => (p.role === role ? [i] : []));
}

/**
 * Who makes the purchase (or review) of a segment's i-th slot: -1 for the main user, else the
 * mock shopper's number. A product's reviewers come from the front of its order of shoppers, its
 * other purchases round from the back.
 */
export function slotBuyer(plan: OrderPlan, segment: Segment, i: number): number {
  if (segment.kind.startsWith('MAIN_USER')) return -1;
  const buyers = plan.buyers[segment.product(i)];
  return segment.kind === 'MOCK_REVIEWED' ? buyers[i] : buyers[plan.shoppers - 1 - (i % plan.shoppers)];
}

/**
 * The products each user buys, from the plan alone (before any order is generated): index 0 is
 * the main user, then the mock shoppers; product indices, ascending, each once.
 */
export function productsBoughtBy(plan: OrderPlan): number[][] {
  const bought = Array.from({ length: plan.shoppers + 1 }, () => new Set<number>());
  for (const segment of plan.segments) {
    if (segment.kind === 'MAIN_USER_REVIEW_ONLY') continue;
    for (let i = 0; i < segment.count; i++) bought[1 + slotBuyer(plan, segment, i)].add(segment.product(i));
  }
  return bought.map((set) => [...set].sort((a, b) => a - b));
}
