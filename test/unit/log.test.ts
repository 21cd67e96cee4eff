import { Writable } from 'node:stream';
import pino from 'pino';
import { logger, logUnexpected } from '../../src/log';

describe('the service log', () => {
  it('writes an unexpected error as one JSON line with its error id, message and stack', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).trim().split('\n'));
        done();
      },
    });
    const capture = pino({ base: { service: 'mockforge' } }, sink);
    const error = jest
      .spyOn(logger, 'error')
      .mockImplementation(((obj: object, msg: string) => capture.error(obj, msg)) as never);
    try {
      logUnexpected('id-123', new Error('disk full'), { runId: 'run-1' });
    } finally {
      error.mockRestore();
    }
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({
      level: 50,
      service: 'mockforge',
      errorId: 'id-123',
      runId: 'run-1',
      msg: 'unexpected error',
      err: { message: 'disk full', type: 'Error' },
    });
    expect(line.err.stack).toContain('disk full');
  });
});
