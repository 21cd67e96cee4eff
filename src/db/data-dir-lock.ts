import fs from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * PGlite is one process's database: a second process opening the same data directory corrupts it
 * for good. So a process holds `<dataDir>/mockforge.lock` (its pid, host and — for a server — the
 * URL it answers on) while the directory is open; another process finds it, and either talks to
 * that server (the CLI) or refuses to start. A lock whose process is gone (killed, crashed) is
 * stale and is taken over.
 */

export const LOCK_FILE = 'mockforge.lock';

/** What the lock file says about the process holding the directory. */
export interface LockHolder {
  pid: number;
  host: string;
  /** What holds it: "server", "cli", … */
  role: string;
  /** The GraphQL endpoint of a server holding it, once it listens. */
  url: string | null;
  since: string;
}

/** The directory is open in another live process. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The data directory ${dataDir} is in use by another MockForge process (${holder.role}, pid ${holder.pid}` +
        `${holder.url ? `, serving ${holder.url}` : ''}). The embedded database is single-process: ` +
        (holder.url
          ? `talk to that server (mockforge --url ${holder.url.replace(/\/graphql$/, '')}), `
          : 'wait for it to finish, ') +
        `or set MOCKFORGE_DATA_DIR to another directory. ` +
        `If no such process runs, remove ${path.join(dataDir, LOCK_FILE)}.`,
    );
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Records the URL this process serves on, for other processes to find it. */
  advertise(url: string): void;
  /** Removes the lock (only if it is still this process's). */
  release(): void;
}

/** Lock files this process holds: the same process opening a directory twice is refused too. */
const held = new Set<string>();

function readHolder(file: string): LockHolder | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid !== 'number') return null;
    return {
      pid: value.pid,
      host: String(value.host ?? ''),
      role: String(value.role ?? 'unknown'),
      url: typeof value.url === 'string' ? value.url : null,
      since: String(value.since ?? ''),
    };
  } catch {
    // Gone meanwhile, or half-written by a process that died while writing it.
    return null;
  }
}

/** Whether the process a lock names is still running (on another host: assumed so). */
function alive(file: string, holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  // Our own pid on a lock we do not hold: left by an earlier process that had this pid (a container restart).
  if (holder.pid === process.pid) return held.has(file);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process holding a data directory, or null when it is free (no lock, or a stale one). */
export function dataDirHolder(dataDir: string): LockHolder | null {
  const file = path.join(dataDir, LOCK_FILE);
  const holder = readHolder(file);
  return holder && alive(file, holder) ? holder : null;
}

/**
 * Takes the data directory for this process, or throws DataDirBusyError naming the process that
 * has it. A stale lock is moved aside first (renamed, so two processes taking over the same stale
 * lock cannot both win: only one rename succeeds).
 */
export function lockDataDir(dataDir: string, role: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockHolder = {
    pid: process.pid,
    host: hostname(),
    role,
    url: null,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      held.add(file);
      return lockHandle(file, mine);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder && alive(file, holder)) throw new DataDirBusyError(dataDir, holder);
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      // Another process moved it first: try again, and find its lock.
      continue;
    }
    const moved = readHolder(aside);
    if (moved && holder && (moved.pid !== holder.pid || moved.since !== holder.since) && alive(file, moved)) {
      // Another process took the stale lock over between our read and our rename: give it back
      // (a hard link never replaces a lock a third process made meanwhile).
      try {
        fs.linkSync(aside, file);
      } catch {
        // A lock exists again; the next attempt reads it.
      }
    }
    fs.rmSync(aside, { force: true });
  }
  const holder = readHolder(file);
  throw new DataDirBusyError(dataDir, holder ?? { ...mine, pid: -1, role: 'unknown' });
}

function lockHandle(file: string, mine: LockHolder): DataDirLock {
  const onExit = () => release();
  process.once('exit', onExit);
  const ours = () => {
    const now = readHolder(file);
    return now !== null && now.pid === mine.pid && now.since === mine.since;
  };
  function release(): void {
    process.removeListener('exit', onExit);
    if (!held.delete(file)) return;
    if (ours()) fs.rmSync(file, { force: true });
  }
  return {
    file,
    advertise(url: string) {
      if (!ours()) return;
      // Written whole then renamed: a reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ ...mine, url }));
      fs.renameSync(tmp, file);
    },
    release,
  };
}
