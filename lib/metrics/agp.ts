import type { LocalClock } from "@/lib/time/calendar";
import type { GlycemicReading } from "./glycemic";
import { percentileOfSorted } from "./percentiles";

/**
 * The Ambulatory Glucose Profile (CLINICAL.md, AGP): every day of the period laid over one 24-hour
 * axis of the patient's LOCAL wall clock, cut into 96 bins of 15 minutes, each with the 5th, 25th,
 * 50th, 75th and 95th percentiles of the readings that fall in it. Pure.
 *
 * - Bins: `minute` 0, 15, ..., 1425 of the local day; a reading at 08:14:59 local is in bin 480.
 *   Local clock, not UTC and not "minutes since midnight": on the autumn change day the repeated
 *   hour's readings go twice into bins 60-105 (01:00-01:59 in London), on the spring day those
 *   bins get none that day, and every other reading stays at the hour the patient lived it.
 * - Percentiles: linear interpolation between closest ranks, R type 7 (lib/metrics/percentiles).
 * - Censored LO/HI readings enter as their limit (`valueMgdl`, e.g. 40 / 400 for a sensor), as in
 *   the mean: a percentile above all LO values (or below all HI values) is exact; one that lands on
 *   a limit is a bound.
 * - Minimum: a bin with fewer than AGP_MINIMUM_READINGS_PER_BIN readings has null percentiles (its
 *   count is still given), so the page draws a gap rather than a curve from one sensor-day.
 * - No smoothing: the values are the bins' own; a page may smooth the drawn curve.
 */

export const AGP_BIN_MINUTES = 15;
export const AGP_BIN_COUNT = (24 * 60) / AGP_BIN_MINUTES;

/**
 * Five: the fewest values for which the five percentiles rest on five distinct order statistics
 * (with n = 5, h = 0.2, 1, 2, 3, 3.8), and more than the three readings one day of a 5-minute
 * sensor puts in a bin, so a percentile band is never drawn from a single day of data. The report's
 * data sufficiency (14 days, 70% active) is what says whether the whole profile can be trusted.
 */
export const AGP_MINIMUM_READINGS_PER_BIN = 5;

export interface AgpBin {
  /** Start of the bin, in minutes after local midnight: 0, 15, ..., 1425. */
  minute: number;
  /** Percentiles in mg/dL; null when the bin has fewer than AGP_MINIMUM_READINGS_PER_BIN readings. */
  p5: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p95: number | null;
  /** Readings in the bin. */
  count: number;
}

/**
 * The 96 AGP bins of the given readings (the report passes the distinct CGM readings of its
 * period) on the period's local clock. Readings outside the clock's period are in no bin.
 */
export function computeAgp(readings: readonly GlycemicReading[], clock: LocalClock): AgpBin[] {
  const binValues: number[][] = Array.from({ length: AGP_BIN_COUNT }, () => []);
  for (const reading of readings) {
    const minute = clock.minuteOfDayOf(reading.effectiveAt.getTime());
    if (minute === null) continue;
    binValues[Math.floor(minute / AGP_BIN_MINUTES)]!.push(reading.valueMgdl);
  }
  return binValues.map((values, bin) => {
    const minute = bin * AGP_BIN_MINUTES;
    if (values.length < AGP_MINIMUM_READINGS_PER_BIN) return { minute, p5: null, p25: null, p50: null, p75: null, p95: null, count: values.length };
    // A Float64Array sorts numerically (an array's default sort compares strings).
    const sorted = Float64Array.from(values).sort();
    return {
      minute,
      p5: percentileOfSorted(sorted, 5),
      p25: percentileOfSorted(sorted, 25),
      p50: percentileOfSorted(sorted, 50),
      p75: percentileOfSorted(sorted, 75),
      p95: percentileOfSorted(sorted, 95),
      count: values.length,
    };
  });
}
