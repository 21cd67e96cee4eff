import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { until } from '../helpers/until';
import { nonEmpty } from '../helpers/non-empty';

/**
 * Runs as jobs, through whichever queue the suite runs on (in-process on the embedded database,
 * BullMQ's PostgreSQL backend on Postgres, BullMQ on Redis when CI sets REDIS_URL).
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const GENERATE = `mutation($input: GenerateScenarioInput!, $wait: Boolean!) {
  generateScenario(input: $input, wait: $wait) { id status fingerprint error attempts rowCounts { transactions reviews }
    progress { phase rowsDone rowsTotal percent etaMs } } }`;
const RUN = `query($id: ID!) { run(id: $id) { id status error fingerprint
  progress { phase rowsDone rowsTotal percent etaMs } rowCounts { products transactions reviews } } }`;

/**
 * A run big enough to watch and to cancel: ~32k rows, over ONE_TRANSACTION_MAX_ROWS (25,000), so
 * it is written in many short transactions, chunk by chunk.
 */
const LARGE = {
  scenario: 'A1',
  seed: 3,
  asOf: '2026-11-01',
  embeddings: false,
  overrides: {
    mockUsers: 1000,
    mainProductReviews: 6000,
    reviewsPerSimilarProduct: 1000,
    mainProductSilentPurchases: { min: 1000, max: 1000 },
    similarSilentPurchases: { min: 1500, max: 1500 },
  },
};

async function generate(input: Record<string, unknown>, wait: boolean) {
  const res = await app.gql(GENERATE, { input, wait });
  expectNoErrors(res);
  return res.data!.generateScenario;
}

async function run(id: string) {
  const res = await app.gql(RUN, { id });
  expectNoErrors(res);
  return res.data!.run;
}

const rowsOf = async (runId: string) => {
  const [row] = await app.db.dataSource.query(
    `SELECT (SELECT count(*) FROM products WHERE run_id = $1) + (SELECT count(*) FROM users WHERE run_id = $1)
          + (SELECT count(*) FROM transactions WHERE run_id = $1) AS n`,
    [runId],
  );
  return Number(row.n);
};

describe('wait', () => {
  it('wait: true answers with the finished run; wait: false at once, and the run finishes the same', async () => {
    const input = { scenario: 'C2', seed: 11, asOf: '2026-11-01' };
    const waited = await generate(input, true);
    expect(waited).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
      progress: { phase: 'done', percent: 100 },
    });
    const queued = await generate(input, false);
    expect(['QUEUED', 'RUNNING']).toContain(queued.status);
    const finished = await until(
      () => run(queued.id),
      (r) => r.status === 'SUCCEEDED',
    );
    expect(finished.fingerprint).toBe(waited.fingerprint);
  });
});

describe('progress', () => {
  it('is written as chunks go, and reads keep being answered during a large run', async () => {
    const started = await generate(LARGE, false);
    const seen: number[] = [];
    const latencies: number[] = [];
    const finished = await until(
      async () => {
        const t = Date.now();
        const r = await run(started.id);
        latencies.push(Date.now() - t);
        if (r.progress) seen.push(r.progress.rowsDone);
        // Rows of an unfinished run are never visible: rows seen mean the run had succeeded.
        const visible = await app.gql(`query($id: ID!) { products(filter: { runId: $id }) { totalCount } }`, {
          id: started.id,
        });
        if (visible.data!.products.totalCount > 0) expect((await run(started.id)).status).toBe('SUCCEEDED');
        return r;
      },
      (r) => ['SUCCEEDED', 'FAILED'].includes(r.status),
      120_000,
    );
    expect(finished.status).toBe('SUCCEEDED');
    expect(finished.progress).toMatchObject({ phase: 'done', percent: 100, etaMs: 0 });
    const partial = seen.filter((n) => n > 0 && n < finished.progress.rowsTotal);
    expect(partial.length).toBeGreaterThan(0);
    expect([...partial].sort((a, b) => a - b)).toEqual(partial);
    expect(latencies.length).toBeGreaterThan(3);
  });
});

describe('the runProgress subscription', () => {
  it('streams the run as it changes over graphql-ws and ends when it has finished', async () => {
    const started = await generate({ ...LARGE, seed: 4 }, false);
    const client = createClient({ url: app.url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true });
    const events: any[] = [];
    await new Promise<void>((resolve, reject) => {
      client.subscribe(
        {
          query: `subscription($id: ID!) { runProgress(id: $id) { id status progress { phase rowsDone percent } } }`,
          variables: { id: started.id },
        },
        { next: (value) => events.push(value), error: reject, complete: resolve },
      );
    });
    await client.dispose();
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(nonEmpty(events).every((e) => !e.errors)).toBe(true);
    expect(events[events.length - 1].data.runProgress).toMatchObject({
      status: 'SUCCEEDED',
      progress: { phase: 'done', percent: 100 },
    });
    const percents = events.map((e) => e.data.runProgress.progress?.percent ?? 0);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
  });

  it('refuses an unknown run', async () => {
    const client = createClient({ url: app.url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true });
    const errors = await new Promise<readonly any[]>((resolve) => {
      client.subscribe(
        { query: `subscription { runProgress(id: "00000000-0000-4000-8000-00000000dead") { id } }` },
        {
          next: (value) => resolve(value.errors ?? []),
          error: (e) => resolve(Array.isArray(e) ? e : [e]),
          complete: () => resolve([]),
        },
      );
    });
    await client.dispose();
    expect(errors[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('cancel and delete', () => {
  const CANCEL = `mutation($id: ID!) { cancelRun(id: $id) { id status error } }`;

  it('a running run stops, ends CANCELLED and keeps no rows', async () => {
    const started = await generate({ ...LARGE, seed: 5 }, false);
    await until(
      () => run(started.id),
      (r) => r.status === 'RUNNING' && r.progress?.rowsDone > 0,
    );
    const res = await app.gql(CANCEL, { id: started.id });
    expectNoErrors(res);
    expect(res.data!.cancelRun).toMatchObject({ status: 'CANCELLED' });
    expect(await rowsOf(started.id)).toBe(0);
  });

  it('a queued run never starts', async () => {
    const first = await generate({ ...LARGE, seed: 6 }, false);
    const second = await generate({ ...LARGE, seed: 7 }, false);
    const res = await app.gql(CANCEL, { id: second.id });
    expectNoErrors(res);
    expect(res.data!.cancelRun.status).toBe('CANCELLED');
    await app.gql(CANCEL, { id: first.id });
    const after = await run(second.id);
    expect(after.status).toBe('CANCELLED');
    expect(await rowsOf(second.id)).toBe(0);
  });

  it('a finished or unknown run cannot be cancelled', async () => {
    const done = await generate({ scenario: 'C3', seed: 1, asOf: '2026-11-01' }, true);
    const finished = await app.gql(CANCEL, { id: done.id });
    expect(finished.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'id' });
    const unknown = await app.gql(CANCEL, { id: '00000000-0000-4000-8000-00000000beef' });
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect((await run(done.id)).status).toBe('SUCCEEDED');
  });

  it('deleting a run while it generates cancels it: the waiting caller gets CANCELLED, never SUCCEEDED', async () => {
    const waiting = app.gql(GENERATE, { input: { ...LARGE, seed: 8 }, wait: true });
    const [{ id }] = await until(
      () => app.db.dataSource.query(`SELECT id FROM generation_runs WHERE status = 'RUNNING' AND seed = 8`),
      (rows: any[]) => rows.length > 0,
    );
    const deleted = await app.gql(`mutation($id: ID!) { deleteRun(id: $id) { id } }`, { id });
    expectNoErrors(deleted);
    const res = await waiting;
    expectNoErrors(res);
    expect(res.data!.generateScenario.status).toBe('CANCELLED');
    expect(await rowsOf(id)).toBe(0);
    const gone = await app.gql(RUN, { id });
    expect(gone.errors![0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('idempotency keys', () => {
  it('the same key with the same input returns the same run; another input is refused', async () => {
    const input = { scenario: 'B2', seed: 21, asOf: '2026-11-01', idempotencyKey: 'order-7f3a-retry' };
    const first = await generate(input, true);
    const again = await generate(input, true);
    expect(again.id).toBe(first.id);
    const queuedAgain = await generate(input, false);
    expect(queuedAgain.id).toBe(first.id);
    const [{ n }] = await app.db.dataSource.query(
      `SELECT count(*)::int AS n FROM generation_runs WHERE seed = 21`,
    );
    expect(n).toBe(1);
    const other = await app.gql(GENERATE, { input: { ...input, seed: 22 }, wait: true });
    expect(other.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.idempotencyKey',
    });
  });

  it.each([
    ['empty', ''],
    ['with spaces', 'my key'],
    ['too long', 'k'.repeat(129)],
  ])('a key %s is BAD_USER_INPUT', async (_name, key) => {
    const res = await app.gql(GENERATE, { input: { scenario: 'C2', idempotencyKey: key }, wait: true });
    expect(res.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.idempotencyKey',
    });
  });
});
