import type { Faker } from '@faker-js/faker';
import { Sentiment } from '../../entities/enums';
import { allocate } from '../allocate';

/** Percentages of good / neutral / bad reviews; they sum to 100. */
export interface SentimentSpread {
  good: number;
  neutral: number;
  bad: number;
}

export const DEFAULT_SPREAD: SentimentSpread = { good: 60, neutral: 25, bad: 15 };

/** good = 4–5 stars, neutral = 3, bad = 1–2. */
export function sentimentOfStars(stars: number): Sentiment {
  return stars >= 4 ? Sentiment.POSITIVE : stars === 3 ? Sentiment.NEUTRAL : Sentiment.NEGATIVE;
}

/** Stars consistent with a sentiment: good 4–5 (mostly 5), neutral 3, bad 1–2. */
export function starsFor(faker: Faker, sentiment: Sentiment): number {
  if (sentiment === Sentiment.NEUTRAL) return 3;
  const r = faker.number.float({ min: 0, max: 1 });
  return sentiment === Sentiment.POSITIVE ? (r < 0.6 ? 5 : 4) : r < 0.45 ? 1 : 2;
}

/**
 * Exact review counts per sentiment for `total` reviews, by largest remainder: they sum to
 * `total` and each is the spread's share rounded (ties go to good, then neutral, then bad).
 */
export function spreadCounts(total: number, spread: SentimentSpread): Record<Sentiment, number> {
  const [good, neutral, bad] = allocate(total, [spread.good, spread.neutral, spread.bad]);
  return { [Sentiment.POSITIVE]: good, [Sentiment.NEUTRAL]: neutral, [Sentiment.NEGATIVE]: bad };
}

/** Sentiment odds for reviews of a product with this star rating (3.0 → mostly mixed, 5.0 → glowing). */
export function sentimentOdds(starRating: number): SentimentSpread {
  const good = Math.round(Math.min(90, Math.max(30, 35 + (starRating - 3) * 27)));
  const bad = Math.round((100 - good) * 0.4);
  return { good, neutral: 100 - good - bad, bad };
}

/** Draws a sentiment with the given odds. */
export function drawSentiment(faker: Faker, odds: SentimentSpread): Sentiment {
  const r = faker.number.float({ min: 0, max: 100 });
  return r < odds.good
    ? Sentiment.POSITIVE
    : r < odds.good + odds.neutral
      ? Sentiment.NEUTRAL
      : Sentiment.NEGATIVE;
}
