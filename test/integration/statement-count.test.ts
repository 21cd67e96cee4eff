import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { seedFixture, type Fixture } from '../helpers/fixture';

let app: TestApp;
let fx: Fixture;

beforeAll(async () => {
  app = await startTestApp();
  fx = await seedFixture(app.db, {
    products: 40,
    users: 25,
    reviewsPerProduct: 6,
    agents: 12,
    conversationsPerAgent: 8,
    days: 5,
  });
});
afterAll(() => app?.close());

/** Runs a query and returns how many SQL statements it cost. */
async function statementsOf(query: string, variables: Record<string, unknown>): Promise<number> {
  const { result, statements } = await app.statements.measure(() => app.gql(query, variables));
  expectNoErrors(result);
  return statements;
}

// Each case: a query whose list fields nest `depth` levels deep (every level hits another table).
const cases: { name: string; depth: number; query: string }[] = [
  {
    name: 'a list with its total',
    depth: 1,
    query: `query($run: ID!, $n: Int!) { products(first: $n, filter: { runId: $run }) { totalCount nodes { id title } } }`,
  },
  {
    name: 'products → reviews',
    depth: 2,
    query: `query($run: ID!, $n: Int!) { products(first: $n, filter: { runId: $run }) { totalCount
      nodes { id reviews(first: $n) { totalCount nodes { id stars } } } } }`,
  },
  {
    name: 'products → reviews → user',
    depth: 3,
    query: `query($run: ID!, $n: Int!) { products(first: $n, filter: { runId: $run }) {
      nodes { reviews(first: $n) { nodes { user { name } } } } } }`,
  },
  {
    name: 'run → products → reviews → user → transactions → product',
    depth: 6,
    query: `query($run: ID!, $n: Int!) { run(id: $run) { products(first: $n) { totalCount nodes {
      reviews(first: $n) { totalCount nodes { user { name transactions(first: $n) { totalCount nodes { product { title } } } } } } } } } }`,
  },
];

describe('nested queries cost at most depth + 1 statements, whatever the page size', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const small = await statementsOf(c.query, { run: fx.scenarioRunId, n: 1 });
      // Large enough to fetch many parents per level, small enough for the query cost limit.
      const large = await statementsOf(c.query, { run: fx.scenarioRunId, n: 25 });
      expect(large).toBeLessThanOrEqual(c.depth + 1);
      expect(large).toBe(small);
    });
  }

  it('dashboard: members → agents → conversations → agent → createdBy', async () => {
    const query = `query($run: ID!, $n: Int!) { members(first: $n, filter: { runId: $run }) { nodes {
      agents(first: $n) { nodes { conversations(first: $n) { totalCount nodes { agent { createdBy { name } } } }
        dailyMetrics(first: $n) { nodes { successRate } } } } } } }`;
    const small = await statementsOf(query, { run: fx.dashboardRunId, n: 1 });
    const large = await statementsOf(query, { run: fx.dashboardRunId, n: 20 });
    // Depth 5 along the longest chain (members, agents, conversations, agent, createdBy).
    expect(large).toBeLessThanOrEqual(6);
    expect(large).toBe(small);
  });

  it('agents with their metrics, and runs with their overview and costs: one statement per level', async () => {
    const query = `query($run: ID!, $n: Int!) { agents(first: $n, filter: { runId: $run }) { nodes {
      metrics { totalConversations avgResponseTimeMs successRate } } }
      runs(first: $n) { nodes { overview { agentCount } costSummary { totals { records } } } } }`;
    const small = await statementsOf(query, { run: fx.dashboardRunId, n: 1 });
    const large = await statementsOf(query, { run: fx.dashboardRunId, n: 12 });
    // agents, their metrics; runs, their overviews, cost groups and cost totals.
    expect(large).toBeLessThanOrEqual(6);
    expect(large).toBe(small);
  });
});
