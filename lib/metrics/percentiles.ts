/**
 * The percentile definition every Lantern report uses: linear interpolation between closest
 * ranks, Hyndman and Fan's type 7 (the default of R's `quantile`, NumPy's `percentile` and
 * spreadsheet PERCENTILE.INC). For n sorted values x[0..n-1] and percent p, h = (n - 1) x p / 100;
 * the percentile is x[floor h] + (h - floor h) x (x[floor h + 1] - x[floor h]). So the 0th is the
 * minimum, the 100th the maximum and the 50th the usual median.
 *
 * The percent is a whole number so that h's fraction is computed exactly ((n - 1) x p mod 100,
 * over 100): the 95th of 5 values is then exactly x[3] + 0.8 x (x[4] - x[3]), with no binary noise
 * from 0.95, and whole-number readings give the hand-computed results to the last bit.
 */
export function percentileOfSorted(sortedAscending: ArrayLike<number>, percent: number): number {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new RangeError(`percent must be a whole number from 0 to 100, not ${percent}`);
  const n = sortedAscending.length;
  if (n === 0) throw new RangeError("No values to take a percentile of");
  const scaledRank = (n - 1) * percent; // h x 100, exact
  const lowerRank = Math.floor(scaledRank / 100);
  const fractionHundredths = scaledRank - lowerRank * 100;
  const lower = sortedAscending[lowerRank]!;
  if (fractionHundredths === 0) return lower;
  const upper = sortedAscending[lowerRank + 1]!;
  return lower + ((upper - lower) * fractionHundredths) / 100;
}
