import { Writable } from 'node:stream';

/** A stream that keeps what is written to it (a command's stdout or stderr), not a terminal. */
export class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString('utf8');
    done();
  }
}
