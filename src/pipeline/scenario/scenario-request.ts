import { RunScenarioId, type ScenarioId } from '../../../entities/enums';
import type { MainProductSpec } from '../../../generators/ecommerce/products';
import {
  describeCombinations,
  scenarioById,
  scenarioByFlags,
  type ScenarioConfig,
  type ScenarioCounts,
  type Warmth,
} from '../../../generators/ecommerce/scenarios';
import { shopperCount, type ApiReview } from '../../../generators/ecommerce/orders';
import {
  sentimentOfStars,
  spreadCounts,
  type SentimentSpread,
} from '../../../generators/ecommerce/sentiment';
import type { MainUserSpec } from '../../../generators/ecommerce/users';
import { BadUserInputError } from '../../errors';

type Maybe<T> = T | null | undefined;

/**
 * A generateScenario input as the API validated it (its GraphQL class satisfies this shape; the
 * pipeline does not depend on the GraphQL layer).
 */
export interface ScenarioInput {
  scenario?: Maybe<ScenarioId>;
  productWarmth?: Maybe<Warmth>;
  userWarmth?: Maybe<Warmth>;
  userPurchasedExact?: Maybe<boolean>;
  userPurchasedSimilar?: Maybe<boolean>;
  userReviewedExact?: Maybe<boolean>;
  userReviewedSimilar?: Maybe<boolean>;
  mainUser?: Maybe<MainUserSpec>;
  mainProduct?: Maybe<MainProductSpec>;
  apiReviews?: Maybe<readonly ApiReview[]>;
  sentimentSpread?: Maybe<SentimentSpread>;
  overrides?: Maybe<{ [K in keyof ScenarioCounts]?: Maybe<ScenarioCounts[K]> }>;
  embeddings?: Maybe<boolean>;
  maxCostUsd?: Maybe<string | number>;
  seed?: Maybe<number>;
  asOf?: Maybe<Date>;
}

/** The seed used when a client gives none (documented in the README). */
export const DEFAULT_SEED = 42;

/** Largest run, in rows over all tables; overrides beyond it are refused. */
export const MAX_SCENARIO_ROWS = 2_000_000;

/** Everything the pipeline needs, validated and with every default resolved. */
export interface ScenarioRequest {
  config: ScenarioConfig;
  /** The base scenario, or CUSTOM when any count differs from it. */
  scenarioId: RunScenarioId;
  baseScenarioId: ScenarioId;
  seed: number;
  asOf: Date;
  mainUser: MainUserSpec;
  mainProduct: MainProductSpec;
  apiReviews: ApiReview[];
  /** The main product's mock review spread; null = derived from its star rating. */
  spread: SentimentSpread | null;
  /** Whether products, users and reviews get embeddings (default true). */
  embeddings: boolean;
  /** Most the run's LLM calls may cost (USD), or null. */
  maxCostUsd: string | null;
  /** Upper bound of the rows the run writes (products + users + transactions + reviews). */
  maxRows: number;
  /** The normalized input, stored on the run so it can be replayed. */
  normalizedInput: Record<string, unknown>;
}

function bad(field: string, message: string): never {
  throw new BadUserInputError(message, field);
}

const FLAG_FIELDS = [
  'productWarmth',
  'userWarmth',
  'userPurchasedExact',
  'userPurchasedSimilar',
  'userReviewedExact',
  'userReviewedSimilar',
] as const;

function resolveBase(input: ScenarioInput): ScenarioConfig {
  const given = FLAG_FIELDS.filter((f) => input[f] !== null && input[f] !== undefined);
  let byFlags: ScenarioConfig | undefined;
  if (given.length > 0) {
    const missing = FLAG_FIELDS.find((f) => input[f] === null || input[f] === undefined);
    if (missing)
      bad(`input.${missing}`, `Give all of ${FLAG_FIELDS.join(', ')} (or a scenario); ${missing} is missing`);
    byFlags = scenarioByFlags(input.productWarmth!, input.userWarmth!, {
      userPurchasedExact: input.userPurchasedExact!,
      userPurchasedSimilar: input.userPurchasedSimilar!,
      userReviewedExact: input.userReviewedExact!,
      userReviewedSimilar: input.userReviewedSimilar!,
    });
    if (!byFlags)
      bad('input.scenario', `These flags match no scenario. Valid combinations: ${describeCombinations()}`);
  }
  if (input.scenario) {
    const named = scenarioById(input.scenario);
    if (byFlags && byFlags.id !== named.id) {
      bad('input.scenario', `scenario ${named.id} contradicts the flags, which describe ${byFlags.id}`);
    }
    return named;
  }
  if (byFlags) return byFlags;
  return bad(
    'input.scenario',
    `Give a scenario (A1–C4) or the flags. Valid combinations: ${describeCombinations()}`,
  );
}

function resolveCounts(base: ScenarioConfig, input: ScenarioInput): ScenarioCounts {
  const o = input.overrides ?? {};
  const d = base.counts;
  const f = base.flags;
  const counts: ScenarioCounts = {
    ...d,
    similarProducts: o.similarProducts ?? d.similarProducts,
    diverseProducts: o.diverseProducts ?? d.diverseProducts,
    mockUsers: o.mockUsers ?? d.mockUsers,
    mainProductReviews: o.mainProductReviews ?? d.mainProductReviews,
    reviewsPerSimilarProduct: o.reviewsPerSimilarProduct ?? d.reviewsPerSimilarProduct,
    reviewsPerDiverseProduct: o.reviewsPerDiverseProduct ?? d.reviewsPerDiverseProduct,
    mainProductSilentPurchases: o.mainProductSilentPurchases
      ? { min: o.mainProductSilentPurchases.min, max: o.mainProductSilentPurchases.max }
      : d.mainProductSilentPurchases,
    similarSilentPurchases: o.similarSilentPurchases
      ? { min: o.similarSilentPurchases.min, max: o.similarSilentPurchases.max }
      : d.similarSilentPurchases,
    mainUserSimilarPurchases: o.mainUserSimilarPurchases ?? d.mainUserSimilarPurchases,
    mainUserSimilarReviews: o.mainUserSimilarReviews ?? d.mainUserSimilarReviews,
  };
  const field = (name: string) => `input.overrides.${name}`;
  if (base.productWarmth === 'WARM' && counts.mainProductReviews < 1) {
    bad(field('mainProductReviews'), `Scenario ${base.id} has a warm product: it needs at least 1 review`);
  }
  if (base.productWarmth === 'COLD' && counts.mainProductReviews > 0) {
    bad(
      field('mainProductReviews'),
      `Scenario ${base.id} has a cold product: the main product has no reviews`,
    );
  }
  if (f.userPurchasedSimilar) {
    if (counts.mainUserSimilarPurchases < 1 || counts.mainUserSimilarPurchases > counts.similarProducts) {
      bad(
        field('mainUserSimilarPurchases'),
        `Scenario ${base.id}: the main user buys 1–${counts.similarProducts} distinct similar products`,
      );
    }
  } else if (counts.mainUserSimilarPurchases !== 0) {
    bad(field('mainUserSimilarPurchases'), `Scenario ${base.id}: the main user bought no similar product`);
  }
  if (f.userReviewedSimilar) {
    const most = base.reviewsWithoutPurchase ? counts.similarProducts : counts.mainUserSimilarPurchases;
    if (counts.mainUserSimilarReviews < 1 || counts.mainUserSimilarReviews > most) {
      bad(
        field('mainUserSimilarReviews'),
        `Scenario ${base.id}: the main user reviews 1–${most} similar products`,
      );
    }
  } else if (counts.mainUserSimilarReviews !== 0) {
    bad(field('mainUserSimilarReviews'), `Scenario ${base.id}: the main user reviewed no similar product`);
  }
  return counts;
}

/** Upper bound of the rows a run with these counts writes. */
function maxRows(c: ScenarioCounts): number {
  const products = 1 + c.similarProducts + c.diverseProducts;
  const users = 1 + shopperCount(c);
  const reviews =
    c.mainProductReviews +
    c.reviewsPerSimilarProduct * c.similarProducts +
    c.reviewsPerDiverseProduct * c.diverseProducts +
    c.mainUserExactReviews +
    c.mainUserSimilarReviews;
  const transactions =
    reviews +
    c.mainProductSilentPurchases.max +
    c.similarSilentPurchases.max +
    c.mainUserExactPurchases +
    c.mainUserSimilarPurchases;
  return products + users + transactions + reviews;
}

function sameCounts(a: ScenarioCounts, b: ScenarioCounts): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Validates a generateScenario input beyond its declarative rules (which scenario it names, how
 * overrides fit that scenario, client reviews against the spread, the size cap) and resolves
 * every default. `today` is read by the caller: generation itself never looks at the clock.
 */
export function resolveScenarioRequest(input: ScenarioInput, today: Date): ScenarioRequest {
  const base = resolveBase(input);
  const counts = resolveCounts(base, input);
  const rows = maxRows(counts);
  if (rows > MAX_SCENARIO_ROWS) {
    bad(
      'input.overrides',
      `These overrides would write up to ${rows} rows; the limit is ${MAX_SCENARIO_ROWS}`,
    );
  }
  if (counts.mockUsers < 1) bad('input.overrides.mockUsers', 'At least one mock shopper is needed');

  // Without a spread, the main product's reviews follow its star rating (decided by the generator).
  const spread: SentimentSpread | null = input.sentimentSpread
    ? {
        good: input.sentimentSpread.good,
        neutral: input.sentimentSpread.neutral,
        bad: input.sentimentSpread.bad,
      }
    : null;
  const apiReviews: ApiReview[] = (input.apiReviews ?? []).map((r) => ({
    title: r.title,
    text: r.text,
    stars: r.stars,
  }));
  if (apiReviews.length > 0) {
    if (base.productWarmth !== 'WARM') {
      bad('input.apiReviews', `Scenario ${base.id} has a cold product: it cannot have reviews`);
    }
    if (apiReviews.length > counts.mainProductReviews) {
      bad(
        'input.apiReviews',
        `${apiReviews.length} reviews given but the main product gets ${counts.mainProductReviews}; raise overrides.mainProductReviews`,
      );
    }
    // A given spread holds exactly, so the client's reviews must fit in it.
    const target: Record<string, number> = spread ? spreadCounts(counts.mainProductReviews, spread) : {};
    for (const [sentiment, wanted] of Object.entries(target)) {
      const given = apiReviews.filter((r) => sentimentOfStars(r.stars) === sentiment).length;
      if (given > wanted) {
        bad(
          'input.apiReviews',
          `${given} ${sentiment.toLowerCase()} reviews given, but the sentiment spread allows ${wanted} of ${counts.mainProductReviews}`,
        );
      }
    }
  }

  const asOf = input.asOf
    ? input.asOf
    : new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const seed = input.seed ?? DEFAULT_SEED;
  const custom = !sameCounts(counts, base.counts);
  const config: ScenarioConfig = { ...base, counts };
  const mainUser: MainUserSpec = { ...(input.mainUser ?? {}) };
  const mainProduct: MainProductSpec = { ...(input.mainProduct ?? {}) };
  if (mainProduct.price !== null && mainProduct.price !== undefined)
    mainProduct.price = normalizePrice(mainProduct.price);
  return {
    config,
    scenarioId: custom ? RunScenarioId.CUSTOM : base.id,
    baseScenarioId: base.id,
    seed,
    asOf,
    mainUser,
    mainProduct,
    apiReviews,
    spread,
    maxRows: rows,
    embeddings: input.embeddings ?? true,
    maxCostUsd: input.maxCostUsd === null || input.maxCostUsd === undefined ? null : String(input.maxCostUsd),
    normalizedInput: {
      embeddings: input.embeddings ?? true,
      maxCostUsd: input.maxCostUsd ?? null,
      scenario: base.id,
      custom,
      counts,
      seed,
      asOf: asOf.toISOString(),
      mainUser,
      mainProduct,
      apiReviews,
      sentimentSpread: spread,
    },
  };
}

/** "29.9" → "29.90": prices are stored with exactly two decimals. */
function normalizePrice(price: string | number): string {
  const [whole, fraction = ''] = String(price).split('.');
  return `${Number(whole)}.${(fraction + '00').slice(0, 2)}`;
}
