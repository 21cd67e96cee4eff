import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../canonical-json';

export interface CacheStats {
  entries: number;
  validEntries: number;
  sizeBytes: number;
  hits: number;
  misses: number;
  /** hits / (hits + misses) since the service started; null before any lookup. */
  hitRate: number | null;
}

interface Entry<T> {
  createdAt: number;
  expiresAt: number;
  value: T;
}

/**
 * LLM and embedding responses on disk, one JSON file per request, keyed by a hash of (provider,
 * model, prompt, parameters). A cached replay makes no call and gives back the same text, so a
 * re-run of the same input reproduces the same dataset. Entries expire after the TTL; expired
 * files are removed by a sweep (on this process's first write, and whenever the cache outgrows
 * its cap, when the oldest entries go too).
 */
export class ResponseCache {
  private hits = 0;
  private misses = 0;
  /** Bytes on disk as last swept, plus what this process wrote since; null before the first sweep. */
  private bytes: number | null = null;
  private sweeping: Promise<number> | null = null;
  private readonly now: () => number;
  private readonly maxBytes: number;

  constructor(
    private readonly dir: string,
    private readonly ttlMs: number,
    options: { now?: () => number; maxBytes?: number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.maxBytes = options.maxBytes ?? Infinity;
  }

  /** The key of a request: sha256 over its canonical JSON. */
  static key(request: unknown): string {
    return createHash('sha256').update(canonicalJson(request)).digest('hex');
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const entry = JSON.parse(await fs.promises.readFile(this.file(key), 'utf8')) as Entry<T>;
      if (entry.expiresAt > this.now()) {
        this.hits++;
        return entry.value;
      }
    } catch {
      // Missing or unreadable: a miss.
    }
    this.misses++;
    return undefined;
  }

  async set<T>(key: string, value: T): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const entry: Entry<T> = { createdAt: this.now(), expiresAt: this.now() + this.ttlMs, value };
    // Write then rename, so a reader never sees half a file.
    const temp = `${this.file(key)}.${process.pid}.tmp`;
    const text = JSON.stringify(entry);
    await fs.promises.writeFile(temp, text);
    await fs.promises.rename(temp, this.file(key));
    if (this.bytes === null || this.bytes + text.length > this.maxBytes) await this.sweep();
    else this.bytes += text.length;
  }

  /**
   * Removes expired entries (by the time their file was written), then, while the cache is over its
   * cap, the oldest ones until it is within 90 % of it. Returns how many were removed. One sweep
   * at a time; another process removing the same files is harmless (a reader just misses).
   */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepNow().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepNow(): Promise<number> {
    const files: { file: string; size: number; writtenAt: number }[] = [];
    for (const name of await this.files()) {
      const file = path.join(this.dir, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (stat) files.push({ file, size: stat.size, writtenAt: stat.mtimeMs });
    }
    const now = this.now();
    const expired = files.filter((f) => f.writtenAt + this.ttlMs <= now);
    const kept = files
      .filter((f) => f.writtenAt + this.ttlMs > now)
      .sort((a, b) => a.writtenAt - b.writtenAt);
    let bytes = kept.reduce((n, f) => n + f.size, 0);
    const removed = [...expired];
    if (bytes > this.maxBytes) {
      while (kept.length && bytes > this.maxBytes * 0.9) {
        const oldest = kept.shift()!;
        bytes -= oldest.size;
        removed.push(oldest);
      }
    }
    await Promise.all(removed.map((f) => fs.promises.rm(f.file, { force: true })));
    this.bytes = bytes;
    return removed.length;
  }

  async stats(): Promise<CacheStats> {
    let entries = 0;
    let validEntries = 0;
    let sizeBytes = 0;
    for (const name of await this.files()) {
      entries++;
      const file = path.join(this.dir, name);
      sizeBytes += (await fs.promises.stat(file)).size;
      try {
        const entry = JSON.parse(await fs.promises.readFile(file, 'utf8')) as Entry<unknown>;
        if (entry.expiresAt > this.now()) validEntries++;
      } catch {
        // A damaged file counts as an entry, not a valid one.
      }
    }
    const lookups = this.hits + this.misses;
    return {
      entries,
      validEntries,
      sizeBytes,
      hits: this.hits,
      misses: this.misses,
      hitRate: lookups ? this.hits / lookups : null,
    };
  }

  /** Removes every entry; returns how many there were. */
  async clear(): Promise<number> {
    const names = await this.files();
    await Promise.all(names.map((name) => fs.promises.rm(path.join(this.dir, name), { force: true })));
    return names.length;
  }

  private async files(): Promise<string[]> {
    try {
      return (await fs.promises.readdir(this.dir)).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
  }
}
