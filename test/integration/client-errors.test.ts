import { startTestApp, type GqlResponse, type TestApp } from '../helpers/test-app';
import { seedFixture, type Fixture } from '../helpers/fixture';

/**
 * What a client app gets for its everyday mistakes: never a 500. Variables are checked with the
 * path of the bad value, limits say which limit, and nothing is written.
 */
let app: TestApp;
let fx: Fixture;

beforeAll(async () => {
  app = await startTestApp();
  fx = await seedFixture(app.db);
});
afterAll(() => app?.close());

async function rowTotal(): Promise<number> {
  const [row] = await app.db.dataSource.query(
    `SELECT (SELECT count(*) FROM generation_runs) + (SELECT count(*) FROM products) + (SELECT count(*) FROM users)
          + (SELECT count(*) FROM members) + (SELECT count(*) FROM agents) AS n`,
  );
  return Number(row.n);
}

function expectRefused(res: GqlResponse, status: number, code: string, field?: string) {
  expect(res.status).toBe(status);
  expect(res.errors?.length).toBeGreaterThan(0);
  const [error] = res.errors!;
  expect(error.extensions?.code).toBe(code);
  if (field !== undefined) expect(error.extensions?.field).toBe(field);
  expect(error.message).not.toMatch(/Internal server error|Syntax Error/);
  expect(res.data ?? null).toBeNull();
}

const GENERATE = `mutation Generate($input: GenerateScenarioInput!) { generateScenario(input: $input) { id } }`;
const DASHBOARD = `mutation($input: GenerateDashboardInput) { generateDashboard(input: $input) { id } }`;

describe('bad variables are answered 400 BAD_USER_INPUT naming the variable path, writing nothing', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['seed over 32 bits', GENERATE, { input: { scenario: 'A1', seed: 2147483648 } }, 'input.seed'],
    ['fractional seed', GENERATE, { input: { scenario: 'A1', seed: 1.5 } }, 'input.seed'],
    ['seed "NaN"', GENERATE, { input: { scenario: 'A1', seed: 'NaN' } }, 'input.seed'],
    ['fractional days', DASHBOARD, { input: { days: 2.5 } }, 'input.days'],
    ['an unknown input field', GENERATE, { input: { scenario: 'A1', bogus: 1 } }, 'input.bogus'],
    ['a bad enum value', GENERATE, { input: { scenario: 'Z9' } }, 'input.scenario'],
    ['CUSTOM, which is output-only', GENERATE, { input: { scenario: 'CUSTOM' } }, 'input.scenario'],
    [
      'price "abc"',
      GENERATE,
      { input: { scenario: 'A1', mainProduct: { price: 'abc' } } },
      'input.mainProduct.price',
    ],
    [
      'price "1e309"',
      GENERATE,
      { input: { scenario: 'A1', mainProduct: { price: '1e309' } } },
      'input.mainProduct.price',
    ],
    [
      'price "NaN"',
      GENERATE,
      { input: { scenario: 'A1', mainProduct: { price: 'NaN' } } },
      'input.mainProduct.price',
    ],
    ['maxCostUsd "abc"', GENERATE, { input: { scenario: 'A1', maxCostUsd: 'abc' } }, 'input.maxCostUsd'],
    ['a bad asOf', GENERATE, { input: { scenario: 'A1', asOf: '2026-02-30' } }, 'input.asOf'],
    [
      'a NUL byte in a name',
      GENERATE,
      { input: { scenario: 'A1', mainUser: { name: 'Jo\u0000hn' } } },
      'input.mainUser.name',
    ],
    [
      'a NUL byte in a review text',
      GENERATE,
      { input: { scenario: 'A1', apiReviews: [{ title: 'ok', text: 'fine\u0000', stars: 4 }] } },
      'input.apiReviews[0].text',
    ],
  ];

  it.each(cases)('%s', async (_name, query, variables, field) => {
    const before = await rowTotal();
    const res = await app.gql(query, variables);
    expectRefused(res, 400, 'BAD_USER_INPUT', field);
    expect(res.errors![0].message).toContain(field);
    expect(await rowTotal()).toBe(before);
  });

  it('names a missing required variable and a null ID!', async () => {
    const query = `query Run($id: ID!) { run(id: $id) { id } }`;
    expectRefused(await app.gql(query, {}), 400, 'BAD_USER_INPUT', 'id');
    expectRefused(await app.gql(query, { id: null }), 400, 'BAD_USER_INPUT', 'id');
  });

  it('names a page size that is not a number by the argument it feeds, whatever the variable is called', async () => {
    const res = await app.gql(`query($n: Int) { products(first: $n) { nodes { id } } }`, { n: 'x' });
    expectRefused(res, 400, 'BAD_USER_INPUT', 'first');
  });

  it('names bad dates in filters, as variables, by argument path (as a resolver names them)', async () => {
    const runs = `query($f: TransactionFilter) { transactions(filter: $f) { nodes { id } } }`;
    expectRefused(
      await app.gql(runs, { f: { from: '2026-02-30T00:00:00Z' } }),
      400,
      'BAD_USER_INPUT',
      'filter.from',
    );
    expectRefused(await app.gql(runs, { f: { from: '' } }), 400, 'BAD_USER_INPUT', 'filter.from');
    const days = `query($f: DailyMetricFilter) { dailyMetrics(filter: $f) { nodes { id } } }`;
    expectRefused(await app.gql(days, { f: { from: '2026-13-01' } }), 400, 'BAD_USER_INPUT', 'filter.from');
  });
});

describe('bad literals name the argument path', () => {
  it.each([
    [`{ transactions(filter: { from: "2026-02-30T00:00:00Z" }) { nodes { id } } }`, 'filter.from'],
    [`{ transactions(filter: { from: "" }) { nodes { id } } }`, 'filter.from'],
    [`{ dailyMetrics(filter: { to: "2026-13-01" }) { nodes { id } } }`, 'filter.to'],
    [`{ products(first: "x") { nodes { id } } }`, 'first'],
    [`{ runs(filter: { kind: NOPE }) { nodes { id } } }`, 'filter.kind'],
    [
      `mutation { generateScenario(input: { scenario: A1, apiReviews: [{ title: "a", text: "b", stars: 4 }, { title: "a", text: "b", stars: "five" }] }) { id } }`,
      'input.apiReviews[1].stars',
    ],
  ])('%s', async (query, field) => {
    const before = await rowTotal();
    expectRefused(await app.gql(query), 400, 'BAD_USER_INPUT', field);
    expect(await rowTotal()).toBe(before);
  });

  it('costSummary with an impossible date', async () => {
    const res = await app.gql(
      `query($r: ID!) { costSummary(runId: $r, from: "2026-02-30") { totals { records } } }`,
      {
        r: fx.dashboardRunId,
      },
    );
    expectRefused(res, 400, 'BAD_USER_INPUT', 'from');
    expect(res.errors![0].message).toContain('2026-02-30');
  });

  it('a NUL byte written inline in any string argument', async () => {
    const before = await rowTotal();
    const res = await app.gql(
      `mutation { generateScenario(input: { scenario: A1, mainUser: { name: "Jo\\u0000hn" } }) { id } }`,
    );
    expectRefused(res, 400, 'BAD_USER_INPUT', 'input.mainUser.name');
    expectRefused(await app.gql(`{ run(id: "a\\u0000") { id } }`), 400, 'BAD_USER_INPUT', 'id');
    expect(await rowTotal()).toBe(before);
  });
});

describe('operations and limits', () => {
  it('an operationName that names nothing is a 400 saying what the document defines', async () => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ runs { totalCount } }', operationName: 'Runs' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as GqlResponse;
    expect(body.errors![0].extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
    expect(body.errors![0].message).toMatch(/no operation named "Runs".*anonymous/);
    const several = await app.gql(`query A { runs { totalCount } } query B { runs { totalCount } }`);
    expectRefused(several, 400, 'OPERATION_RESOLUTION_FAILURE');
  });

  it('a query over the cost limit is a 400 naming first', async () => {
    const res = await app.gql(
      `query($n: Int) { products(first: $n) { nodes { reviews(first: 500) { nodes { id } } } } }`,
      {
        n: 500,
      },
    );
    expectRefused(res, 400, 'BAD_USER_INPUT', 'first');
    expect(res.errors![0].extensions?.cost).toBeGreaterThan(res.errors![0].extensions?.maxCost);
  });

  it('depth, alias and directive refusals say which limit was hit', async () => {
    const deep = `{ runs { nodes { products { nodes { reviews { nodes { user { reviews { nodes { product {
      reviews { nodes { user { name } } } } } } } } } } } } } }`;
    const depth = await app.gql(deep);
    expectRefused(depth, 400, 'QUERY_LIMIT_EXCEEDED');
    expect(depth.errors![0].extensions).toMatchObject({ limit: 'depth', max: 12 });
    expect(depth.errors![0].message).toMatch(/depth/);

    const aliases = await app.gql(
      `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: runs { totalCount }`).join(' ')} }`,
    );
    expectRefused(aliases, 400, 'QUERY_LIMIT_EXCEEDED');
    expect(aliases.errors![0].extensions).toMatchObject({ limit: 'aliases', max: 20 });

    const directives = await app.gql(`{ runs ${'@include(if: true) '.repeat(30)} { totalCount } }`);
    expectRefused(directives, 400, 'QUERY_LIMIT_EXCEEDED');
    expect(directives.errors![0].extensions).toMatchObject({ limit: 'directives' });
  });

  it('good variables still run', async () => {
    const res = await app.gql(`query Runs($n: Int) { runs(first: $n) { totalCount } }`, { n: 5 });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data?.runs.totalCount).toBeGreaterThan(0);
  });
});
