// Dates may come from a worker thread (another realm, where instanceof Date is false).
import { types } from 'node:util';
import { createHash, type Hash } from 'node:crypto';

/** JSON with object keys sorted at every level and dates as ISO strings: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (types.isDate(value)) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Feeds rows to a hash, one canonical line each, without the run id (two runs of one input match). */
function hashRows(hash: Hash, rows: readonly object[]): Hash {
  for (const row of rows) {
    const { runId: _runId, ...values } = row as { runId?: string };
    hash.update(canonicalJson(values)).update('\n');
  }
  return hash;
}

/** sha256 of one chunk's rows: what a shard hands on, so the run's fingerprint needs no rows. */
export function chunkDigest(rows: readonly object[]): string {
  return hashRows(createHash('sha256'), rows).digest('hex');
}

/**
 * sha256 over a run's canonical rows (without the run id), table by table in the order they
 * were generated. Whole tables are hashed row by row; chunked tables (orders) by their chunks'
 * digests in chunk order, so a run's shards can be written by different workers and still give
 * the fingerprint one worker would. Rows stream in, so it costs no extra memory; two runs have
 * the same fingerprint exactly when they wrote the same rows (ids, values and order).
 */
export class Fingerprint {
  private readonly tables = new Map<string, Hash>();
  private result?: string;

  add(table: string, rows: readonly object[]): void {
    hashRows(this.table(table), rows);
  }

  /** A chunk of a chunked table, by its chunkDigest. */
  addChunk(table: string, digest: string): void {
    this.table(table).update(`${digest}\n`);
  }

  /** The final digest; after it, no more rows can be added. */
  digest(): string {
    if (this.result) return this.result;
    const total = createHash('sha256');
    for (const table of [...this.tables.keys()].sort()) {
      total.update(`${table}:${this.tables.get(table)!.digest('hex')}\n`);
    }
    this.result = total.digest('hex');
    return this.result;
  }

  private table(name: string): Hash {
    let hash = this.tables.get(name);
    if (!hash) {
      hash = createHash('sha256');
      this.tables.set(name, hash);
    }
    return hash;
  }
}
