import { Sentiment } from '../../entities/enums';
import { allocate } from '../allocate';
import type { SentimentSpread } from './sentiment';

/**
 * How a product's reviews spread over 1–5 stars given its star rating: p(k) ∝ exp(β·k), with β
 * solved so the mean is the rating. 3.0 is flat; 4.5 puts ~64 % on five stars and few on one; the
 * shape is the J-less, monotone version of what marketplaces show, which is what lets every
 * product's reviews average to its rating.
 */
export function starDistribution(rating: number): number[] {
  const target = Math.min(4.95, Math.max(1.05, rating));
  const mean = (beta: number) => {
    const w = [1, 2, 3, 4, 5].map((k) => Math.exp(beta * (k - 3)));
    const sum = w.reduce((a, b) => a + b, 0);
    return w.reduce((acc, x, i) => acc + x * (i + 1), 0) / sum;
  };
  let lo = -20;
  let hi = 20;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (mean(mid) < target) lo = mid;
    else hi = mid;
  }
  const w = [1, 2, 3, 4, 5].map((k) => Math.exp(lo * (k - 3)));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/**
 * Exact star counts (index 0 = one star) for `n` reviews of a product rated `rating`: the
 * distribution's shares by largest remainder, then nudged one review at a time towards the rating,
 * so the reviews' mean is as close to it as `n` reviews allow.
 */
export function starCounts(n: number, rating: number): number[] {
  const counts = allocate(n, starDistribution(rating));
  if (n === 0) return counts;
  const total = () => counts.reduce((acc, c, i) => acc + c * (i + 1), 0);
  for (let guard = 0; guard < 4 * n; guard++) {
    const gap = rating * n - total();
    if (Math.abs(gap) < 0.5 + 1e-9) break;
    // Move one review a star up (or down), from the most common level that can move.
    const movable = counts
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => c > 0 && (gap > 0 ? i < 4 : i > 0))
      .sort((a, b) => b.c - a.c);
    if (!movable.length) break;
    const { i } = movable[0];
    counts[i]--;
    counts[gap > 0 ? i + 1 : i - 1]++;
  }
  return counts;
}

/**
 * The main product's default sentiment spread when the client gives none: the shares of good
 * (4–5 stars), neutral (3) and bad (1–2) reviews of its star rating, in whole percent (4.5★ →
 * 88/8/4, 4.0★ → 72/15/13, 3.5★ → 55/19/26).
 */
export function spreadFromRating(rating: number): SentimentSpread {
  const p = starDistribution(rating);
  const [good, neutral, bad] = allocate(100, [p[3] + p[4], p[2], p[0] + p[1]]);
  return { good, neutral, bad };
}

/**
 * Stars for reviews whose sentiments are fixed (the main product's exact spread): within good,
 * 4 vs 5 stars, and within bad, 1 vs 2, split in the rating's proportions. Returns the stars of
 * each sentiment, to be dealt out in order.
 */
export function starsBySentiment(
  counts: Record<Sentiment, number>,
  rating: number,
): Record<Sentiment, number[]> {
  const p = starDistribution(rating);
  const [fours, fives] = allocate(counts[Sentiment.POSITIVE], [p[3], p[4]]);
  const [ones, twos] = allocate(counts[Sentiment.NEGATIVE], [p[0], p[1]]);
  return {
    [Sentiment.POSITIVE]: [...Array(fives).fill(5), ...Array(fours).fill(4)],
    [Sentiment.NEUTRAL]: Array(counts[Sentiment.NEUTRAL]).fill(3),
    [Sentiment.NEGATIVE]: [...Array(twos).fill(2), ...Array(ones).fill(1)],
  };
}
