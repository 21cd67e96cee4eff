import { ScenarioId } from '../../entities/enums';

export type Warmth = 'WARM' | 'COLD';

/** The four Survey Sensei flags: what the main user did with the main product and similar ones. */
export interface ScenarioFlags {
  userPurchasedExact: boolean;
  userPurchasedSimilar: boolean;
  userReviewedExact: boolean;
  userReviewedSimilar: boolean;
}

/** An inclusive integer range. */
export interface Range {
  min: number;
  max: number;
}

/** Every count a scenario decides; all of them can be overridden (within bounds). */
export interface ScenarioCounts {
  similarProducts: number;
  diverseProducts: number;
  mockUsers: number;
  /** Reviews of the main product by mock shoppers (the main user's own review is extra). */
  mainProductReviews: number;
  reviewsPerSimilarProduct: number;
  reviewsPerDiverseProduct: number;
  /** Purchases of the main product by mock shoppers that carry no review. */
  mainProductSilentPurchases: Range;
  /** Purchases of similar products by mock shoppers that carry no review (spread over them). */
  similarSilentPurchases: Range;
  mainUserExactPurchases: number;
  mainUserSimilarPurchases: number;
  mainUserExactReviews: number;
  mainUserSimilarReviews: number;
}

export interface ScenarioConfig {
  id: ScenarioId;
  group: 'A' | 'B' | 'C';
  productWarmth: Warmth;
  userWarmth: Warmth;
  flags: ScenarioFlags;
  counts: ScenarioCounts;
  /** C1: the main user reviewed similar products without buying them. */
  reviewsWithoutPurchase: boolean;
  description: string;
}

const flags = (pe: boolean, ps: boolean, re: boolean, rs: boolean): ScenarioFlags => ({
  userPurchasedExact: pe,
  userPurchasedSimilar: ps,
  userReviewedExact: re,
  userReviewedSimilar: rs,
});

const Y = true;
const N = false;

const GROUP_DEFAULTS = {
  A: {
    productWarmth: 'WARM' as Warmth,
    userWarmth: 'WARM' as Warmth,
    mainProductReviews: 100,
    reviewsPerSimilarProduct: 20,
    mockUsers: 20,
    mainProductSilentPurchases: { min: 10, max: 20 },
    similarSilentPurchases: { min: 50, max: 100 },
  },
  B: {
    productWarmth: 'COLD' as Warmth,
    userWarmth: 'WARM' as Warmth,
    mainProductReviews: 0,
    reviewsPerSimilarProduct: 30,
    mockUsers: 15,
    mainProductSilentPurchases: { min: 0, max: 5 },
    similarSilentPurchases: { min: 50, max: 100 },
  },
  C: {
    productWarmth: 'COLD' as Warmth,
    userWarmth: 'COLD' as Warmth,
    mainProductReviews: 0,
    reviewsPerSimilarProduct: 20,
    mockUsers: 10,
    mainProductSilentPurchases: { min: 0, max: 5 },
    similarSilentPurchases: { min: 30, max: 50 },
  },
};

function scenario(
  id: ScenarioId,
  f: ScenarioFlags,
  main: [exactPurchases: number, similarPurchases: number, exactReviews: number, similarReviews: number],
  description: string,
): ScenarioConfig {
  const group = id[0] as 'A' | 'B' | 'C';
  const g = GROUP_DEFAULTS[group];
  return {
    id,
    group,
    productWarmth: g.productWarmth,
    userWarmth: g.userWarmth,
    flags: f,
    counts: {
      similarProducts: 5,
      diverseProducts: 2,
      mockUsers: g.mockUsers,
      mainProductReviews: g.mainProductReviews,
      reviewsPerSimilarProduct: g.reviewsPerSimilarProduct,
      reviewsPerDiverseProduct: 3,
      mainProductSilentPurchases: g.mainProductSilentPurchases,
      similarSilentPurchases: g.similarSilentPurchases,
      mainUserExactPurchases: main[0],
      mainUserSimilarPurchases: main[1],
      mainUserExactReviews: main[2],
      mainUserSimilarReviews: main[3],
    },
    reviewsWithoutPurchase: id === ScenarioId.C1,
    description,
  };
}

/** The 12 scenarios of the Survey Sensei table, in order. */
export const SCENARIOS: readonly ScenarioConfig[] = [
  scenario(
    ScenarioId.A1,
    flags(Y, Y, Y, Y),
    [1, 3, 1, 3],
    'Reviewed product; the user bought and reviewed it and similar ones.',
  ),
  scenario(
    ScenarioId.A2,
    flags(Y, Y, Y, N),
    [1, 3, 1, 0],
    'Reviewed product; the user bought it and similar ones, reviewed only it.',
  ),
  scenario(
    ScenarioId.A3,
    flags(Y, Y, N, Y),
    [1, 3, 0, 3],
    'Reviewed product; the user bought it and similar ones, reviewed only similar ones.',
  ),
  scenario(
    ScenarioId.A4,
    flags(Y, Y, N, N),
    [1, 3, 0, 0],
    'Reviewed product; the user bought it and similar ones but never reviews.',
  ),
  scenario(
    ScenarioId.B1,
    flags(N, Y, N, Y),
    [0, 3, 0, 3],
    'New product; the user bought and reviewed similar ones.',
  ),
  scenario(
    ScenarioId.B2,
    flags(N, Y, N, N),
    [0, 3, 0, 0],
    'New product; the user bought similar ones without reviewing.',
  ),
  scenario(
    ScenarioId.B3,
    flags(Y, Y, N, Y),
    [1, 3, 0, 3],
    'New product the user bought once before (and again now); they reviewed similar ones.',
  ),
  scenario(
    ScenarioId.B4,
    flags(Y, Y, N, N),
    [1, 3, 0, 0],
    'New product the user bought once before (and again now); they bought similar ones, never reviewed.',
  ),
  scenario(
    ScenarioId.C1,
    flags(N, N, N, Y),
    [0, 0, 0, 2],
    'New product, new user who reviewed similar products without buying them.',
  ),
  scenario(ScenarioId.C2, flags(N, N, N, N), [0, 0, 0, 0], 'New product, new user with no history at all.'),
  scenario(
    ScenarioId.C3,
    flags(Y, N, N, N),
    [1, 0, 0, 0],
    'New product the new user bought once before (and again now); no other history.',
  ),
  scenario(
    ScenarioId.C4,
    flags(N, Y, N, N),
    [0, 2, 0, 0],
    'New product; the new user bought a couple of similar ones.',
  ),
];

/** The config of a scenario (A1…C4). */
export function scenarioById(id: ScenarioId): ScenarioConfig {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new Error(`Unknown scenario ${id}`);
  return found;
}

/** The scenario with exactly these warmths and flags, if any (each combination names one). */
export function scenarioByFlags(
  productWarmth: Warmth,
  userWarmth: Warmth,
  f: ScenarioFlags,
): ScenarioConfig | undefined {
  return SCENARIOS.find(
    (s) =>
      s.productWarmth === productWarmth &&
      s.userWarmth === userWarmth &&
      s.flags.userPurchasedExact === f.userPurchasedExact &&
      s.flags.userPurchasedSimilar === f.userPurchasedSimilar &&
      s.flags.userReviewedExact === f.userReviewedExact &&
      s.flags.userReviewedSimilar === f.userReviewedSimilar,
  );
}

/** "A1 = WARM product, WARM user, PE Y, PS Y, RE Y, RS Y; …" for error messages. */
export function describeCombinations(): string {
  const yn = (b: boolean) => (b ? 'Y' : 'N');
  return SCENARIOS.map(
    (s) =>
      `${s.id} = ${s.productWarmth} product, ${s.userWarmth} user, PE ${yn(s.flags.userPurchasedExact)}, PS ${yn(
        s.flags.userPurchasedSimilar,
      )}, RE ${yn(s.flags.userReviewedExact)}, RS ${yn(s.flags.userReviewedSimilar)}`,
  ).join('; ');
}
