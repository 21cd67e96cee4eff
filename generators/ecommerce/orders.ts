import type { Faker } from '@faker-js/faker';
import { ReviewSource, TransactionStatus } from '../../entities/enums';
import type { Review } from '../../entities/review.entity';
import type { Transaction } from '../../entities/transaction.entity';
import type { ReviewBrief } from '../briefs';
import { DAY_MS, HOUR_MS, seededFaker, toMinute } from '../random';
import { fromCents, toCents, type ProductRow } from './products';
import { sentimentOfStars } from './sentiment';
import { ORDER_RULES } from './order-rules';
import {
  LATE,
  ORDER_CHUNK,
  slotBuyer,
  STATUS_CODES,
  type OrderParams,
  type OrderPlan,
  type SegmentKind,
} from './order-plan';

// The orders generator's public face: its rules (order-rules.ts), its plan (order-plan.ts), its chunks (here).
export { ORDER_RULES, RETURN_LANGUAGE, RETURN_WORDS } from './order-rules';
export {
  ORDER_CHUNK,
  planOrders,
  plannedRows,
  productsBoughtBy,
  shopperCount,
  type ApiReview,
  type OrderParams,
  type OrderPlan,
} from './order-plan';

export type TransactionRow = Omit<Transaction, 'run' | 'product' | 'user'>;
export type ReviewRow = Omit<Review, 'run' | 'product' | 'user' | 'transaction'>;

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
 * The orders of chunk `k`, by the rules (ORDER_RULES): mock orders 30–730 days before asOf (the
 * main user's history 60–365; their current purchase of the main product 5–7 days before,
 * delivered); pending orders placed in the last 4 days (mostly not due yet); expected delivery
 * +3–5 days, delivered on time (up to 2 days early) but for the planned 8 % late (by up to 3
 * days), 0–20 % discount, returns 3–14 days after delivery, reviews after delivery (after the
 * return, for a returned purchase) and never after asOf. Statuses and stars come from the plan.
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

  let s = 0;
  for (let slot = first; slot < last; slot++) {
    while (slot >= plan.segments[s].start + plan.segments[s].count) s++;
    const segment = plan.segments[s];
    const i = slot - segment.start;
    const productIndex = segment.product(i);
    const product = params.products[productIndex];
    const byMainUser = segment.kind.startsWith('MAIN_USER');
    const userId = params.userIds[1 + slotBuyer(plan, segment, i)];
    const reviewed = segment.reviewed(i);
    const status = STATUS_CODES[plan.status[slot] & 3];
    const late = (plan.status[slot] & LATE) !== 0;

    let transaction: TransactionRow | null = null;
    if (segment.kind !== 'MAIN_USER_REVIEW_ONLY') {
      transaction = order(faker, params.runId, asOf, product, userId, segment.kind, status, late);
      out.transactions.push(transaction);
    }
    if (!reviewed) continue;

    const api =
      segment.kind === 'MOCK_REVIEWED' && productIndex === 0 && i < params.apiReviews.length
        ? params.apiReviews[i]
        : null;
    const stars = plan.stars[slot];
    // Reviewed after it arrived — after it went back, for a return (its review says so).
    const reviewable = (transaction?.returnDate ?? transaction?.deliveryDate)?.getTime();
    const reviewedAt =
      reviewable !== undefined
        ? toMinute(
            reviewable + faker.number.int({ min: HOUR_MS, max: Math.min(30 * DAY_MS, asOf - reviewable) }),
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
            productName: `${product.brand} ${productNouns[productIndex]}`,
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
  status: TransactionStatus,
  late: boolean,
): TransactionRow {
  const current = kind === 'MAIN_USER_CURRENT';
  const pending = status === TransactionStatus.PENDING;
  const [minDays, maxDays] = current
    ? ORDER_RULES.currentPurchaseDays
    : pending
      ? [1 / 24, ORDER_RULES.pendingMaxAgeDays]
      : kind === 'MAIN_USER_SIMILAR' || kind === 'MAIN_USER_EXACT'
        ? ORDER_RULES.mainUserHistoryDays
        : ORDER_RULES.mockOrderDays;
  const orderDate = toMinute(asOf - faker.number.int({ min: minDays * DAY_MS, max: maxDays * DAY_MS }));
  const [soonest, latest] = ORDER_RULES.expectedDeliveryDays;
  const expectedAt = orderDate + faker.number.int({ min: soonest, max: latest }) * DAY_MS;
  // The current purchase arrived 1–5 days after it was ordered and before asOf, on the day expected;
  // others on time (up to 2 days early) unless planned late.
  const delivery = pending
    ? null
    : current
      ? toMinute(
          orderDate +
            faker.number.int({ min: DAY_MS, max: Math.min(5 * DAY_MS, asOf - orderDate - HOUR_MS) }),
        )
      : late
        ? toMinute(expectedAt + faker.number.int({ min: HOUR_MS, max: ORDER_RULES.lateMaxDays * DAY_MS }))
        : toMinute(expectedAt - faker.number.int({ min: 0, max: 2 * DAY_MS }));
  const expected = current ? delivery! : expectedAt;
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
