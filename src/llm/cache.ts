import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../pipeline/fingerprint';

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
 * re-run of the same input reproduces the same dataset. Entries expire after the TTL.
 */
export class ResponseCache {
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly dir: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

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
    await fs.promises.writeFile(temp, JSON.stringify(entry));
    await fs.promises.rename(temp, this.file(key));
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
