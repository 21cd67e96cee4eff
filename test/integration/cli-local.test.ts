import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/program';
import { Capture } from '../helpers/capture';
import { usingPostgres } from '../helpers/test-app';

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
  it('generates with --out, then lists the run from a second invocation', async () => {
    // The embedded database in a directory of its own (on the Postgres pass: DATABASE_URL).
    const env = { ...process.env, MOCKFORGE_DATA_DIR: path.join(dir, 'data') };
    const generated = await cli(
      [
        'generate',
        'A4',
        '--seed',
        '83',
        '--no-embeddings',
        '--out',
        path.join(dir, 'local/'),
        '--format',
        'sql',
      ],
      env,
    );
    expect(generated.status).toBe(0);
    const runId = field(generated.stdout, 'run')!;
    expect(fs.readFileSync(path.join(dir, 'local', `mockforge-run-${runId}.sql`), 'utf8')).toMatch(
      /^COMMIT;$/m,
    );
    const listed = await cli(['runs'], env);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(runId);
    if (!usingPostgres) expect(fs.existsSync(path.join(dir, 'data'))).toBe(true);
  });
});
