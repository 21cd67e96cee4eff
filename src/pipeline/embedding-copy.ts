/**
 * Embedding rows in COPY's binary format. Vectors travel as float4 bits, not decimal text: the
 * embedded database (WebAssembly) spends ~3 µs parsing one float from text — 5 s per 1,000
 * 1536-d vectors — and binary input skips the parsing on both databases. The stored values are
 * the same: both column types (pgvector's `vector`, `real[]`) hold float4, and a float4 read
 * from its decimal text is the float4 nearest the number, as Math.fround gives it. Negative zero
 * is written as zero (`x + 0`), as its text (`String(-0)` is "0") always stored it.
 */

/** `PGCOPY\n\377\r\n\0`, flags, header extension length. */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const FLOAT4_OID = 700;

export type VectorStorageType = 'pgvector' | 'array';

export interface EmbeddingRows {
  runId: string;
  model: string;
  ids: readonly string[];
  vectors: readonly (readonly number[])[];
}

function uuidBytes(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${id}`);
  return Buffer.from(hex, 'hex');
}

/** vector_recv: int16 dimensions, int16 unused, then the floats. */
function vectorValue(v: readonly number[]): Buffer {
  const out = Buffer.alloc(4 + 4 * v.length);
  out.writeInt16BE(v.length, 0);
  out.writeInt16BE(0, 2);
  for (let i = 0; i < v.length; i++) out.writeFloatBE(v[i] + 0, 4 + 4 * i);
  return out;
}

/** array_recv of a one-dimensional float4[] without NULLs: header, then (length, float) per element. */
function realArrayValue(v: readonly number[]): Buffer {
  const out = Buffer.alloc(20 + 8 * v.length);
  out.writeInt32BE(1, 0); // dimensions
  out.writeInt32BE(0, 4); // has NULLs
  out.writeInt32BE(FLOAT4_OID, 8);
  out.writeInt32BE(v.length, 12);
  out.writeInt32BE(1, 16); // lower bound
  for (let i = 0; i < v.length; i++) {
    out.writeInt32BE(4, 20 + 8 * i);
    out.writeFloatBE(v[i] + 0, 24 + 8 * i);
  }
  return out;
}

function field(value: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeInt32BE(value.length, 0);
  return [length, value];
}

/** The COPY statement the rows of `copyBinary` go with (`source` is STDIN or PGlite's '/dev/blob'). */
export function embeddingCopySql(owner: string, source: string): string {
  return `COPY ${owner}_embeddings (run_id, ${owner}_id, model, embedding) FROM ${source} (FORMAT binary)`;
}

/** One whole binary COPY payload: header, one tuple per vector, trailer. */
export function embeddingCopyBinary(storage: VectorStorageType, rows: EmbeddingRows): Buffer {
  const run = uuidBytes(rows.runId);
  const model = Buffer.from(rows.model, 'utf8');
  const encode = storage === 'pgvector' ? vectorValue : realArrayValue;
  const parts: Buffer[] = [HEADER];
  const fieldCount = Buffer.from([0, 4]);
  for (let i = 0; i < rows.ids.length; i++) {
    parts.push(fieldCount, ...field(run), ...field(uuidBytes(rows.ids[i])), ...field(model));
    parts.push(...field(encode(rows.vectors[i])));
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}
