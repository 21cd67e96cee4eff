import { RunFailure } from '../../src/errors';
import { ContractViolation, failureReason } from '../../src/runs/run-executor';

/** run.error is shown to every client: it must never carry driver, library or provider text. */
describe('failureReason', () => {
  const logged: unknown[] = [];
  const log = (_id: string, error: unknown) => logged.push(error);
  beforeEach(() => (logged.length = 0));

  it('a broken connection (EPIPE) is not mistaken for a SQLSTATE and shows no driver text', () => {
    const epipe = Object.assign(new Error('write EPIPE 10.0.0.1:5432 secret-host'), {
      code: 'EPIPE',
      syscall: 'write',
    });
    const reason = failureReason(epipe, log);
    expect(reason).toMatch(/connection to the database was lost/);
    expect(reason).not.toMatch(/EPIPE|SQLSTATE|secret-host/);
  });

  it('a database error gives its SQLSTATE class and constraint, not its message', () => {
    const error = Object.assign(
      new Error('duplicate key value violates unique constraint "uq_x" DETAIL: Key (email)=(a@b.c)'),
      {
        code: '23505',
        severity: 'ERROR',
        constraint: 'uq_x',
      },
    );
    const reason = failureReason({ driverError: error }, log);
    expect(reason).toBe(
      'Database write failed: a database constraint was violated (SQLSTATE 23505, constraint uq_x); no rows were kept',
    );
  });

  it('an unexpected error is logged with an id and reported by that id only', () => {
    const reason = failureReason(
      new TypeError("Cannot read properties of undefined (reading 'x') at /srv/app.js"),
      log,
    );
    expect(reason).toMatch(/^Generation failed unexpectedly \(error [0-9a-f-]{36}, logged by the server\)/);
    expect(reason).not.toMatch(/Cannot read|app\.js/);
    expect(logged).toHaveLength(1);
  });

  it('known failures and contract violations keep their own words', () => {
    expect(failureReason(new RunFailure('The embedding provider answered HTTP 500 (4 attempts)'), log)).toBe(
      'Generation failed: The embedding provider answered HTTP 500 (4 attempts); no rows were kept',
    );
    const violation = new ContractViolation([{ name: 'counts', expected: '1', actual: '2', passed: false }]);
    expect(failureReason(violation, log)).toMatch(/^Contract failed: counts/);
    expect(logged).toHaveLength(0);
  });
});
