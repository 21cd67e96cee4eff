import type { Faker } from '@faker-js/faker';
import { ProductRole } from '../../entities/enums';
import type { Product } from '../../entities/product.entity';
import type { ProductBrief } from '../briefs';
import {
  CATEGORIES,
  categoryByName,
  detectCategory,
  detectType,
  type Category,
  type ProductType,
} from './categories';

export type ProductRow = Omit<Product, 'run'>;

/** The main product as a client described it; anything missing is generated. */
export interface MainProductSpec {
  asin?: string | null;
  title?: string | null;
  brand?: string | null;
  price?: string | null;
  starRating?: number | null;
  numRatings?: number | null;
  description?: string | null;
  category?: string | null;
}

export interface GeneratedProduct {
  /** The row; an empty title or description is written by the text writer from `brief`. */
  row: ProductRow;
  /** What the product is, for review texts ("Wireless Mouse"). */
  noun: string;
  brief: ProductBrief;
}

export interface ProductParams {
  runId: string;
  main: MainProductSpec;
  similarCount: number;
  diverseCount: number;
}

const ASIN_CHARS = { length: 9, casing: 'upper' as const };

function newAsin(faker: Faker, taken: Set<string>): string {
  for (;;) {
    const asin = `B${faker.string.alphanumeric(ASIN_CHARS)}`;
    if (!taken.has(asin)) {
      taken.add(asin);
      return asin;
    }
  }
}

function model(faker: Faker): string {
  return `${faker.string.alpha({ length: faker.number.int({ min: 1, max: 2 }), casing: 'upper' })}${faker.number.int({ min: 100, max: 999 })}`;
}

function photos(faker: Faker, asin: string): string[] {
  const count = faker.number.int({ min: 2, max: 5 });
  return Array.from(
    { length: count },
    (_, i) => `https://picsum.photos/seed/${asin.toLowerCase()}-${i + 1}/800/800`,
  );
}

/** A price like 24.99 inside [min, max] dollars. */
function retailPrice(faker: Faker, min: number, max: number): string {
  const low = Math.max(1, Math.ceil(min)) + 1;
  const dollars = faker.number.int({ min: low, max: Math.max(low, Math.floor(max)) });
  return `${dollars - 1}.99`;
}

/** Cents ↔ decimal strings, so prices never pass through binary floating point twice. */
export function toCents(price: string): number {
  const [whole, fraction = ''] = price.split('.');
  return Number(whole) * 100 + Number((fraction + '00').slice(0, 2));
}

export function fromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A main product's price when the client gives none: inside its type's band, and far enough from
 * the edges that every similar product (±20–40 %) is inside it too.
 */
function mainPrice(faker: Faker, type: ProductType): string {
  const [low, high] = type.price;
  return retailPrice(faker, Math.min(low / 0.6, high / 1.4), high / 1.4);
}

function brief(row: ProductRow, noun: string, modelName: string, mainTitle: string): ProductBrief {
  return {
    key: row.asin,
    role: row.role,
    category: row.category,
    brand: row.brand,
    noun,
    model: modelName,
    price: row.price,
    mainTitle,
  };
}

/**
 * The main product (from the spec, completed), similar products — the same type of product (a
 * tent's are tents), priced within ±20–40 % of it, at least 40 % under the main brand and the rest
 * under 2–3 competitors — and diverse products of other categories, each priced in its type's band.
 */
export function generateProducts(faker: Faker, params: ProductParams): GeneratedProduct[] {
  const spec = params.main;
  const categoryName =
    spec.category ?? (spec.title ? detectCategory(spec.title) : faker.helpers.arrayElement(CATEGORIES).name);
  const category = categoryByName(categoryName);
  const taken = new Set<string>(spec.asin ? [spec.asin] : []);
  const type = spec.title ? detectType(spec.title, category) : faker.helpers.arrayElement(category.types);
  const mainNoun = type.name;
  const mainModel = model(faker);
  const mainAsin = spec.asin ?? newAsin(faker, taken);
  const mainRow: ProductRow = {
    runId: params.runId,
    id: faker.string.uuid(),
    asin: mainAsin,
    role: ProductRole.MAIN,
    title: spec.title ?? '',
    brand: spec.brand ?? faker.helpers.arrayElement(category.brands),
    description: spec.description ?? '',
    category: category.name,
    price: spec.price ?? mainPrice(faker, type),
    starRating: spec.starRating ?? faker.number.float({ min: 3.5, max: 4.8, fractionDigits: 1 }),
    numRatings: spec.numRatings ?? faker.number.int({ min: 50, max: 5000 }),
    // Review counts are set by the order planner, which decides who reviews what.
    reviewCount: 0,
    photos: photos(faker, mainAsin),
    productUrl: `https://www.amazon.com/dp/${mainAsin}`,
    isMock: false,
  };
  const mainTitle = mainRow.title || `${mainRow.brand} ${mainNoun} ${mainModel}`;
  const products: GeneratedProduct[] = [
    { row: mainRow, noun: mainNoun, brief: brief(mainRow, mainNoun, mainModel, mainTitle) },
  ];

  // Brands: at least 40 % the main brand, the rest from 2–3 competitors, in shuffled positions.
  const sameBrand = Math.ceil(params.similarCount * 0.4);
  const competitors = faker.helpers.arrayElements(
    category.brands.filter((b) => b !== mainRow.brand),
    Math.min(params.similarCount - sameBrand, faker.number.int({ min: 2, max: 3 })),
  );
  const brands = faker.helpers.shuffle(
    Array.from({ length: params.similarCount }, (_, i) =>
      i < sameBrand || competitors.length === 0
        ? mainRow.brand
        : competitors[(i - sameBrand) % competitors.length],
    ),
  );
  const mainCents = Math.max(1, toCents(mainRow.price));
  for (const brand of brands) {
    const deviation = faker.number.float({ min: 0.2, max: 0.4 }) * (faker.datatype.boolean() ? 1 : -1);
    products.push(
      mockProduct(
        faker,
        params,
        ProductRole.SIMILAR,
        category,
        type,
        brand,
        Math.max(1, Math.round(mainCents * (1 + deviation))),
        taken,
        mainTitle,
      ),
    );
  }

  const others = faker.helpers.shuffle(CATEGORIES.filter((c) => c.name !== category.name));
  for (let i = 0; i < params.diverseCount; i++) {
    const other = others[i % others.length];
    const otherType = faker.helpers.arrayElement(other.types);
    products.push(
      mockProduct(
        faker,
        params,
        ProductRole.DIVERSE,
        other,
        otherType,
        faker.helpers.arrayElement(other.brands),
        toCents(retailPrice(faker, otherType.price[0], otherType.price[1])),
        taken,
        mainTitle,
      ),
    );
  }
  return products;
}

function mockProduct(
  faker: Faker,
  params: ProductParams,
  role: ProductRole,
  category: Category,
  type: ProductType,
  brand: string,
  cents: number,
  taken: Set<string>,
  mainTitle: string,
): GeneratedProduct {
  const asin = newAsin(faker, taken);
  const noun = type.name;
  const modelName = model(faker);
  const row: ProductRow = {
    runId: params.runId,
    id: faker.string.uuid(),
    asin,
    role,
    title: '',
    brand,
    description: '',
    category: category.name,
    price: fromCents(cents),
    starRating: faker.number.float({ min: 3.0, max: 5.0, fractionDigits: 1 }),
    numRatings: faker.number.int({ min: 50, max: 5000 }),
    reviewCount: 0,
    photos: photos(faker, asin),
    productUrl: `https://www.amazon.com/dp/${asin}`,
    isMock: true,
  };
  return { row, noun, brief: brief(row, noun, modelName, mainTitle) };
}
