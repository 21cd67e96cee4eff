import { finished } from 'node:stream/promises';
import { PassThrough, type Writable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { GenerationRun } from '../../../entities';

/**
 * A zip streamed to `out`, one entry at a time: each entry is written through a stream while
 * the zip reads it, so memory holds a buffer, not a file. Entries carry the run's as-of date,
 * so the same run exports to the same bytes.
 */
export async function writeZip(
  run: GenerationRun,
  out: Writable,
  entries: (add: (name: string) => Writable) => Promise<void>,
): Promise<void> {
  const zip = new ZipFile();
  zip.outputStream.pipe(out, { end: false });
  const done = finished(zip.outputStream);
  const add = (name: string): Writable => {
    const entry = new PassThrough({ highWaterMark: 1 << 20 });
    zip.addReadStream(entry, name, { mtime: run.asOf, mode: 0o100644 });
    return entry;
  };
  await entries(add);
  zip.end();
  await done;
}

/** Ends an entry's stream once everything written to it has been read. */
export async function closeEntry(entry: Writable): Promise<void> {
  entry.end();
  await finished(entry, { readable: false });
}
