import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const GENERATE = `mutation($input: GenerateScenarioInput!) { generateScenario(input: $input) { id status } }`;

async function rowTotal(): Promise<number> {
  const [row] = await app.db.dataSource.query(
    `SELECT (SELECT count(*) FROM generation_runs) + (SELECT count(*) FROM products) + (SELECT count(*) FROM users)
          + (SELECT count(*) FROM transactions) + (SELECT count(*) FROM reviews) AS n`,
  );
  return Number(row.n);
}

const flags = {
  productWarmth: 'COLD',
  userWarmth: 'WARM',
  userPurchasedExact: false,
  userPurchasedSimilar: true,
  userReviewedExact: false,
  userReviewedSimilar: true,
};

// [case, input, field the error must name]
const cases: [string, Record<string, unknown>, string][] = [
  ['no scenario and no flags', {}, 'input.scenario'],
  ['CUSTOM is not a scenario to ask for', { scenario: 'CUSTOM' }, 'input.scenario'],
  ['flags matching no scenario', { ...flags, userReviewedExact: true }, 'input.scenario'],
  [
    'warm product with a cold user',
    { ...flags, productWarmth: 'WARM', userWarmth: 'COLD' },
    'input.scenario',
  ],
  ['incomplete flags', { productWarmth: 'COLD', userPurchasedExact: true }, 'input.userWarmth'],
  ['scenario contradicting the flags', { ...flags, scenario: 'A1' }, 'input.scenario'],
  [
    'spread not summing to 100',
    { scenario: 'A1', sentimentSpread: { good: 60, neutral: 30, bad: 20 } },
    'input.sentimentSpread',
  ],
  [
    'negative spread',
    { scenario: 'A1', sentimentSpread: { good: 110, neutral: 0, bad: -10 } },
    'input.sentimentSpread.good',
  ],
  ['age out of range', { scenario: 'A1', mainUser: { age: 150 } }, 'input.mainUser.age'],
  ['age zero', { scenario: 'A1', mainUser: { age: 0 } }, 'input.mainUser.age'],
  ['malformed email', { scenario: 'A1', mainUser: { email: 'not-an-email' } }, 'input.mainUser.email'],
  [
    'location without a state',
    { scenario: 'A1', mainUser: { location: 'Springfield' } },
    'input.mainUser.location',
  ],
  ['malformed zip', { scenario: 'A1', mainUser: { zip: '9410' } }, 'input.mainUser.zip'],
  ['zero price', { scenario: 'A1', mainProduct: { price: '0' } }, 'input.mainProduct.price'],
  ['negative price', { scenario: 'A1', mainProduct: { price: '-5.00' } }, 'input.mainProduct.price'],
  [
    'price with three decimals',
    { scenario: 'A1', mainProduct: { price: '9.999' } },
    'input.mainProduct.price',
  ],
  [
    'star rating above 5',
    { scenario: 'A1', mainProduct: { starRating: 5.5 } },
    'input.mainProduct.starRating',
  ],
  [
    'negative number of ratings',
    { scenario: 'A1', mainProduct: { numRatings: -1 } },
    'input.mainProduct.numRatings',
  ],
  ['malformed ASIN', { scenario: 'A1', mainProduct: { asin: 'b0123' } }, 'input.mainProduct.asin'],
  [
    'unknown category',
    { scenario: 'A1', mainProduct: { category: 'spaceships' } },
    'input.mainProduct.category',
  ],
  [
    'similar products beyond bounds',
    { scenario: 'A1', overrides: { similarProducts: 11 } },
    'input.overrides.similarProducts',
  ],
  [
    'too few similar products',
    { scenario: 'A1', overrides: { similarProducts: 4 } },
    'input.overrides.similarProducts',
  ],
  [
    'mock users beyond bounds',
    { scenario: 'A1', overrides: { mockUsers: 1_000_000 } },
    'input.overrides.mockUsers',
  ],
  [
    'range with max below min',
    { scenario: 'A1', overrides: { similarSilentPurchases: { min: 10, max: 5 } } },
    'input.overrides.similarSilentPurchases.max',
  ],
  [
    'a run larger than the cap',
    { scenario: 'A1', overrides: { mainProductReviews: 500000, reviewsPerSimilarProduct: 200000 } },
    'input.overrides',
  ],
  [
    'reviews for a cold product',
    { scenario: 'B1', overrides: { mainProductReviews: 10 } },
    'input.overrides.mainProductReviews',
  ],
  [
    'no reviews for a warm product',
    { scenario: 'A1', overrides: { mainProductReviews: 0 } },
    'input.overrides.mainProductReviews',
  ],
  [
    'similar purchases in a scenario without them',
    { scenario: 'C3', overrides: { mainUserSimilarPurchases: 2 } },
    'input.overrides.mainUserSimilarPurchases',
  ],
  [
    'more similar reviews than purchases',
    { scenario: 'A1', overrides: { mainUserSimilarReviews: 5 } },
    'input.overrides.mainUserSimilarReviews',
  ],
  [
    'empty review text',
    { scenario: 'A1', apiReviews: [{ title: 'Hm', text: '', stars: 4 }] },
    'input.apiReviews[0].text',
  ],
  [
    'blank review text',
    { scenario: 'A1', apiReviews: [{ title: 'Hm', text: '   ', stars: 4 }] },
    'input.apiReviews[0].text',
  ],
  [
    'review stars out of range',
    { scenario: 'A1', apiReviews: [{ title: 'Hm', text: 'ok', stars: 6 }] },
    'input.apiReviews[0].stars',
  ],
  [
    'client reviews for a cold product',
    { scenario: 'B1', apiReviews: [{ title: 'Hm', text: 'ok', stars: 4 }] },
    'input.apiReviews',
  ],
  [
    'client reviews exceeding a given spread',
    {
      scenario: 'A1',
      overrides: { mainProductReviews: 4 },
      sentimentSpread: { good: 60, neutral: 25, bad: 15 },
      apiReviews: Array(4).fill({ title: 'Bad', text: 'bad', stars: 1 }),
    },
    'input.apiReviews',
  ],
  ['unparseable asOf', { scenario: 'A1', asOf: 'yesterday-ish' }, 'input.asOf'],
  ['impossible asOf date', { scenario: 'A1', asOf: '2026-02-31' }, 'input.asOf'],
  ['asOf out of range', { scenario: 'A1', asOf: '1899-01-01' }, 'input.asOf'],
  ['negative seed', { scenario: 'A1', seed: -1 }, 'input.seed'],
];

describe('generateScenario refuses bad input with BAD_USER_INPUT naming the field, and writes nothing', () => {
  it.each(cases)('%s', async (_name, input, field) => {
    const before = await rowTotal();
    const res = await app.gql(GENERATE, { input });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.errors![0].message.length).toBeGreaterThan(10);
    expect(res.data?.generateScenario ?? null).toBeNull();
    expect(await rowTotal()).toBe(before);
    expect(app.maskedErrors).toEqual([]);
  });

  it('lists the valid combinations when flags match no scenario', async () => {
    const res = await app.gql(GENERATE, { input: { ...flags, userReviewedExact: true } });
    const message = res.errors![0].message;
    for (const id of ['A1', 'B2', 'C1', 'C4']) expect(message).toContain(`${id} = `);
  });

  it('reports every problem of an input at once', async () => {
    const res = await app.gql(GENERATE, { input: { scenario: 'A1', mainUser: { age: 200, email: 'x' } } });
    const fields = res.errors![0].extensions!.problems.map((p: any) => p.field).sort();
    expect(fields).toEqual(['input.mainUser.age', 'input.mainUser.email']);
  });
});
