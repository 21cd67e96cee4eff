/**
 * Product categories: the source document's seven (with its keywords) plus sixteen more. Each has
 * whole-word keywords for detecting a title's category, its product types, and brands for the main
 * brand's competitors. Order matters only for ties in detection (earlier wins).
 */
import { z } from 'zod';
import { CATEGORY_NAMES, type CategoryName } from '../../entities/enums';
import DATA from './categories.json';

/**
 * A kind of product ("Camping Tent"): what similar products share with the main one (a tent's
 * similar products are tents of other brands and models), the words that name it in a title, and
 * the price band every generated product of the type is priced in (wide enough that ±20–40 % of a
 * price in its middle stays inside).
 */
const ProductTypeSchema = z.object({
  name: z.string().min(1),
  keywords: z.array(z.string().min(1)),
  price: z.tuple([z.number().positive(), z.number().positive()]).refine(([low, high]) => low < high),
});
export type ProductType = z.infer<typeof ProductTypeSchema>;

const CategorySchema = z.object({
  name: z.enum(CATEGORY_NAMES),
  /** Lower-case words or phrases matched as whole words (a trailing "s"/"es" also matches). */
  keywords: z.array(z.string().min(1)),
  types: z.array(ProductTypeSchema).min(1),
  brands: z.array(z.string().min(1)),
  /** Aspects reviewers talk about. */
  aspects: z.array(z.string().min(1)).min(1),
});
export type Category = z.infer<typeof CategorySchema>;

/** The catalogue is data (categories.json), checked against this shape when it is loaded. */
const CATALOGUE = z.object({ categories: z.array(CategorySchema), general: CategorySchema }).parse(DATA);

export const GENERAL: CategoryName = 'general';

export const CATEGORIES: Category[] = CATALOGUE.categories;

/** A catch-all for titles no keyword matches. */
export const GENERAL_CATEGORY: Category = CATALOGUE.general;

const BY_NAME = new Map<string, Category>([...CATEGORIES, GENERAL_CATEGORY].map((c) => [c.name, c]));

/** The category called `name`, or the general one for anything unknown. */
export function categoryByName(name: string): Category {
  return BY_NAME.get(name.toLowerCase()) ?? GENERAL_CATEGORY;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MATCHERS = CATEGORIES.map((category) => ({
  name: category.name,
  keywords: category.keywords.map((k) => ({
    pattern: new RegExp(`(^|[^a-z0-9])${escapeRegExp(k)}(s|es)?(?![a-z0-9])`, 'i'),
    // A phrase is more specific than a word: "car seat" (baby) beats "car" (automotive).
    weight: k.split(/\s+/).length,
  })),
}));

/**
 * The category of a product title: the one whose whole-word keywords match best ("Wireless
 * Mouse" → electronics, but "Mousepad" matches nothing), phrases weighing more than single words
 * and earlier categories winning ties; `general` when nothing matches.
 */
export function detectCategory(title: string): string {
  let best = GENERAL;
  let bestHits = 0;
  for (const matcher of MATCHERS) {
    const hits = matcher.keywords.reduce((sum, k) => sum + (k.pattern.test(title) ? k.weight : 0), 0);
    if (hits > bestHits) {
      best = matcher.name;
      bestHits = hits;
    }
  }
  return best;
}

const TYPE_MATCHERS = [...CATEGORIES, GENERAL_CATEGORY].flatMap((category) =>
  category.types.map((type) => ({
    category,
    type,
    keywords: type.keywords.map((k) => ({
      pattern: new RegExp(`(^|[^a-z0-9])${escapeRegExp(k)}(s|es)?(?![a-z0-9])`, 'i'),
      weight: k.split(/\s+/).length,
    })),
  })),
);

/**
 * The product type a title names ("REI Half Dome Camping Tent" → Camping Tent), preferring types of
 * `category` and phrases over single words; a type of its own, named after the title's last two words
 * and priced in the category's band, when no type's words appear ("Acme Widget").
 */
export function detectType(title: string, category: Category): ProductType {
  let best: ProductType | null = null;
  let bestScore = 0;
  for (const m of TYPE_MATCHERS) {
    const hits = m.keywords.reduce((sum, k) => sum + (k.pattern.test(title) ? k.weight : 0), 0);
    // A hit in the title's own category outranks an equal one elsewhere.
    const score = hits * 2 + (hits && m.category === category ? 1 : 0);
    if (score > bestScore) {
      best = m.type;
      bestScore = score;
    }
  }
  if (best) return best;
  const words = title
    .trim()
    .split(/\s+/)
    .filter((w) => /[a-z]/i.test(w));
  const name = words.slice(-2).join(' ') || 'Product';
  const low = Math.min(...category.types.map((t) => t.price[0]));
  const high = Math.max(...category.types.map((t) => t.price[1]));
  return { name, keywords: [], price: [low, high] };
}
