import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes a chunk (text, or a record to an object stream), waiting for the client to drain when its buffer is full. */
export async function send(out: Writable, chunk: unknown): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
