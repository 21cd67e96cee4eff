import { TransactionStatus } from '../../entities/enums';
import {
  chunkCount,
  generateOrderChunk,
  planOrders,
  type OrderChunk,
  type OrderParams,
} from '../../generators/ecommerce/orders';
import { generateProducts } from '../../generators/ecommerce/products';
import { generateUsers, withAggregates } from '../../generators/ecommerce/users';
import { seededFaker } from '../../generators/random';
import type { GenerateScenarioInput } from '../../resolvers/types/generate-scenario.input';
import { ScenarioContract } from '../../src/pipeline/scenario-contract';
import { resolveScenarioRequest } from '../../src/pipeline/scenario-request';

const RUN = '00000000-0000-4000-8000-000000000001';

/** Generates a scenario in memory and returns its contract checks after `tamper` edits the orders. */
function checksOf(scenario: string, tamper: (chunk: OrderChunk) => void = () => undefined) {
  const request = resolveScenarioRequest(
    { scenario, asOf: new Date('2026-11-01T00:00:00Z') } as GenerateScenarioInput,
    new Date(),
  );
  const generated = generateProducts(seededFaker(request.seed, 'products'), {
    runId: RUN,
    main: request.mainProduct,
    similarCount: request.config.counts.similarProducts,
    diverseCount: request.config.counts.diverseProducts,
  });
  const products = generated.map((g) => ({ ...g.row, title: 'T', description: 'D' }));
  const users = generateUsers(
    seededFaker(request.seed, 'users'),
    RUN,
    request.mainUser,
    request.config.counts.mockUsers,
  );
  const params: OrderParams = {
    runId: RUN,
    seed: request.seed,
    asOf: request.asOf,
    counts: request.config.counts,
    reviewsWithoutPurchase: request.config.reviewsWithoutPurchase,
    products,
    userIds: users.map((u) => u.id),
    spread: request.spread,
    apiReviews: [],
  };
  const plan = planOrders(params);
  products.forEach((p, i) => (p.reviewCount = plan.reviewsPerProduct[i]));
  const contract = new ScenarioContract(request, plan, products, users[0].id);
  const activity = users.map(() => ({
    purchases: 0,
    purchaseReviews: 0,
    reviewsWithoutPurchase: 0,
    starsSum: 0,
  }));
  const index = new Map(users.map((u, i) => [u.id, i]));
  for (let k = 0; k < chunkCount(plan); k++) {
    const chunk = generateOrderChunk(
      params,
      plan,
      k,
      generated.map((g) => g.noun),
    );
    tamper(chunk);
    contract.observeOrders(chunk);
    for (const t of chunk.transactions) activity[index.get(t.userId)!].purchases++;
    for (const r of chunk.reviews) {
      const a = activity[index.get(r.userId)!];
      if (r.transactionId) a.purchaseReviews++;
      else a.reviewsWithoutPurchase++;
      a.starsSum += r.stars;
    }
  }
  contract.observeUsers(users.map((u, i) => withAggregates(u, activity[i])));
  return contract.checks();
}

const failed = (checks: { name: string; passed: boolean }[]) =>
  checks.filter((c) => !c.passed).map((c) => c.name);

describe('scenario contract', () => {
  it.each(['A1', 'A3', 'B2', 'B3', 'C1', 'C3'])('passes for an untouched %s', (scenario) => {
    expect(failed(checksOf(scenario))).toEqual([]);
  });

  it('catches a review written before its delivery', () => {
    const checks = checksOf('A1', (chunk) => {
      const r = chunk.reviews.find((x) => x.transactionId)!;
      r.reviewedAt = new Date(0);
    });
    expect(failed(checks)).toContain('reviews.afterDelivery');
  });

  it('catches a retail price above the original and dates after asOf', () => {
    const checks = checksOf('B1', (chunk) => {
      chunk.transactions[0].retailPrice = '99999.00';
      chunk.transactions[1].orderDate = new Date('2030-01-01');
    });
    expect(failed(checks)).toEqual(
      expect.arrayContaining([
        'transactions.prices',
        'transactions.noDateAfterAsOf',
        'transactions.dateOrder',
      ]),
    );
  });

  it('catches a missing main-user review and a broken spread', () => {
    const checks = checksOf('A1', (chunk) => {
      const mainUserReview = chunk.reviews.findIndex((r) => r.source === 'USER_SUBMITTED');
      if (mainUserReview >= 0) chunk.reviews.splice(mainUserReview, 1);
      const good = chunk.reviews.find((r) => r.stars >= 4 && r.source === 'AGENT_GENERATED');
      if (good) good.stars = 1;
    });
    expect(failed(checks)).toEqual(
      expect.arrayContaining(['mainUser.exactReviews', 'products.reviewCountMatchesReviews']),
    );
  });

  it('catches a review without a transaction outside C1, and two reviews of one purchase', () => {
    const checks = checksOf('B1', (chunk) => {
      chunk.reviews[0].transactionId = null;
      chunk.reviews[2].transactionId = chunk.reviews[1].transactionId;
    });
    expect(failed(checks)).toEqual(
      expect.arrayContaining(['reviews.withoutTransaction', 'reviews.oneReviewPerTransaction']),
    );
  });

  it('catches a pending order with a delivery date', () => {
    const checks = checksOf('C4', (chunk) => {
      const t = chunk.transactions.find((x) => x.status === TransactionStatus.DELIVERED)!;
      t.status = TransactionStatus.PENDING;
    });
    expect(failed(checks)).toContain('transactions.dateOrder');
  });
});
