import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';

/**
 * Every ```graphql block of README.md runs as pasted: one operation per block, its variables (if
 * any) in a ```json block right after it, and an answer with data in every list. Mutations run
 * first (they make the runs the queries read), then the queries, in README order — against the
 * real server with the LLM path on (a fake OpenAI server), so cost examples have costs to show.
 */
interface Block {
  line: number;
  query: string;
  variables?: Record<string, unknown>;
  operation: OperationDefinitionNode;
}

function readmeBlocks(): Block[] {
  const text = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const blocks: Block[] = [];
  const fence = /```graphql\n([\s\S]*?)```(?:\s*```json\n([\s\S]*?)```)?/g;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    const operations = parse(m[1]).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    if (operations.length !== 1)
      throw new Error(`README.md:${line}: one operation per block (${operations.length})`);
    blocks.push({
      line,
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

const blocks = readmeBlocks();
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

it('README.md has GraphQL examples for generating and for reading', () => {
  expect(blocks.filter((b) => b.operation.operation === 'mutation').length).toBeGreaterThanOrEqual(3);
  expect(blocks.filter((b) => b.operation.operation === 'query').length).toBeGreaterThanOrEqual(6);
});

it.each(
  ordered.map((b) => [`README.md:${b.line} ${b.operation.name?.value ?? b.operation.operation}`, b] as const),
)('%s runs as pasted and shows data', async (_name, block) => {
  const res = await app.gql(block.query, block.variables);
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  expect(res.data).toBeTruthy();
  for (const [field, value] of Object.entries(res.data!)) {
    expect([field, value]).not.toEqual([field, null]);
    if (value && typeof value === 'object' && 'status' in value)
      expect([field, value.status]).toEqual([field, 'SUCCEEDED']);
  }
  expect(emptyLists(res.data)).toEqual([]);
});
