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
