import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());
afterEach(() => expect(app.maskedErrors).toEqual([]));

const sql = (text: string, params: unknown[] = []) => app.db.dataSource.query(text, params);

async function generate(input: Record<string, unknown>) {
  const res = await app.gql(
    `mutation($input: GenerateScenarioInput!) { generateScenario(input: $input) { id status rowCounts { products users reviews } contract { name expected actual passed } } }`,
    { input },
  );
  expectNoErrors(res);
  return res.data!.generateScenario;
}

/** Sum of squares of a stored embedding, whatever its storage. */
const normSql = (table: string) =>
  app.db.vectorStorage === 'pgvector'
    ? `SELECT (SELECT sum(x * x) FROM unnest(embedding::real[]) AS t(x))::float8 AS n FROM ${table} WHERE run_id = $1`
    : `SELECT (SELECT sum(x * x) FROM unnest(embedding) AS t(x))::float8 AS n FROM ${table} WHERE run_id = $1`;

describe('embeddings (offline)', () => {
  let run: any;
  beforeAll(async () => {
    run = await generate({
      scenario: 'A1',
      asOf: '2026-11-01',
      mainProduct: { title: 'Logitech M720 Wireless Mouse', price: '39.99' },
    });
  });

  it('every product, user and review has a 1536-d unit vector', async () => {
    expect(run.status).toBe('SUCCEEDED');
    expect(run.contract.find((c: any) => c.name === 'embeddings.coverage')).toMatchObject({ passed: true });
    for (const [table, count] of [
      ['product_embeddings', run.rowCounts.products],
      ['user_embeddings', run.rowCounts.users],
      ['review_embeddings', run.rowCounts.reviews],
    ] as const) {
      const norms = await sql(normSql(table), [run.id]);
      expect(norms).toHaveLength(count);
      for (const { n } of norms) expect(n).toBeCloseTo(1, 3);
    }
    const [{ model }] = await sql(`SELECT DISTINCT model FROM review_embeddings WHERE run_id = $1`, [run.id]);
    expect(model).toBe('offline-feature-hash-1536');
  });

  it('similarProducts ranks the main product’s similar products above diverse ones', async () => {
    const [main] = await sql(`SELECT id FROM products WHERE run_id = $1 AND role = 'MAIN'`, [run.id]);
    const res = await app.gql(
      `query($r: ID!, $p: ID!) { similarProducts(runId: $r, productId: $p, first: 7) { score product { role category } } }`,
      { r: run.id, p: main.id },
    );
    expectNoErrors(res);
    const list = res.data!.similarProducts;
    expect(list).toHaveLength(7);
    const scores = list.map((s: any) => s.score);
    expect([...scores].sort((a: number, b: number) => b - a)).toEqual(scores);
    const top5 = list.slice(0, 5).filter((s: any) => s.product.role === 'SIMILAR').length;
    expect(top5).toBeGreaterThanOrEqual(4);
  });

  it('Product.similar is batched: one statement for a whole page of products', async () => {
    const query = `query($r: ID!) { products(first: 8, filter: { runId: $r }) { nodes { asin similar(first: 3) { score product { asin } } } } }`;
    const { result, statements } = await app.statements.measure(() => app.gql(query, { r: run.id }));
    expectNoErrors(result);
    expect(statements).toBe(2);
    for (const p of result.data!.products.nodes) {
      expect(p.similar).toHaveLength(3);
      expect(p.similar.map((s: any) => s.product.asin)).not.toContain(p.asin);
    }
  });

  it('can be turned off', async () => {
    const off = await generate({ scenario: 'C2', asOf: '2026-11-01', embeddings: false });
    expect(off.status).toBe('SUCCEEDED');
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM review_embeddings WHERE run_id = $1`, [off.id]);
    expect(n).toBe(0);
    expect(off.contract.find((c: any) => c.name === 'embeddings.coverage')).toBeUndefined();
  });
});
