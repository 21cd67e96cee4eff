import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/program';
import { expectNoErrors, startTestApp, type TestApp } from '../helpers/test-app';
import { Capture } from '../helpers/capture';

/** The `mockforge` CLI, run in this process on real streams: against a server (--url) and on its own database. */
let app: TestApp;
let dir: string;

beforeAll(async () => {
  app = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-cli-'));
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI; its exit status and what it printed. */
async function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const stdout = new Capture();
  const stderr = new Capture();
  const status = await runCli(args, { stdout, stderr }, env);
  return { status, stdout: stdout.text, stderr: stderr.text };
}

const server = () => ['--url', app.url];
const field = (text: string, name: string) => new RegExp(`^${name}\\s+(\\S+)`, 'm').exec(text)?.[1];

describe('against a running server (--url)', () => {
  it('generate → export → import → show → runs → delete, with the same fingerprint throughout', async () => {
    const generated = await cli([
      ...server(),
      'generate',
      'c2',
      '--seed',
      '81',
      '--as-of',
      '2026-11-01',
      '--no-embeddings',
    ]);
    expect(generated.status).toBe(0);
    const runId = field(generated.stdout, 'run')!;
    const fingerprint = field(generated.stdout, 'fingerprint')!;
    expect(generated.stdout).toMatch(/^contract\s+(\d+)\/\1 checks passed$/m);
    // Progress went to stderr as plain lines (not a terminal).
    expect(generated.stderr).toContain(`run ${runId} started`);
    const api = await app.gql(`query($id: ID!) { run(id: $id) { fingerprint status scenarioId } }`, {
      id: runId,
    });
    expectNoErrors(api);
    expect(api.data!.run).toEqual({ fingerprint, status: 'SUCCEEDED', scenarioId: 'C2' });

    const exported = await cli([...server(), 'export', runId, '--format', 'ndjson', '--out', `${dir}/`]);
    expect(exported.status).toBe(0);
    const file = path.join(dir, `mockforge-run-${runId}.ndjson`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0])).toMatchObject({
      table: 'run',
      id: runId,
    });

    const imported = await cli([...server(), 'import', file]);
    expect(imported.status).toBe(0);
    const copyId = /imported run (\S+)/.exec(imported.stdout)![1];
    expect(field(imported.stdout, 'fingerprint')).toBe(fingerprint);

    const shown = await cli([...server(), 'show', copyId]);
    expect(shown.status).toBe(0);
    expect(field(shown.stdout, 'fingerprint')).toBe(fingerprint);
    expect(field(shown.stdout, 'status')).toBe('SUCCEEDED');

    const listed = await cli([...server(), 'runs', '--kind', 'SCENARIO', '--status', 'SUCCEEDED']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(runId);
    expect(listed.stdout).toContain(copyId);

    const deleted = await cli([...server(), 'delete', copyId]);
    expect(deleted.status).toBe(0);
    const gone = await cli([...server(), 'show', copyId]);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toContain('not found');
  });

  it('estimate prints the cost per phase and the model comparison', async () => {
    const res = await cli([...server(), 'estimate', 'A1', '--seed', '3']);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^phase\s+kind\s+model/m);
    for (const phase of ['products', 'users', 'reviews', 'embeddings', 'total'])
      expect(res.stdout).toMatch(new RegExp(`^${phase}\\s`, 'm'));
    expect(res.stdout).toContain('The same calls with other chat models');
  });

  it('a dashboard, exported as parquet straight after', async () => {
    const res = await cli([
      ...server(),
      'generate',
      'dashboard',
      '--as-of',
      '2026-11-01',
      '--out',
      path.join(dir, 'dash.zip'),
      '--format',
      'parquet',
    ]);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^kind\s+DASHBOARD/m);
    expect(fs.readFileSync(path.join(dir, 'dash.zip')).subarray(0, 2).toString()).toBe('PK');
  });

  it('a run that fails exits 1 with its reason', async () => {
    await app.db.dataSource.query(
      `ALTER TABLE members ADD CONSTRAINT cli_test_refuses CHECK (false) NOT VALID`,
    );
    let res;
    try {
      res = await cli([...server(), 'generate', 'B4', '--seed', '82', '--no-embeddings']);
    } finally {
      await app.db.dataSource.query(`ALTER TABLE members DROP CONSTRAINT cli_test_refuses`);
    }
    expect(res.status).toBe(1);
    expect(field(res.stdout, 'status')).toBe('FAILED');
    expect(res.stdout).toContain('cli_test_refuses');
  });
});

describe('bad usage exits 2 with the usage line, before anything runs', () => {
  const runCount = async () =>
    (await app.db.dataSource.query(`SELECT count(*)::int AS n FROM generation_runs`))[0].n;

  it.each([
    [['generate', 'Z9'], /is invalid for argument 'scenario'/],
    [['generate', 'A1', '--seed', 'x'], /--seed <n>' argument 'x' is invalid\. not an integer/],
    [['generate', 'A1', '--overrides', '/nonexistent.json'], /cannot read \/nonexistent\.json/],
    [['generate', 'A1', '--format', 'xlsx'], /argument 'xlsx' is invalid/],
    [['export', 'some-run'], /required option '--out <path>' not specified/],
    [['import', '/nonexistent.ndjson'], /no such file/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['estimate', 'dashboard'], /no LLM calls to estimate/],
  ])('%j', async (args, message) => {
    const before = await runCount();
    const res = await cli([...server(), ...(args as string[])]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(message as RegExp);
    expect(res.stderr).toMatch(/^Usage: mockforge /m);
    expect(await runCount()).toBe(before);
  });

  it('an input the API refuses: the same BAD_USER_INPUT message, exit 2, nothing runs', async () => {
    const overrides = path.join(dir, 'overrides.json');
    fs.writeFileSync(overrides, JSON.stringify({ similarProducts: -3 }));
    const api = await app.gql(
      `mutation { generateScenario(input: { scenario: A1, overrides: { similarProducts: -3 } }) { id } }`,
    );
    expect(api.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const before = await runCount();
    const res = await cli([...server(), 'generate', 'A1', '--overrides', overrides]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(`error: ${api.errors![0].message}`);
    expect(res.stderr).toMatch(/^Usage: mockforge generate \[options\] <scenario>$/m);
    expect(await runCount()).toBe(before);
  });
});
