import type { ContractCheck } from '../../entities/contract-check';

/** Collects a contract's named checks: each with what was expected, what was found, and whether they agree. */
export class ContractChecks {
  readonly list: ContractCheck[] = [];

  /** Passes when `actual` reads the same as `expected`, unless `passed` says otherwise. */
  check(
    name: string,
    expected: unknown,
    actual: unknown,
    passed = String(expected) === String(actual),
  ): void {
    this.list.push({ name, expected: String(expected), actual: String(actual), passed });
  }

  /**
   * Passes when a rule had no violations (a count, possibly as the driver's string for a bigint).
   * A missing count (SQL NULL) is a failure, never read as 0.
   */
  none(name: string, violations: number | string | null | undefined): void {
    const n = violations === null || violations === undefined ? NaN : Number(violations);
    const actual = n === 0 ? 'no violations' : Number.isNaN(n) ? 'no count (NULL)' : `${n} violations`;
    this.check(name, 'no violations', actual);
  }
}

/**
 * The one rule for exact splits, stated here apart from the generators' `allocate`: `counts` add
 * up to their total and each is within 1 of its exact share (the share rounded down or up).
 */
export function isExactSplit(counts: readonly number[], weights: readonly number[]): boolean {
  const total = counts.reduce((a, b) => a + b, 0);
  const sum = weights.reduce((a, b) => a + b, 0);
  return counts.every((n, i) => Math.abs(n - (total * weights[i]) / sum) < 1);
}
