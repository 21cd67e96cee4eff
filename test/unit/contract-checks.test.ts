import { ContractChecks } from '../../src/pipeline/contract-checks';

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
