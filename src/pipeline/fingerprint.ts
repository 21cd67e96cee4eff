import { createHash, type Hash } from 'node:crypto';

/** JSON with object keys sorted at every level and dates as ISO strings: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
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

/**
 * sha256 over a run's canonical rows (without the run id), table by table in the order they
 * were generated. Rows can
 * be added in chunks as they stream, so the fingerprint costs no extra memory; two runs have the
 * same fingerprint exactly when they wrote the same rows (ids, values and order of generation).
 */
export class Fingerprint {
  private readonly tables = new Map<string, Hash>();
  private result?: string;

  add(table: string, rows: readonly object[]): void {
    let hash = this.tables.get(table);
    if (!hash) {
      hash = createHash('sha256');
      this.tables.set(table, hash);
    }
    // The run id is left out: two runs of the same input must fingerprint alike.
    for (const row of rows) {
      const { runId: _runId, ...values } = row as { runId?: string };
      hash.update(canonicalJson(values)).update('\n');
    }
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
}
