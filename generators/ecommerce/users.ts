import type { Faker } from '@faker-js/faker';
import { EngagementLevel, Sentiment } from '../../entities/enums';
import type { User } from '../../entities/user.entity';
import { EMAIL_DOMAINS, FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES } from './names';
import { CITY_WEIGHTS, US_PLACES, type City } from './us-places';

export type UserRow = Omit<User, 'run'>;

/** The main user as a client described them; anything missing is generated. */
export interface MainUserSpec {
  name?: string | null;
  email?: string | null;
  age?: number | null;
  location?: string | null;
  zip?: string | null;
  gender?: string | null;
}

/** Age bands of the generations mock shoppers are spread over (ages 18–75). */
const GENERATIONS: readonly [number, number][] = [
  [18, 28], // Gen Z
  [29, 44], // Millennials
  [45, 60], // Gen X
  [61, 75], // Boomers
];

const GENDERS = ['Female', 'Male'] as const;

function emailLocalPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
}

/** A unique email for `name`: first.last@domain, with a number when that is taken. */
function uniqueEmail(faker: Faker, name: string, taken: Set<string>): string {
  const local = emailLocalPart(name) || 'shopper';
  const domain = faker.helpers.arrayElement(EMAIL_DOMAINS);
  let email = `${local}@${domain}`;
  for (let n = 2; taken.has(email); n++) email = `${local}${n}@${domain}`;
  taken.add(email);
  return email;
}

function emptyAggregates() {
  return {
    totalPurchases: 0,
    totalReviews: 0,
    reviewsWithoutPurchase: 0,
    reviewEngagementRate: 0,
    avgReviewRating: null,
    sentimentTendency: Sentiment.NEUTRAL,
    engagementLevel: EngagementLevel.LOW,
  };
}

/**
 * The main user (from the spec, completed) and `mockCount` mock shoppers: distinct names from
 * many origins, ages spread evenly over four generations, real city/state/ZIP combinations
 * (cities weighted by population, several ZIP codes each), a balanced gender split and emails
 * unique in the run (the main user's included). Aggregates
 * start empty; `withAggregates` fills them from what the order generator produced.
 */
export function generateUsers(faker: Faker, runId: string, main: MainUserSpec, mockCount: number): UserRow[] {
  const taken = new Set<string>();
  if (main.email) taken.add(main.email.toLowerCase());

  const mainGender = main.gender ?? faker.helpers.arrayElement(GENDERS);
  const mainName = main.name ?? personName(faker, mainGender);
  // A given location keeps its real ZIP when we know the city.
  const knownPlace = main.location
    ? US_PLACES.find((p) => `${p.city}, ${p.state}` === main.location)
    : undefined;
  const mainPlace = knownPlace ?? placeIn(faker, faker.helpers.weightedArrayElement(CITY_WEIGHTS));
  const mainUser: UserRow = {
    runId,
    id: faker.string.uuid(),
    name: mainName,
    email: main.email ?? uniqueEmail(faker, mainName, taken),
    age: main.age ?? faker.number.int({ min: 18, max: 75 }),
    location: main.location ?? `${mainPlace.city}, ${mainPlace.state}`,
    zip: main.zip ?? mainPlace.zip,
    gender: mainGender,
    isMainUser: true,
    persona: null,
    ...emptyAggregates(),
  };

  // Even splits, then shuffled, so small crowds are balanced too.
  const generations = faker.helpers.shuffle(
    Array.from({ length: mockCount }, (_, i) => GENERATIONS[i % GENERATIONS.length]),
  );
  const genders = faker.helpers.shuffle(
    Array.from({ length: mockCount }, (_, i) => GENDERS[i % GENDERS.length]),
  );
  const users: UserRow[] = [mainUser];
  const names = {
    Female: new NameSequence(faker, FEMALE_FIRST_NAMES),
    Male: new NameSequence(faker, MALE_FIRST_NAMES),
  };
  for (let i = 0; i < mockCount; i++) {
    const gender = genders[i];
    const name = names[gender].next();
    const place = placeIn(faker, faker.helpers.weightedArrayElement(CITY_WEIGHTS));
    const [minAge, maxAge] = generations[i];
    users.push({
      runId,
      id: faker.string.uuid(),
      name,
      email: uniqueEmail(faker, name, taken),
      age: faker.number.int({ min: minAge, max: maxAge }),
      location: `${place.city}, ${place.state}`,
      zip: place.zip,
      gender,
      isMainUser: false,
      persona: null,
      ...emptyAggregates(),
    });
  }
  return users;
}

/** One of a city's ZIP codes. */
function placeIn(faker: Faker, city: City) {
  return { city: city.city, state: city.state, zip: faker.helpers.arrayElement(city.zips) };
}

/**
 * Distinct names for a crowd: the k-th name is pair (a·k + b) mod (first names × last names), a
 * seeded stride coprime with the pair count, so no pair repeats until every one is used; after
 * that a middle initial (A., B., …) starts another round. ~60,000 pairs a gender: crowds of
 * 100,000 shoppers have no repeat at all.
 */
class NameSequence {
  private readonly pairs: number;
  private readonly stride: number;
  private readonly offset: number;
  private k = 0;

  constructor(
    faker: Faker,
    private readonly firsts: readonly string[],
  ) {
    this.pairs = firsts.length * LAST_NAMES.length;
    // Near the golden ratio of the pair count: neighbours in the crowd share neither name.
    let stride = Math.round(this.pairs * 0.6180339887) + faker.number.int({ max: 1000 });
    while (gcd(stride, this.pairs) !== 1) stride++;
    this.stride = stride;
    this.offset = faker.number.int({ max: this.pairs - 1 });
  }

  next(): string {
    const round = Math.floor(this.k / this.pairs);
    const pair = (this.stride * (this.k % this.pairs) + this.offset) % this.pairs;
    this.k++;
    const first = this.firsts[pair % this.firsts.length];
    const last = LAST_NAMES[Math.floor(pair / this.firsts.length)];
    return round === 0
      ? `${first} ${last}`
      : `${first} ${String.fromCharCode(64 + ((round - 1) % 26) + 1)}. ${last}`;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function personName(faker: Faker, gender: string): string {
  const firsts =
    gender === 'Male'
      ? MALE_FIRST_NAMES
      : gender === 'Female'
        ? FEMALE_FIRST_NAMES
        : [...FEMALE_FIRST_NAMES, ...MALE_FIRST_NAMES];
  return `${faker.helpers.arrayElement(firsts)} ${faker.helpers.arrayElement(LAST_NAMES)}`;
}

/** What a user did, counted while orders were generated. */
export interface UserActivity {
  purchases: number;
  /** Reviews backed by a purchase. */
  purchaseReviews: number;
  reviewsWithoutPurchase: number;
  starsSum: number;
}

/**
 * Engagement levels, stated once (the generator sets them, the run's contract checks them): a
 * shopper who reviewed at least `minReviews` things and `minRate` of their purchases is at that
 * level; someone without purchases is never HIGH (MEDIUM if they reviewed anyway, else LOW).
 */
export const ENGAGEMENT_RULES = {
  HIGH: { minReviews: 3, minRate: 0.75 },
  MEDIUM: { minReviews: 1, minRate: 0.3 },
} as const;

/** Sentiment tendency from the mean stars a shopper gave. */
export const TENDENCY_RULES = { positiveFrom: 4, negativeUpTo: 2.5 } as const;

export function engagementLevel(
  purchases: number,
  purchaseReviews: number,
  reviews: number,
): EngagementLevel {
  if (purchases === 0) return reviews > 0 ? EngagementLevel.MEDIUM : EngagementLevel.LOW;
  const rate = purchaseReviews / purchases;
  const { HIGH, MEDIUM } = ENGAGEMENT_RULES;
  if (reviews >= HIGH.minReviews && rate >= HIGH.minRate) return EngagementLevel.HIGH;
  if (reviews >= MEDIUM.minReviews && rate >= MEDIUM.minRate) return EngagementLevel.MEDIUM;
  return EngagementLevel.LOW;
}

/**
 * The user's aggregates, computed from their activity: engagement rate = reviewed purchases /
 * purchases; tendency and engagement level by the rules above.
 */
export function withAggregates(user: UserRow, activity: UserActivity): UserRow {
  const reviews = activity.purchaseReviews + activity.reviewsWithoutPurchase;
  const mean = reviews ? activity.starsSum / reviews : null;
  return {
    ...user,
    totalPurchases: activity.purchases,
    totalReviews: reviews,
    reviewsWithoutPurchase: activity.reviewsWithoutPurchase,
    reviewEngagementRate: activity.purchases ? round(activity.purchaseReviews / activity.purchases, 4) : 0,
    avgReviewRating: mean === null ? null : round(mean, 2),
    sentimentTendency:
      mean === null
        ? Sentiment.NEUTRAL
        : mean >= TENDENCY_RULES.positiveFrom
          ? Sentiment.POSITIVE
          : mean <= TENDENCY_RULES.negativeUpTo
            ? Sentiment.NEGATIVE
            : Sentiment.NEUTRAL,
    engagementLevel: engagementLevel(activity.purchases, activity.purchaseReviews, reviews),
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
