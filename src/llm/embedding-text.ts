import type { ProductRow } from '../../generators/ecommerce/products';
import type { ReviewRow } from '../../generators/ecommerce/orders';
import type { UserRow } from '../../generators/ecommerce/users';

/** Dimensions of every stored embedding (text-embedding-3-small). */
export const EMBEDDING_DIMENSIONS = 1536;

/** The text a product is embedded from (the source document's fields). */
export function productEmbeddingText(p: ProductRow): string {
  return [
    `item_id: ${p.asin}`,
    `title: ${p.title}`,
    `brand: ${p.brand}`,
    `description: ${p.description}`,
    `star_rating: ${p.starRating}`,
    `num_ratings: ${p.numRatings}`,
    `category: ${p.category}`,
    `price: ${p.price}`,
  ].join('\n');
}

/** The text a shopper is embedded from. */
export function userEmbeddingText(u: UserRow): string {
  return [
    `user_name: ${u.name}`,
    `age: ${u.age}`,
    `base_location: ${u.location}`,
    `base_zip: ${u.zip}`,
    `gender: ${u.gender}`,
  ].join('\n');
}

/** The text a review is embedded from. */
export function reviewEmbeddingText(r: ReviewRow, asin: string): string {
  return [
    `item_id: ${asin}`,
    `user_id: ${r.userId}`,
    `transaction_id: ${r.transactionId ?? ''}`,
    `timestamp: ${r.reviewedAt.toISOString()}`,
    `review_title: ${r.title}`,
    `review_text: ${r.text}`,
    `review_stars: ${r.stars}`,
  ].join('\n');
}

function fnv(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * A deterministic unit vector for a text, by feature hashing: every word and word pair adds ±1 to
 * a dimension chosen by its hash. Texts that share words point the same way, so similarity search
 * means something offline; the same text always gives the same vector.
 */
export function offlineEmbedding(text: string): number[] {
  const vector = new Float64Array(EMBEDDING_DIMENSIONS);
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const features = [...words, ...words.slice(1).map((w, i) => `${words[i]} ${w}`)];
  for (const feature of features) {
    const h = fnv(feature);
    vector[h % EMBEDDING_DIMENSIONS] += h & 0x80000000 ? -1 : 1;
  }
  let norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  if (norm === 0) {
    vector[0] = 1;
    norm = 1;
  }
  return Array.from(vector, (v) => Math.round((v / norm) * 1e6) / 1e6);
}
