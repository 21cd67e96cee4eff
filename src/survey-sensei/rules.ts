/**
 * How the original Survey Sensei computes a user's figures and labels (its Python agents; see the
 * reference), stated once: the survey-sensei export writes exactly these from the exported rows.
 */

/** What the rules read of a user: their purchases and the stars of their reviews. */
export interface UserActivity {
  purchases: number;
  stars: readonly number[];
}

export interface SurveySenseiFigures {
  totalPurchases: number;
  totalReviews: number;
  /** reviews / purchases, 3 decimals (0.000 without purchases). */
  reviewEngagementRate: string;
  /** Mean stars, 2 decimals (0.00 without reviews). */
  avgReviewRating: string;
  sentimentTendency: 'positive' | 'critical' | 'balanced' | 'polarized' | 'neutral';
  engagementLevel: 'highly_engaged' | 'moderately_engaged' | 'passive_buyer' | 'new_user';
}

/**
 * The rules, in the original's order. Labels read the exact values; the stored figures are
 * rounded as Python's `round` rounds a float (the exact binary value, halves to even).
 */
export function surveySenseiFigures({ purchases, stars }: UserActivity): SurveySenseiFigures {
  const reviews = stars.length;
  const rate = purchases > 0 ? reviews / purchases : 0;
  const mean = reviews > 0 ? stars.reduce((a, b) => a + b, 0) / reviews : 0;
  const spread = reviews >= 2 ? Math.sqrt(stars.reduce((sum, s) => sum + (s - mean) ** 2, 0) / reviews) : 0;
  const sentimentTendency =
    reviews === 0
      ? 'neutral'
      : mean >= 4.5
        ? 'positive'
        : mean <= 2.5
          ? 'critical'
          : spread > 1.5
            ? 'polarized'
            : reviews >= 3
              ? 'balanced'
              : 'neutral';
  const engagementLevel =
    reviews >= 5 && rate >= 0.7
      ? 'highly_engaged'
      : reviews >= 2 && rate >= 0.4
        ? 'moderately_engaged'
        : purchases > 0
          ? 'passive_buyer'
          : 'new_user';
  return {
    totalPurchases: purchases,
    totalReviews: reviews,
    reviewEngagementRate: pythonRound(rate, 3),
    avgReviewRating: pythonRound(mean, 2),
    sentimentTendency,
    engagementLevel,
  };
}

/**
 * Python's `round(x, digits)` for a float, as decimal text: the exact binary value of `x` rounded
 * to `digits` decimals, an exact half going to the even neighbour (round(2.675, 2) is 2.67 because
 * 2.675 is stored a little below; round(0.0625, 3) is 0.062).
 */
export function pythonRound(x: number, digits: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot round ${x}`);
  const negative = x < 0;
  // x = mantissa · 2^exponent exactly (IEEE 754 double).
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  // x · 10^digits = numerator / denominator, exactly.
  let numerator = mantissa * 10n ** BigInt(digits);
  let denominator = 1n;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  let q = numerator / denominator;
  const twice = 2n * (numerator - q * denominator);
  if (twice > denominator || (twice === denominator && q % 2n === 1n)) q += 1n;
  const text = q.toString().padStart(digits + 1, '0');
  const whole = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return negative && q !== 0n ? `-${whole}` : whole;
}
