import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../helpers/test-app';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

/**
 * The consumer kit end to end: codegen over the committed schema.graphql, a strict compile of the
 * example client, and the client run against a real server, checking every answer it gets.
 */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ MOCKFORGE_API_KEYS: 'example-operator-key-0123:operator' });
});
afterAll(() => app?.close());

it('generates, compiles with --strict and runs the typed example client', async () => {
  await run(bin('graphql-codegen'), ['--config', 'codegen.ts', '--silent'], { cwd: root });
  await run(bin('tsc'), ['-p', 'examples/client/tsconfig.json'], { cwd: root });
  const { stdout } = await run(
    process.execPath,
    [path.join(root, 'examples/client/dist/main.js'), app.url, 'example-operator-key-0123'],
    { cwd: root },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result).toMatchObject({ ok: true, failures: [], products: 3, agents: 4 });
  expect(result.reviewsPaged).toBeGreaterThan(100);
  // The runs it made are really there.
  const [{ n }] = await app.db.dataSource.query(
    `SELECT count(*)::int AS n FROM generation_runs WHERE id IN ($1, $2) AND status = 'SUCCEEDED'`,
    [result.scenarioRunId, result.dashboardRunId],
  );
  expect(n).toBe(2);
});
