/**
 * Splits `total` into integer parts proportional to `weights` by largest remainder: the parts
 * add up to `total` and each is its exact share rounded; ties go to the earlier weight. Used
 * wherever a split must be exact rather than sampled (sentiment spreads, role and status splits,
 * conversations over days and hours).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let missing = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, rest: e - Math.floor(e) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    parts[i]++;
    missing--;
  }
  return parts;
}
