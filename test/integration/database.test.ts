import { randomUUID } from 'node:crypto';
import { usingPostgres, startTestApp, type TestApp } from '../helpers/test-app';
import { seedFixture } from '../helpers/fixture';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('schema', () => {
  it('entities and migrations agree: the schema builder has nothing to change', async () => {
    const log = await app.db.dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has no pending migrations', async () => {
    expect(await app.db.dataSource.showMigrations()).toBe(false);
  });

  it('stores embeddings as pgvector where the server has it, as a checked real[] otherwise', async () => {
    const [{ available }] = await app.db.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available`,
    );
    expect(app.db.vectorStorage).toBe(available ? 'pgvector' : 'array');
    if (!usingPostgres) expect(app.db.vectorStorage).toBe('pgvector');
    const fx = await seedFixture(app.db, undefined, 7);
    const productId = '00000001-0000-4000-8000-000000000000';
    const literal =
      app.db.vectorStorage === 'pgvector'
        ? `'[${Array(1536).fill(0.5).join(',')}]'`
        : `array_fill(0.5::real, ARRAY[1536])`;
    await app.db.dataSource.query(
      `INSERT INTO product_embeddings (run_id, product_id, model, embedding) VALUES ($1, $2, 'test', ${literal})`,
      [fx.scenarioRunId, productId],
    );
    // Wrong dimension is refused by the column type (vector) or the CHECK (real[]).
    const short = app.db.vectorStorage === 'pgvector' ? `'[1,2,3]'` : `ARRAY[1,2,3]::real[]`;
    await expect(
      app.db.dataSource.query(
        `INSERT INTO product_embeddings (run_id, product_id, model, embedding) VALUES ($1, $2, 'test', ${short})`,
        [fx.scenarioRunId, '00000001-0000-4000-8000-000000000001'],
      ),
    ).rejects.toThrow();
    // Deleting the run cascades to its embeddings.
    await app.db.dataSource.query(`DELETE FROM generation_runs WHERE id = $1`, [fx.scenarioRunId]);
    const [{ n }] = await app.db.dataSource.query(
      `SELECT count(*)::int AS n FROM product_embeddings WHERE run_id = $1`,
      [fx.scenarioRunId],
    );
    expect(n).toBe(0);
  });
});

describe('constraints', () => {
  const run = randomUUID();
  beforeAll(async () => {
    await app.db.dataSource.query(
      `INSERT INTO generation_runs (id, kind, seed, as_of, status, input, generator_version)
       VALUES ($1, 'SCENARIO', 1, now(), 'RUNNING', '{}', 'test')`,
      [run],
    );
  });

  const product = (overrides: Record<string, string> = {}) => {
    const row = {
      asin: `'B000000001'`,
      role: `'MAIN'`,
      price: '10',
      star_rating: '4.5',
      num_ratings: '10',
      ...overrides,
    };
    return app.db.dataSource.query(
      `INSERT INTO products (run_id, id, asin, role, title, brand, description, category, price, star_rating,
         num_ratings, review_count, photos, product_url, is_mock)
       VALUES ($1, $2, ${row.asin}, ${row.role}, 't', 'b', 'd', 'c', ${row.price}, ${row.star_rating},
         ${row.num_ratings}, 0, '{}', 'u', false)`,
      [run, randomUUID()],
    );
  };

  it.each([
    ['a malformed ASIN', { asin: `'X123'` }],
    ['a lower-case ASIN', { asin: `'Babcdefghi'` }],
    ['an unknown role', { role: `'OTHER'` }],
    ['a negative price', { price: '-1' }],
    ['a star rating above 5', { star_rating: '5.5' }],
    ['negative ratings', { num_ratings: '-3' }],
  ])('the database refuses %s', async (_name, overrides) => {
    await expect(product(overrides)).rejects.toThrow();
  });

  it('refuses a duplicate ASIN in the same run and a reference into another run', async () => {
    await product({ asin: `'B00000000Z'` });
    await expect(product({ asin: `'B00000000Z'` })).rejects.toThrow();
    await expect(
      app.db.dataSource.query(
        `INSERT INTO reviews (run_id, id, product_id, user_id, title, text, stars, source, reviewed_at)
         VALUES ($1, $2, $3, $4, 't', 'x', 5, 'AGENT_GENERATED', now())`,
        [run, randomUUID(), randomUUID(), randomUUID()],
      ),
    ).rejects.toThrow();
  });
});

describe('embedded writes are serialised', () => {
  it('a reader never sees another caller’s uncommitted rows', async () => {
    const id = randomUUID();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const writer = app.db.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO generation_runs (id, kind, seed, as_of, status, input, generator_version)
         VALUES ($1, 'SCENARIO', 1, now(), 'RUNNING', '{}', 'test')`,
        [id],
      );
      await held;
      throw new Error('roll back');
    });
    // Give the writer time to insert, then read from outside the transaction.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reader = app.db.dataSource.query(`SELECT count(*)::int AS n FROM generation_runs WHERE id = $1`, [
      id,
    ]);
    setTimeout(release, 50);
    await expect(writer).rejects.toThrow('roll back');
    const [{ n }] = await reader;
    expect(n).toBe(0);
  });
});
