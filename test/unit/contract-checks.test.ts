import { ContractChecks, isExactSplit } from '../../src/pipeline/contract-checks';
import { roleSplitHolds } from '../../src/pipeline/dashboard/contract/contract';

describe('a contract check of violations', () => {
  it('passes on 0 (a number or the driver’s string) and fails on any other count', () => {
    const checks = new ContractChecks();
    checks.none('zero', 0);
    checks.none('zero as text', '0');
    checks.none('some', 3);
    expect(checks.list.map((c) => [c.name, c.passed, c.actual])).toEqual([
      ['zero', true, 'no violations'],
      ['zero as text', true, 'no violations'],
      ['some', false, '3 violations'],
    ]);
  });

  it('fails on a missing count (SQL NULL): no count is not "no violations"', () => {
    const checks = new ContractChecks();
    checks.none('null', null);
    checks.none('undefined', undefined);
    expect(checks.list.map((c) => [c.passed, c.actual])).toEqual([
      [false, 'no count (NULL)'],
      [false, 'no count (NULL)'],
    ]);
  });
});

describe('an exact split (the contracts’ one rule for splits)', () => {
  it('holds when every part is its share rounded down or up', () => {
    expect(isExactSplit([85, 10, 5], [85, 10, 5])).toBe(true);
    expect(isExactSplit([7, 2, 1], [70, 20, 10])).toBe(true);
    // 13 × 0.85 = 11.05, 1.3, 0.65: either rounding of each part holds
    expect(isExactSplit([11, 1, 1], [85, 10, 5])).toBe(true);
    expect(isExactSplit([11, 2, 0], [85, 10, 5])).toBe(true);
  });

  it('fails when a part is a whole one or more off its share', () => {
    expect(isExactSplit([6, 2, 2], [70, 20, 10])).toBe(false);
    expect(isExactSplit([3, 4, 3], [20, 40, 40])).toBe(false);
  });

  it('members: at least one admin even where the split alone would allow none', () => {
    // 3 members: shares 0.6 / 1.2 / 1.2, so 0/1/2 is within 1 of each but has no admin.
    expect(isExactSplit([0, 1, 2], [20, 40, 40])).toBe(true);
    expect(roleSplitHolds([0, 1, 2])).toBe(false);
    expect(roleSplitHolds([1, 1, 1])).toBe(true);
    expect(roleSplitHolds([2, 4, 4])).toBe(true);
  });
});
