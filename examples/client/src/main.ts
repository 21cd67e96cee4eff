import { createClient, GraphQLRequestError } from './client';
import type { GenerateScenarioInput } from './gql/graphql';
import {
  DashboardSummary,
  EstimateScenario,
  GenerateDashboard,
  GenerateScenario,
  ReviewPage,
  RunWorld,
} from './operations';

/**
 * The example client: estimates and generates a scenario, reads its world three levels deep, pages
 * through its reviews, generates a dashboard and reads its summary — checking each answer. Prints
 * one JSON line and exits 0 when every check passed.
 *
 *   node examples/client/dist/main.js http://localhost:4000/graphql [apiKey]
 */
async function main(url: string, apiKey?: string): Promise<Record<string, unknown>> {
  const request = createClient(url, apiKey);
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };

  const input: GenerateScenarioInput = {
    scenario: 'A1',
    seed: 7,
    asOf: '2026-11-01',
    mainUser: { name: 'Ada Lovelace', age: 36, location: 'Austin, TX', zip: '73301' },
    mainProduct: {
      title: 'Logitech M720 Wireless Mouse',
      brand: 'Logitech',
      price: '29.99',
      category: 'ELECTRONICS',
    },
  };

  const { costEstimate } = await request(EstimateScenario, { input });
  check(costEstimate.phases.length > 0 && costEstimate.totals.calls > 0, 'costEstimate has phases and calls');

  const { generateScenario: run } = await request(GenerateScenario, { input });
  check(run.status === 'SUCCEEDED', `generateScenario succeeded (${run.status} ${run.error ?? ''})`);
  check(
    run.scenarioId === 'A1' && run.asOf === '2026-11-01T00:00:00.000Z',
    'the run keeps its scenario and asOf',
  );

  const world = await request(RunWorld, { id: run.id });
  const products = world.run?.products.nodes ?? [];
  const main = products.find((p) => p.role === 'MAIN');
  // Decimal arrives as a string of a number: exact, and typed so.
  const price: `${number}` | undefined = main?.price;
  check(price === '29.99' && main?.category === 'ELECTRONICS', 'the main product is the one asked for');
  check(
    products.every((p) =>
      p.reviews.nodes.every((r) => r.user.name.length > 0 && r.stars >= 1 && r.stars <= 5),
    ),
    'nested products → reviews → user resolve',
  );

  const seen = new Set<string>();
  let after: string | null = null;
  let total = 0;
  for (let pages = 0; pages < 100; pages++) {
    const {
      reviews,
    }: {
      reviews: {
        totalCount: number;
        nodes: { id: string }[];
        pageInfo: { endCursor?: string | null; hasNextPage: boolean };
      };
    } = await request(ReviewPage, { runId: run.id, after });
    total = reviews.totalCount;
    for (const review of reviews.nodes) seen.add(review.id);
    if (!reviews.pageInfo.hasNextPage) break;
    after = reviews.pageInfo.endCursor ?? null;
  }
  check(
    seen.size === total && total === run.rowCounts.reviews,
    `paging with after saw every review once (${seen.size}/${total})`,
  );

  const { generateDashboard } = await request(GenerateDashboard, {
    input: {
      seed: 12345,
      asOf: '2026-11-01',
      days: 7,
      agents: 4,
      members: 3,
      conversations: 40,
      auditLogs: 20,
    },
  });
  check(generateDashboard.status === 'SUCCEEDED', 'generateDashboard succeeded');
  const summary = await request(DashboardSummary, {
    runId: generateDashboard.id,
    from: '2026-10-25',
    to: '2026-10-31',
  });
  check(
    summary.overview.agentCount === 4 && summary.overview.conversationCount > 0,
    'overview counts agents and traffic',
  );
  check(
    summary.costSummary.totals.records > 0 && Number(summary.costSummary.totals.totalCost) > 0,
    'costSummary has priced records',
  );

  return {
    ok: failures.length === 0,
    failures,
    scenarioRunId: run.id,
    estimatedCalls: costEstimate.totals.calls,
    products: products.length,
    reviewsPaged: seen.size,
    dashboardRunId: generateDashboard.id,
    agents: summary.overview.agentCount,
  };
}

main(process.argv[2] ?? 'http://localhost:4000/graphql', process.argv[3]).then(
  (result) => {
    console.log(JSON.stringify(result));
    process.exit(result.ok ? 0 : 1);
  },
  (error: unknown) => {
    const detail =
      error instanceof GraphQLRequestError ? { status: error.status, errors: error.errors } : String(error);
    console.log(JSON.stringify({ ok: false, error: detail }));
    process.exit(1);
  },
);
