import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';

/**
 * Every ```graphql block of README.md and of docs/*.md runs as pasted: one operation per block, its variables (if
 * any) in a ```json block right after it — `"<id from Name>"` stands for the id the mutation named
 * Name returned — and an answer with data in every list. Mutations run first (they make the runs
 * the queries read), then queries and subscriptions (over graphql-ws), in README order — against
 * the real server with the LLM path on (a fake OpenAI server), so cost examples have costs to show.
 */
interface Block {
  /** file:line of the block, e.g. docs/api.md:40 */
  at: string;
  query: string;
  variables?: Record<string, unknown>;
  operation: OperationDefinitionNode;
}

const ROOT = path.resolve(__dirname, '../..');
const FILES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

function readmeBlocks(file: string): Block[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const blocks: Block[] = [];
  const fence = /```graphql\n([\s\S]*?)```(?:\s*```json\n([\s\S]*?)```)?/g;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    const operations = parse(m[1]).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (operations.length !== 1)
      throw new Error(`${file}:${line}: one operation per block (${operations.length})`);
    blocks.push({
      at: `${file}:${line}`,
      query: m[1],
      variables: m[2] ? JSON.parse(m[2]) : undefined,
      operation: operations[0],
    });
  }
  return blocks;
}

/** Paths of lists that came back empty (a README example must show data). */
function emptyLists(value: unknown, at = 'data'): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [at];
    return value.flatMap((item, i) => emptyLists(item, `${at}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      // An estimate's warnings list is meant to be empty for known models.
      key === 'warnings' ? [] : emptyLists(item, `${at}.${key}`),
    );
  }
  return [];
}

const blocks = FILES.flatMap(readmeBlocks);
const ordered = [
  ...blocks.filter((b) => b.operation.operation === 'mutation'),
  ...blocks.filter((b) => b.operation.operation !== 'mutation'),
];

let fake: FakeOpenAi;
let app: TestApp;
let cacheDir: string;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-readme-cache-'));
  app = await startTestApp({
    OPENAI_API_KEY: 'sk-readme',
    OPENAI_BASE_URL: fake.baseUrl,
    MOCKFORGE_CACHE_DIR: cacheDir,
  });
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

it('README.md and docs/ have GraphQL examples for generating and for reading', () => {
  expect(blocks.filter((b) => b.at.startsWith('README.md')).length).toBeGreaterThanOrEqual(3);
  expect(blocks.filter((b) => b.operation.operation === 'mutation').length).toBeGreaterThanOrEqual(3);
  expect(blocks.filter((b) => b.operation.operation === 'query').length).toBeGreaterThanOrEqual(6);
});

/** Ids returned by named mutations, for `"<id from Name>"` in later variables. */
const returnedIds = new Map<string, string>();

function withIds(variables: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!variables) return undefined;
  return JSON.parse(
    JSON.stringify(variables).replace(/"<id from (\w+)>"/g, (_, name: string) =>
      JSON.stringify(returnedIds.get(name)),
    ),
  );
}

/** Runs a subscription to its end over graphql-ws; the last event is its answer. */
async function subscribe(query: string, variables?: Record<string, unknown>) {
  const client = createClient({ url: app.url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true });
  const events: { data?: Record<string, any> | null; errors?: readonly unknown[] }[] = [];
  await new Promise<void>((resolve, reject) =>
    client.subscribe(
      { query, variables },
      { next: (e) => void events.push(e), error: reject, complete: resolve },
    ),
  );
  await client.dispose();
  const last = events[events.length - 1] ?? {};
  return { status: 200, data: last.data ?? undefined, errors: events.flatMap((e) => e.errors ?? []) };
}

it.each(ordered.map((b) => [`${b.at} ${b.operation.name?.value ?? b.operation.operation}`, b] as const))(
  '%s runs as pasted and shows data',
  async (_name, block) => {
    const variables = withIds(block.variables);
    const res =
      block.operation.operation === 'subscription'
        ? await subscribe(block.query, variables)
        : await app.gql(block.query, variables);
    expect(res.errors ?? []).toEqual([]);
    expect(res.status).toBe(200);
    expect(res.data).toBeTruthy();
    for (const [field, value] of Object.entries(res.data!)) {
      expect([field, value]).not.toEqual([field, null]);
      // A run is fine finished or on its way (wait: false), never failed.
      if (value && typeof value === 'object' && 'status' in value) {
        expect(['SUCCEEDED', 'QUEUED', 'RUNNING']).toContain((value as { status: string }).status);
      }
      if (value && typeof value === 'object' && 'id' in value && block.operation.name) {
        returnedIds.set(block.operation.name.value, (value as { id: string }).id);
      }
    }
    expect(emptyLists(res.data)).toEqual([]);
  },
);
