// Dates may come from a worker thread (another realm, where instanceof Date is false).
import { types } from 'node:util';

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
