import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/program';
import { DataDirBusyError, LOCK_FILE, lockDataDir } from '../../src/db/data-dir-lock';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/data-source';
import { Capture } from '../helpers/capture';
import { usingPostgres } from '../helpers/test-app';

/**
 * PGlite is single-process: the README's Quick start (`npm start`, then `mockforge generate` in
 * another terminal) once opened ./.data from two processes and destroyed it. Here real server
 * processes and the CLI share one data directory: the CLI talks to the server holding it, a second
 * server refuses to start, and the server restarts with every run — after a clean stop and after
 * kill -9 (a stale lock).
 */

const ROOT = path.resolve(__dirname, '../..');

interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** The environment of a process on the embedded database in `dataDir` (nothing from CI's shell). */
function embeddedEnv(dataDir: string): NodeJS.ProcessEnv {
  const {
    DATABASE_URL: _db,
    REDIS_URL: _redis,
    MOCKFORGE_QUEUE: _queue,
    OPENAI_API_KEY: _key,
    ...rest
  } = process.env;
  return {
    ...rest,
    MOCKFORGE_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    TS_NODE_TRANSPILE_ONLY: 'true',
  };
}

/** `npm start`'s entry point from the sources; resolves once it listens, or rejects with what it printed when it exits. */
function startServerProcess(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/app/main.ts'], {
    cwd: ROOT,
    env: embeddedEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /MockForge ready at (\S+)/.exec(output);
      if (ready) resolve({ child, url: ready[1], output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(Object.assign(new Error(output), { exitCode: code })));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = new Capture();
  const stderr = new Capture();
  const status = await runCli(args, { stdout, stderr }, env);
  return { status, stdout: stdout.text, stderr: stderr.text };
}

async function runStatus(url: string, id: string): Promise<string | undefined> {
  const res = await fetch(url.replace('localhost', '127.0.0.1'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `query($id: ID!) { run(id: $id) { status } }`, variables: { id } }),
  });
  const body = (await res.json()) as { data?: { run: { status: string } | null } };
  return body.data?.run?.status;
}

if (!usingPostgres) {
  describe('one embedded data directory, several processes', () => {
    let dir: string;
    let dataDir: string;
    const children: ChildProcess[] = [];

    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockforge-lock-'));
      dataDir = path.join(dir, 'data');
    });
    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function server(): Promise<Server> {
      const started = await startServerProcess(dataDir);
      children.push(started.child);
      return started;
    }

    it('the CLI uses the running server, a second server refuses, the server restarts with the run, a stale lock is taken over', async () => {
      const first = await server();
      const lock = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'));
      expect(lock).toMatchObject({
        pid: first.child.pid,
        role: 'server',
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/),
      });

      // The Quick start's second terminal.
      const env = embeddedEnv(dataDir);
      const out = path.join(dir, 'out');
      const generated = await cli(
        ['generate', 'A1', '--seed', '5', '--no-embeddings', '--out', `${out}/`],
        env,
      );
      expect(generated.status).toBe(0);
      expect(generated.stderr).toContain(`using the MockForge server at ${lock.url}`);
      const runId = /^run\s+(\S+)/m.exec(generated.stdout)![1];
      expect(await runStatus(first.url, runId)).toBe('SUCCEEDED');
      expect(fs.readdirSync(out)).toEqual([`mockforge-run-${runId}.ndjson`]);

      // Neither a second server nor anything else in this process may open it meanwhile.
      await expect(startServerProcess(dataDir)).rejects.toThrow(
        /in use by another MockForge process \(server, pid \d+/,
      );
      expect(() => lockDataDir(dataDir, 'test')).toThrow(DataDirBusyError);

      // A clean stop releases it; the next server has the run.
      first.child.kill('SIGTERM');
      expect(await exited(first.child)).toBe(0);
      expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
      const second = await server();
      expect(await runStatus(second.url, runId)).toBe('SUCCEEDED');

      // kill -9 leaves its lock behind: stale (its process is gone), so the next process takes it
      // over — here the CLI, which, with no server, opens the directory itself and finds the run.
      second.child.kill('SIGKILL');
      await exited(second.child);
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(second.child.pid);
      const listed = await cli(['runs'], env);
      expect(listed.status).toBe(0);
      expect(listed.stderr).not.toContain('using the MockForge server');
      expect(listed.stdout).toContain(runId);
      expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    }, 240_000);

    it('a process that holds the directory without serving (a CLI run) makes the server and the CLI refuse with what to do', async () => {
      const held = lockDataDir(dataDir, 'cli');
      try {
        await expect(startServerProcess(dataDir)).rejects.toThrow(
          /in use by another MockForge process \(cli, pid \d+\).*MOCKFORGE_DATA_DIR/s,
        );
        const refused = await cli(['runs'], embeddedEnv(dataDir));
        expect(refused.status).toBe(1);
        expect(refused.stderr).toMatch(/in use by another MockForge process \(cli, pid \d+\)/);
      } finally {
        held.release();
      }
      expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    }, 120_000);
  });
} else {
  describe('several processes on one Postgres', () => {
    it('take no lock: each opens the database alongside the others', async () => {
      const config = loadConfig({ ...process.env });
      const [a, b] = await Promise.all([
        openDatabase(config, { migrate: false }),
        openDatabase(config, { migrate: false }),
      ]);
      try {
        expect([a.lock, b.lock]).toEqual([null, null]);
        expect(await a.dataSource.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
        expect(await b.dataSource.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
