import type { GenerateScenarioInput } from '../../resolvers/types/generate-scenario.input';
import { createLlmServices } from '../../src/llm';
import { OfflineTextWriter } from '../../src/llm/offline-writer';
import {
  chunksGeneratedInThreads,
  closeGeneratorThreads,
  configureGeneratorThreads,
  THREADED_MIN_CHUNKS,
} from '../../src/pipeline/scenario/chunk-source';
import { createHash } from 'node:crypto';
import type { OrderChunk } from '../../generators/ecommerce/orders';
import { canonicalJson } from '../../src/canonical-json';
import { DiscardSink, generateScenarioRows } from '../../src/pipeline/scenario/scenario-pipeline';
import { resolveScenarioRequest } from '../../src/pipeline/scenario/scenario-request';
import { runScenario } from '../../src/runs/scenario-run';
import { storedRows } from '../helpers/stored-rows';
import { startTestApp, usingPostgres, type TestApp } from '../helpers/test-app';

/**
 * Large runs generate their order chunks in worker threads (MOCKFORGE_GENERATOR_THREADS). Chunks
 * are seeded on their own, so the rows — and the fingerprint — must be exactly those of the main
 * thread, whatever the number of threads.
 */

/** ~100k rows: about ten chunks. */
const LARGE = {
  scenario: 'A1',
  seed: 31,
  embeddings: false,
  overrides: {
    mockUsers: 4000,
    mainProductReviews: 30_000,
    reviewsPerSimilarProduct: 3000,
    mainProductSilentPurchases: { min: 1000, max: 1000 },
    similarSilentPurchases: { min: 6000, max: 6000 },
  },
};
/** ~20k order rows: four chunks, the fewest that are generated in threads (THREADED_MIN_CHUNKS). */
const SMALL = {
  ...LARGE,
  seed: 33,
  overrides: {
    mockUsers: 1500,
    mainProductReviews: 6000,
    reviewsPerSimilarProduct: 1500,
    mainProductSilentPurchases: { min: 1000, max: 1000 },
    similarSilentPurchases: { min: 1500, max: 1500 },
  },
};

/**
 * The stored-rows comparison: 100k rows on Postgres; on the embedded database (one in-process
 * session, far slower to write) the small input, still generated in threads.
 */
const STORED = usingPostgres ? LARGE : SMALL;

const request = (input: object) =>
  resolveScenarioRequest(
    { ...input, asOf: new Date('2026-11-01T00:00:00Z') } as unknown as GenerateScenarioInput,
    new Date(),
  );

const RUN_ID = '00000000-0000-4000-8000-000000000031';

/** Keeps nothing but a hash of every order row in the order they arrive. */
class HashingSink extends DiscardSink {
  private readonly hash = createHash('sha256');
  override async orders(chunk: OrderChunk): Promise<void> {
    await super.orders(chunk);
    for (const row of [...chunk.transactions, ...chunk.reviews]) this.hash.update(`${canonicalJson(row)}\n`);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

async function generated(threads: number) {
  configureGeneratorThreads(threads);
  try {
    const writer = new OfflineTextWriter();
    const before = chunksGeneratedInThreads();
    const sink = new HashingSink();
    const outcome = await generateScenarioRows(writer, request(SMALL), RUN_ID, sink);
    return {
      ...outcome,
      rows: sink.digest(),
      texts: writer.report().offlineTexts,
      threadChunks: chunksGeneratedInThreads() - before,
    };
  } finally {
    await closeGeneratorThreads();
  }
}

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ MOCKFORGE_GENERATOR_THREADS: '0' });
});
afterAll(async () => {
  await app?.close();
});

describe('generator threads', () => {
  it('give the rows, row counts and text report of the main thread with 1 and 3 threads', async () => {
    const main = await generated(0);
    expect(main.rowCounts.transactions! + main.rowCounts.reviews!).toBeGreaterThan(15_000);
    expect(main.threadChunks).toBe(0);
    for (const threads of [1, 3]) {
      const threaded = await generated(threads);
      expect(threaded.threadChunks).toBeGreaterThanOrEqual(THREADED_MIN_CHUNKS);
      expect(threaded.rows).toBe(main.rows);
      expect(threaded.rowCounts).toEqual(main.rowCounts);
      expect(threaded.texts).toBe(main.texts);
    }
  });

  it('store a large run row for row as the main thread does', async () => {
    const input = STORED;
    const llm = createLlmServices(app.config.llm);
    const single = await runScenario({ db: app.db, llm }, request(input));
    expect(single!.rowCounts.transactions! + single!.rowCounts.reviews!).toBeGreaterThan(
      usingPostgres ? 90_000 : 15_000,
    );
    configureGeneratorThreads(2);
    const before = chunksGeneratedInThreads();
    let threaded;
    try {
      threaded = await runScenario({ db: app.db, llm }, request(input));
    } finally {
      await closeGeneratorThreads();
    }
    expect(chunksGeneratedInThreads() - before).toBeGreaterThanOrEqual(
      usingPostgres ? 10 : THREADED_MIN_CHUNKS,
    );
    expect(single).toMatchObject({ status: 'SUCCEEDED' });
    expect(threaded).toMatchObject({ status: 'SUCCEEDED', fingerprint: single!.fingerprint });
    for (const table of ['transactions', 'reviews', 'users']) {
      const rows = await storedRows(app.db, table, single!.id);
      expect(rows).not.toMatch(/^0:/);
      expect(await storedRows(app.db, table, threaded!.id)).toBe(rows);
    }
  });
});
