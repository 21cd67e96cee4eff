import { sentimentOfStars } from '../../generators/ecommerce/sentiment';
import { EMBEDDING_DIMENSIONS } from './embedding-text';
import type { EmbeddingMeaning, ProductMeaning } from './text-writer';

/** The label stored with every offline vector (the space below, not a model). */
export const OFFLINE_EMBEDDING_MODEL = 'offline-feature-hash-1536';

/**
 * The offline embedding space: deterministic 1536-d unit vectors built from what a row is, so that
 * similarity search means what it would with a model. A product is mostly its type and category
 * (shared directions) plus a little of itself; a review is mostly its product, then its
 * sentiment; a shopper is mostly what they bought. With the weights below:
 *
 * - products of the same type (a tent and another tent): cosine ≈ 0.81 (≥ 0.7, the threshold
 *   Survey Sensei's `match_products` and its similar-purchase search use);
 * - the same category, another type: ≈ 0.25; another category: ≈ 0 (|cos| < 0.1);
 * - a review and its product: ≈ 0.8; two reviews of one product: ≈ 0.8 with the same sentiment,
 *   ≈ 0.64 with another; a shopper and a product type they bought: high, the others: low.
 *
 * Shared directions are dense Gaussian vectors seeded by their name; a row's own part is sparse
 * (±1 on 48 coordinates picked by its key's hash), so it is nearly orthogonal to everything else
 * and cheap to make for millions of rows. The same meaning always gives the same vector.
 */

const PRODUCT = { category: 0.5, type: 0.75, own: 0.43 };
const REVIEW = { product: 0.8, sentiment: 0.4, own: 0.45 };
const USER = { bought: 0.75, own: 0.65 };
const OWN_NONZERO = 48;

function fnv(text: string, seed = 2166136261): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: a small, fast, well-mixed 32-bit generator (uniform in [0, 1)). */
function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const directions = new Map<string, Float64Array>();

/** A shared direction: a dense Gaussian unit vector seeded by its name (kept: there are few). */
function direction(name: string): Float64Array {
  let v = directions.get(name);
  if (v) return v;
  const next = uniforms(fnv(name));
  v = new Float64Array(EMBEDDING_DIMENSIONS);
  for (let i = 0; i < v.length; i += 2) {
    // Box–Muller: two normals from two uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    v[i] = r * Math.cos(theta);
    if (i + 1 < v.length) v[i + 1] = r * Math.sin(theta);
  }
  directions.set(name, normalize(v));
  return v;
}

/** A row's own part, added into `out` with `weight`: ±1 on OWN_NONZERO coordinates, unit length. */
function addOwn(out: Float64Array, key: string, weight: number): void {
  const next = uniforms(fnv(key, 0x9747b28c));
  const w = weight / Math.sqrt(OWN_NONZERO);
  for (let n = 0; n < OWN_NONZERO; n++) {
    const at = Math.floor(next() * EMBEDDING_DIMENSIONS);
    out[at] += next() < 0.5 ? -w : w;
  }
}

function addScaled(out: Float64Array, v: ArrayLike<number>, weight: number): void {
  for (let i = 0; i < out.length; i++) out[i] += weight * v[i];
}

function normalize(v: Float64Array): Float64Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

function productVector(p: ProductMeaning): Float64Array {
  const v = new Float64Array(EMBEDDING_DIMENSIONS);
  addScaled(v, direction(`category:${p.category.toLowerCase()}`), PRODUCT.category);
  addScaled(v, direction(`type:${p.type.toLowerCase()}`), PRODUCT.type);
  addOwn(v, `product:${p.key}`, PRODUCT.own);
  return normalize(v);
}

/** The offline vector of a row (a unit vector, rounded to 6 decimals like the stored ones). */
export function offlineVector(meaning: EmbeddingMeaning): number[] {
  let v: Float64Array;
  if (meaning.kind === 'product') {
    v = productVector(meaning);
  } else if (meaning.kind === 'review') {
    v = new Float64Array(EMBEDDING_DIMENSIONS);
    addScaled(v, productVector(meaning.product), REVIEW.product);
    addScaled(v, direction(`sentiment:${sentimentOfStars(meaning.stars)}`), REVIEW.sentiment);
    addOwn(v, `review:${meaning.key}`, REVIEW.own);
    v = normalize(v);
  } else {
    v = new Float64Array(EMBEDDING_DIMENSIONS);
    if (meaning.bought.length) {
      const mean = new Float64Array(EMBEDDING_DIMENSIONS);
      for (const p of meaning.bought) addScaled(mean, productVector(p), 1);
      addScaled(v, normalize(mean), USER.bought);
      addOwn(v, `user:${meaning.key}`, USER.own);
    } else {
      addOwn(v, `user:${meaning.key}`, 1);
    }
    v = normalize(v);
  }
  return Array.from(v, (x) => Math.round(x * 1e6) / 1e6);
}
