import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/program';
import { Capture } from '../helpers/capture';
import { usingPostgres } from '../helpers/test-app';
import { startFakeOpenAi } from '../helpers/fake-openai';

/**
 * The CLI without --url: it starts the service on this machine's database in its own process
 * (here the test's), so this file starts no other service (the embedded database is one per process).
 */
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-cli-local-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const field = (text: string, name: string) => new RegExp(`^${name}\\s+(\\S+)`, 'm').exec(text)?.[1];

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = new Capture();
  const stderr = new Capture();
  const status = await runCli(args, { stdout, stderr }, env);
  return { status, stdout: stdout.text, stderr: stderr.text };
}

describe('on its own database (no --url)', () => {
  it('generate --out, import that file, delete the copy, list: each invocation on the same database', async () => {
    // The embedded database in a directory of its own (on the Postgres pass: DATABASE_URL).
    const env = { ...process.env, MOCKFORGE_DATA_DIR: path.join(dir, 'data') };
    const file = path.join(dir, 'b1.ndjson');
    const generated = await cli(['generate', 'B1', '--seed', '84', '--no-embeddings', '--out', file], env);
    expect(generated.status).toBe(0);
    const runId = field(generated.stdout, 'run')!;
    expect(JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0])).toMatchObject({
      table: 'run',
      id: runId,
    });
    if (!usingPostgres) expect(fs.existsSync(path.join(dir, 'data'))).toBe(true);

    const imported = await cli(['import', file], env);
    expect(imported.status).toBe(0);
    expect(field(imported.stdout, 'fingerprint')).toBe(field(generated.stdout, 'fingerprint'));
    const copyId = /imported run (\S+)/.exec(imported.stdout)![1];
    expect((await cli(['delete', copyId], env)).status).toBe(0);
    const listed = await cli(['runs'], env);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(runId);
    expect(listed.stdout).not.toContain(copyId);
  });

  it('--llm writes text with the model (a local OpenAI-compatible server) and prints the cost', async () => {
    const fake = await startFakeOpenAi();
    try {
      const env = {
        ...process.env,
        MOCKFORGE_DATA_DIR: path.join(dir, 'data'),
        MOCKFORGE_CACHE_DIR: path.join(dir, 'cache'),
        OPENAI_API_KEY: 'sk-test-cli-1234567890',
        OPENAI_BASE_URL: fake.baseUrl,
      };
      const res = await cli(['generate', 'C3', '--seed', '85', '--llm', '--no-embeddings'], env);
      expect(res.status).toBe(0);
      expect(res.stdout).toMatch(/^text\s+OPENAI: [1-9]\d* from the LLM/m);
      expect(res.stdout).toMatch(/^cost\s+\$0\.\d*[1-9]/m);
      expect(fake.stats.chatCalls).toBeGreaterThan(0);
      // Without --llm the same machine stays offline, key or not.
      const offline = await cli(['generate', 'C3', '--seed', '85', '--no-embeddings'], env);
      expect(offline.stdout).toMatch(/^text\s+OFFLINE/m);
      // And --llm without a key is bad usage.
      const { OPENAI_API_KEY: _key, ...keyless } = env;
      const refused = await cli(['generate', 'C3', '--llm'], keyless);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('--llm needs OPENAI_API_KEY');
    } finally {
      await fake.close();
    }
  });
});
