import http from 'node:http';
import { fromBuffer, type Entry } from 'yauzl';

/** A raw HTTP response (no automatic decompression), to see what travelled. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function get(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

/** The objects of an NDJSON body. */
export const ndjson = (body: Buffer): any[] =>
  body
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

/** How many exported rows each table has. */
export function perTable(lines: { table: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) counts[line.table] = (counts[line.table] ?? 0) + 1;
  return counts;
}

/** A zip's entries by name, in the zip's order (read with yauzl, not the library that wrote it). */
export function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on('entry', (entry: Entry) => {
        file.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.on('end', () => resolve(entries));
      file.on('error', reject);
      file.readEntry();
    });
  });
}

/** POSTs a body; the raw response. */
export function post(
  url: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The row lines of an NDJSON export (without its run and end lines). */
export const exportRows = (body: Buffer): any[] =>
  ndjson(body).filter((l) => l.table !== 'run' && l.table !== 'end');
