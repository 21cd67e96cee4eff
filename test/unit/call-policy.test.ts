import OpenAI from 'openai';
import { backoffMs, createCallPolicy } from '../../src/llm/call-policy';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';

/**
 * The retry policy, driven through the real `openai` client against the fake OpenAI server: one
 * call at a time, so the gaps between the server's requests are the policy's waits.
 */
let fake: FakeOpenAi;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  client = new OpenAI({ apiKey: 'test-key', baseURL: fake.baseUrl, maxRetries: 0 });
});
afterAll(() => fake?.close());
beforeEach(() => fake.reset());

const embed = () =>
  createCallPolicy({ concurrency: 1, maxRetries: 3, breakerFailures: 5 }).embeddings.execute(() =>
    client.embeddings.create({ model: 'text-embedding-3-small', input: ['a tent'] }),
  );

const gaps = () => fake.requests.slice(1).map((r, i) => r.at - fake.requests[i].at);

it('a 5xx without Retry-After backs off 0.5 s, 1 s, 2 s (±20 %)', async () => {
  fake.fail({ kind: 'status', status: 500, times: 3 }, 'embeddings');
  const answer = await embed();
  expect(answer.data).toHaveLength(1);
  expect(fake.requests).toHaveLength(4);
  const [first, second, third] = gaps();
  expect(first).toBeGreaterThanOrEqual(400);
  expect(second).toBeGreaterThanOrEqual(800);
  expect(third).toBeGreaterThanOrEqual(1600);
});

it('a Retry-After the server sends is honoured instead', async () => {
  fake.fail({ kind: 'status', status: 429, times: 1, retryAfterSeconds: 0 }, 'embeddings');
  await embed();
  expect(fake.requests).toHaveLength(2);
  expect(gaps()[0]).toBeLessThan(400);
});

it('the waits double up to 8 s, with jitter', () => {
  expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, () => 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  expect(backoffMs(1, () => 0)).toBe(400);
  expect(backoffMs(1, () => 0.999999)).toBeCloseTo(600, 0);
});
