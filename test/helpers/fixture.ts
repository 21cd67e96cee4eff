import {
  Agent,
  AuditLog,
  Conversation,
  CostRecord,
  DailyMetric,
  GenerationRun,
  Member,
  Product,
  Review,
  Transaction,
  User,
} from '../../entities';
import {
  AgentStatus,
  AuditAction,
  EngagementLevel,
  MemberRole,
  ProductRole,
  ReviewSource,
  RunKind,
  RunStatus,
  ScenarioId,
  Sentiment,
  TransactionStatus,
} from '../../entities/enums';
import { ZERO_COUNTS } from '../../entities/row-counts';
import type { Database } from '../../src/db/data-source';
import { insertEntities } from '../../src/pipeline/bulk-writer';

/** A readable, valid UUID from a namespace digit and a counter. */
export function fixtureId(namespace: number, n: number): string {
  return `${namespace.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export interface FixtureSizes {
  products: number;
  users: number;
  /** Each product gets this many transactions, each with a review. */
  reviewsPerProduct: number;
  agents: number;
  conversationsPerAgent: number;
  days: number;
}

export const SMALL: FixtureSizes = {
  products: 6,
  users: 4,
  reviewsPerProduct: 3,
  agents: 3,
  conversationsPerAgent: 4,
  days: 3,
};

export interface Fixture {
  scenarioRunId: string;
  dashboardRunId: string;
  sizes: FixtureSizes;
}

const AS_OF = new Date('2026-11-01T00:00:00.000Z');
const day = (n: number) => new Date(AS_OF.getTime() - n * 86_400_000);

function runRow(id: string, kind: RunKind): GenerationRun {
  return Object.assign(new GenerationRun(), {
    id,
    kind,
    scenarioId: kind === RunKind.SCENARIO ? ScenarioId.A1 : null,
    baseScenarioId: kind === RunKind.SCENARIO ? ScenarioId.A1 : null,
    contract: [],
    seed: 1,
    asOf: AS_OF,
    status: RunStatus.SUCCEEDED,
    error: null,
    input: { fixture: true },
    rowCounts: { ...ZERO_COUNTS },
    fingerprint: null,
    generatorVersion: 'fixture',
    startedAt: AS_OF,
    finishedAt: AS_OF,
    durationMs: 0,
    createdAt: AS_OF,
    progress: null,
    request: null,
    cancelRequested: false,
    idempotencyKey: null,
    inputHash: null,
    attempts: 1,
    heartbeatAt: null,
    worker: null,
    rowsPending: false,
  });
}

/**
 * A small, hand-made dataset over both models (not the generators: those come with their own
 * tests). `runOffset` makes several independent copies possible in one database.
 */
export async function seedFixture(
  db: Database,
  sizes: FixtureSizes = SMALL,
  runOffset = 0,
): Promise<Fixture> {
  const scenarioRunId = fixtureId(0xa0 + runOffset, 1);
  const dashboardRunId = fixtureId(0xb0 + runOffset, 1);
  const runId = scenarioRunId;

  const products = Array.from({ length: sizes.products }, (_, i) =>
    Object.assign(new Product(), {
      runId,
      id: fixtureId(1, i),
      asin: `B${String(i).padStart(9, '0')}`,
      role: i === 0 ? ProductRole.MAIN : ProductRole.SIMILAR,
      title: `Product ${i}`,
      brand: i % 2 ? 'Acme' : 'Globex',
      description: `Description ${i}`,
      category: i % 3 === 0 ? 'electronics' : 'home',
      price: `${10 + i}.99`,
      starRating: 4.5,
      numRatings: 100 + i,
      reviewCount: sizes.reviewsPerProduct,
      photos: [`https://img.example.com/${i}/1.jpg`, `https://img.example.com/${i}/2.jpg`],
      productUrl: `https://shop.example.com/p/${i}`,
      isMock: i !== 0,
    }),
  );
  const users = Array.from({ length: sizes.users }, (_, i) =>
    Object.assign(new User(), {
      runId,
      id: fixtureId(2, i),
      name: `User ${String(i).padStart(3, '0')}`,
      email: `user${i}@example.com`,
      age: 20 + i,
      location: 'Austin, TX',
      zip: '73301',
      gender: i % 2 ? 'Female' : 'Male',
      isMainUser: i === 0,
      totalPurchases: 0,
      totalReviews: 0,
      reviewsWithoutPurchase: 0,
      reviewEngagementRate: 0,
      avgReviewRating: null,
      sentimentTendency: Sentiment.POSITIVE,
      engagementLevel: EngagementLevel.MEDIUM,
    }),
  );
  const transactions: Transaction[] = [];
  const reviews: Review[] = [];
  for (const [p, product] of products.entries()) {
    for (let r = 0; r < sizes.reviewsPerProduct; r++) {
      const n = p * sizes.reviewsPerProduct + r;
      const user = users[n % users.length];
      const status = n % 10 === 9 ? TransactionStatus.RETURNED : TransactionStatus.DELIVERED;
      transactions.push(
        Object.assign(new Transaction(), {
          runId,
          id: fixtureId(3, n),
          productId: product.id,
          userId: user.id,
          orderDate: day(30 + n),
          expectedDeliveryDate: day(26 + n),
          deliveryDate: day(25 + n),
          returnDate: status === TransactionStatus.RETURNED ? day(20 + n) : null,
          originalPrice: product.price,
          retailPrice: product.price,
          status,
          isMock: !user.isMainUser,
        }),
      );
      reviews.push(
        Object.assign(new Review(), {
          runId,
          id: fixtureId(4, n),
          productId: product.id,
          userId: user.id,
          transactionId: fixtureId(3, n),
          title: `Review ${n}`,
          text: `Text of review ${n}`,
          stars: (n % 5) + 1,
          source: ReviewSource.AGENT_GENERATED,
          reviewedAt: day(24 + n),
        }),
      );
      user.totalPurchases++;
      user.totalReviews++;
    }
  }

  const d = dashboardRunId;
  const members = [MemberRole.ADMIN, MemberRole.OPERATOR, MemberRole.VIEWER].map((role, i) =>
    Object.assign(new Member(), {
      runId: d,
      id: fixtureId(5, i),
      name: `Member ${i}`,
      email: `member${i}@example.com`,
      avatarUrl: `https://avatars.example.com/${i}.png`,
      role,
    }),
  );
  const agents = Array.from({ length: sizes.agents }, (_, i) =>
    Object.assign(new Agent(), {
      runId: d,
      id: fixtureId(6, i),
      name: `Agent ${String(i).padStart(3, '0')}`,
      description: `Agent number ${i}`,
      model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
      status: i === 0 ? AgentStatus.ERROR : AgentStatus.ACTIVE,
      config: { temperature: 0.7, maxTokens: 2048, systemPrompt: 'You are helpful.' },
      createdById: members[i % 2].id,
      createdAt: day(200),
      lastActiveAt: day(1),
    }),
  );
  const conversations: Conversation[] = [];
  const metrics: DailyMetric[] = [];
  const costs: CostRecord[] = [];
  for (const [a, agent] of agents.entries()) {
    for (let c = 0; c < sizes.conversationsPerAgent; c++) {
      const n = a * sizes.conversationsPerAgent + c;
      conversations.push(
        Object.assign(new Conversation(), {
          runId: d,
          id: fixtureId(7, n),
          agentId: agent.id,
          startedAt: day(2 + c),
          endedAt: new Date(day(2 + c).getTime() + 600_000),
          initiator: `user-${String(c % 7).padStart(6, '0')}`,
          messageCount: 10,
          sentiment: [Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE][n % 3],
          resolved: n % 2 === 0,
          responseTimeMs: 1200,
          inputTokens: 500,
          outputTokens: 750,
        }),
      );
    }
    for (let k = 0; k < sizes.days; k++) {
      const n = a * sizes.days + k;
      const date = day(k + 1)
        .toISOString()
        .slice(0, 10);
      metrics.push(
        Object.assign(new DailyMetric(), {
          runId: d,
          id: fixtureId(8, n),
          agentId: agent.id,
          date,
          conversations: 20,
          avgResponseTimeMs: 1500,
          successRate: 0.95,
          totalTokensInput: 10_000,
          totalTokensOutput: 15_000,
        }),
      );
      costs.push(
        Object.assign(new CostRecord(), {
          runId: d,
          id: fixtureId(9, n),
          agentId: agent.id,
          date,
          model: agent.model,
          inputTokens: 10_000,
          outputTokens: 15_000,
          totalCost: '0.010500',
          pricedRunId: null,
        }),
      );
    }
  }
  const auditLogs = members.map((member, i) =>
    Object.assign(new AuditLog(), {
      runId: d,
      id: fixtureId(10, i),
      memberId: member.id,
      action: i === 0 ? AuditAction.AGENT_CREATED : AuditAction.USER_LOGIN,
      targetType: i === 0 ? 'agent' : 'session',
      targetId: i === 0 ? agents[0].id : null,
      occurredAt: day(i + 1),
      metadata: { ip: '10.0.0.1' },
    }),
  );

  await db.dataSource.transaction(async (manager) => {
    await insertEntities(manager, GenerationRun, [
      runRow(scenarioRunId, RunKind.SCENARIO),
      runRow(d, RunKind.DASHBOARD),
    ]);
    await insertEntities(manager, Product, products);
    await insertEntities(manager, User, users);
    await insertEntities(manager, Transaction, transactions);
    await insertEntities(manager, Review, reviews);
    await insertEntities(manager, Member, members);
    await insertEntities(manager, Agent, agents);
    await insertEntities(manager, Conversation, conversations);
    await insertEntities(manager, DailyMetric, metrics);
    await insertEntities(manager, CostRecord, costs);
    await insertEntities(manager, AuditLog, auditLogs);
  });
  return { scenarioRunId, dashboardRunId, sizes };
}
