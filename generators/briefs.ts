import type { ProductRole, Sentiment } from '../entities/enums';

/**
 * What generators hand the text port: every value is decided (ids, prices, stars, dates); the
 * writer only turns these briefs into words. They live here, below both, because generators
 * produce them and src/llm consumes them.
 */

/** What a product's title and description must convey. */
export interface ProductBrief {
  /** Stable key of the item (its ASIN): offline text is chosen from it, so it never shifts. */
  key: string;
  role: ProductRole;
  category: string;
  brand: string;
  /** What the product is, e.g. "Wireless Mouse". */
  noun: string;
  /** Model designation generated for it, e.g. "M350". */
  model: string;
  /** USD, e.g. "24.99". */
  price: string;
  /** The main product's title, for context. */
  mainTitle: string;
}

/** Who a shopper is: the generators decided these facts; the persona text must fit them. */
export interface PersonaBrief {
  /** The user's id: offline text is chosen from it. */
  key: string;
  firstName: string;
  age: number;
  gender: string;
  /** "City, ST". */
  location: string;
  /** Category of the run's main product: what brings this shopper to the catalogue. */
  category: string;
}

/** What a review must say: its stars and sentiment are decided by the generator. */
export interface ReviewBrief {
  key: string;
  productTitle: string;
  /**
   * The product as the generators named it (brand and type): what a model is told, so that a
   * review prompt is known before any product copy is written (costEstimate counts it exactly).
   */
  productName: string;
  /** Short name of the product for the text ("mouse", "skillet"). */
  productNoun: string;
  category: string;
  stars: number;
  sentiment: Sentiment;
  /** The author wrote it after returning the item. */
  returned: boolean;
}
