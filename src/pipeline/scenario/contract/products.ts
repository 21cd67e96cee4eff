import { ProductRole } from '../../../../entities/enums';
import { categoryByName } from '../../../../generators/ecommerce/categories';
import { ORDER_RULES } from '../../../../generators/ecommerce/orders';
import type { Contract } from './contract';

/** Products: how many of each role, priced and branded by the rules, rated by their reviews; null without a main product. */
export async function checkProducts(
  contract: Contract,
): Promise<{ similar: number; diverse: number } | null> {
  const { manager, runId, request, checks } = contract;
  const c = request.config.counts;
  const check = checks.check.bind(checks);
  const none = checks.none.bind(checks);
  const products: ProductFacts[] = await manager.query(PRODUCT_FACTS, [runId]);
  const byRole = (role: ProductRole) => products.filter((p) => p.role === role);
  const [main] = byRole(ProductRole.MAIN);
  const similar = byRole(ProductRole.SIMILAR);
  const diverse = byRole(ProductRole.DIVERSE);
  check('products.main', 1, byRole(ProductRole.MAIN).length);
  check('products.similar', c.similarProducts, similar.length);
  check('products.diverse', c.diverseProducts, diverse.length);
  if (!main) return null;
  none(
    'products.similarPriceWithin20to40Percent',
    similar.filter((p) => {
      const deviation = Math.abs(p.price / main.price - 1);
      return deviation < 0.2 - 0.005 / main.price || deviation > 0.4 + 0.005 / main.price;
    }).length,
  );
  none('products.similarSameCategory', similar.filter((p) => p.category !== main.category).length);
  const sameBrand = similar.filter((p) => p.brand === main.brand).length;
  check(
    'products.similarMainBrandShare',
    `≥ ${Math.ceil(c.similarProducts * 0.4)}`,
    sameBrand,
    sameBrand >= Math.ceil(c.similarProducts * 0.4),
  );
  // A diverse product is another category's, priced in that category's types' bands.
  const band = (category: string) => {
    const types = categoryByName(category).types;
    return [Math.min(...types.map((t) => t.price[0])), Math.max(...types.map((t) => t.price[1]))];
  };
  none(
    'products.diverseOtherCategoryPricedInItsBand',
    diverse.filter((p) => {
      const [low, high] = band(p.category);
      return p.category === main.category || p.price < low || p.price > high;
    }).length,
  );
  none('products.reviewCountMatchesReviews', products.filter((p) => p.review_count !== p.reviews).length);
  // Rule 4: reviews average to the product's rating (the main product's when its spread is derived).
  const rated = products.filter(
    (p) =>
      p.reviews >= ORDER_RULES.ratingMinReviews && (p.role !== ProductRole.MAIN || request.spread === null),
  );
  const offRating = rated.filter(
    (p) => Math.abs((p.mean_stars ?? 0) - p.rating) > ORDER_RULES.ratingTolerance + 1e-9,
  );
  check(
    'products.reviewsAverageTheirRating',
    `within ${ORDER_RULES.ratingTolerance} on ${rated.length}`,
    offRating.length
      ? `${offRating.length} off (worst ${worstGap(offRating).toFixed(2)})`
      : `within ${ORDER_RULES.ratingTolerance} on ${rated.length}`,
  );
  return { similar: similar.length, diverse: diverse.length };
}

/** Each product with its reviews' count and mean. */
const PRODUCT_FACTS = `SELECT p.id, p.role, p.asin, p.brand, p.category, p.price::float8 AS price, p.star_rating::float8 AS rating,
            p.review_count, count(r.id)::int AS reviews, avg(r.stars)::float8 AS mean_stars
       FROM products p LEFT JOIN reviews r ON r.run_id = p.run_id AND r.product_id = p.id
      WHERE p.run_id = $1 GROUP BY p.id, p.role, p.asin, p.brand, p.category, p.price, p.star_rating, p.review_count`;

interface ProductFacts {
  id: string;
  role: ProductRole;
  asin: string;
  brand: string;
  category: string;
  price: number;
  rating: number;
  review_count: number;
  reviews: number;
  mean_stars: number | null;
}

function worstGap(products: readonly ProductFacts[]): number {
  return Math.max(...products.map((p) => Math.abs((p.mean_stars ?? 0) - p.rating)));
}
