import type { Censoring, MealContext, Specimen } from "@/db/schema/readings-enums";
import { localClockOf, type LocalCalendarPeriod } from "@/lib/time/calendar";

/**
 * Glycemic metrics of the international consensus on time in range (Battelino et al., Diabetes
 * Care 2019; the team's CLINICAL.md): mean, SD, CV, GMI, times in ranges, days with data, days of
 * wear, sensor active percentage and data sufficiency. Pure: no clock, no I/O, no rounding of
 * results (callers round for display; lib/fhir/cgm-summary rounds to its reporting precision).
 *
 * Rules, each tested in glycemic.test.ts:
 * - Period: either a local-calendar period (lib/time/calendar: the patient's zone, a first date
 *   and a number of days; what reports use) or two instants `start` and `end`. Readings at or after
 *   the start and strictly before the end count; others are ignored.
 * - Specimen: by default only CGM (interstitial) readings are summarized, because the consensus
 *   metrics are defined on CGM data; `specimen: "capillary"` summarizes fingersticks instead and
 *   `"any"` pools both (wear metrics then still count CGM readings only).
 * - Duplicates: readings of the same specimen at the same instant (to the millisecond) are one
 *   reading, the first one given; the same reading often arrives through two doors.
 * - Censored LO/HI readings count below/above every threshold (very low / very high), whatever
 *   limit they carry. In mean, SD, CV and GMI they take their limit value (`valueMgdl`, e.g. 40 for
 *   a sensor "Low"), as Dexcom Clarity and the Omnipod 5 history do, so those are bounds: the true
 *   mean is lower (LO) or higher (HI). `censored` reports how many there were.
 * - Range boundaries: see `classifyGlucose`.
 * - SD is the sample standard deviation (n - 1); null below two readings. CV = SD / mean x 100.
 * - GMI (%) = 3.31 + 0.02392 x mean mg/dL (Bergenstal et al., Diabetes Care 2018).
 * - Times in ranges are percentages of readings (not time-weighted), full precision.
 * - Days: for a local-calendar period, the patient's local days: a local date with at least one
 *   reading is a day with data, and for CGM readings a day of wear, so a fortnight across a clock
 *   change has at most 14. For two instants, 24-hour windows counted from `start` (the older rule,
 *   kept for callers that only have instants: it finds a 15th day in such a fortnight).
 * - Sensor active % = CGM readings / expected readings x 100, capped at 100; expected readings =
 *   whole expected intervals in the real length of the period (14 days at 5 minutes: 4032; a
 *   London fortnight across the October change lasts an hour more: 4044; a 23-hour day: 276).
 * - Sufficiency: the period has at least 14 local days (for two instants: spans at least 14 days
 *   less one hour, for a daylight-saving day) and the sensor was active at least 70% of it.
 */

export interface GlycemicReading {
  /** Normalized value in mg/dL; for a censored reading, the meter's limit. */
  valueMgdl: number;
  censored: Censoring | null;
  effectiveAt: Date;
  specimen: Specimen;
  /** When a fingerstick was taken relative to a meal, as the person recorded it; absent when not recorded. */
  mealContext?: MealContext | null;
}

/** The period summarized: a local-calendar period, or two instants (days are then 24-hour windows). */
export type SummaryPeriod = { period: LocalCalendarPeriod; start?: never; end?: never } | { start: Date; end: Date; period?: never };

export type GlycemicSummaryOptions = SummaryPeriod & {
  /** The CGM's sampling interval; 5 minutes (Dexcom, Libre 3) unless given. */
  expectedIntervalMinutes?: number;
  /** Which readings are summarized; CGM (interstitial) unless given. */
  specimen?: Specimen | "any";
};

export const glucoseRanges = ["veryLow", "low", "inRange", "high", "veryHigh"] as const;
export type GlucoseRange = (typeof glucoseRanges)[number];

/** Consensus bounds in whole mg/dL (CLINICAL.md): <54, 54-69, 70-180, 181-250, >250. */
export const GLUCOSE_RANGE_BOUNDS_MGDL = {
  veryLow: { max: 53 },
  low: { min: 54, max: 69 },
  inRange: { min: 70, max: 180 },
  high: { min: 181, max: 250 },
  veryHigh: { min: 251 },
} as const;

export const DEFAULT_EXPECTED_INTERVAL_MINUTES = 5;
export const SUFFICIENT_DAYS = 14;
export const SUFFICIENT_ACTIVE_PERCENT = 70;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The range a value falls in. Boundary rule: the value is first rounded to the nearest whole
 * mg/dL, halves up (the display precision: 69.5 -> 70, 53.5 -> 54, 180.5 -> 181, 250.4 -> 250),
 * then compared with the whole-number consensus bounds above. So 69.5 mg/dL is in range and
 * 180.5 is high. This also puts mmol/L readings (stored as value x 18.01559) in the consensus
 * mmol/L bands: 3.9 mmol/L = 70.26 mg/dL is in range, 10.0 = 180.16 is in range, 10.1 = 181.96 is
 * high, 13.9 = 250.42 is high, 14.0 = 252.22 is very high. A strict comparison on the unrounded
 * value would call 10.0 mmol/L "high". Censored readings go below or above every threshold.
 */
export function classifyGlucose(valueMgdl: number, censored: Censoring | null = null): GlucoseRange {
  if (censored === "below") return "veryLow";
  if (censored === "above") return "veryHigh";
  const whole = wholeMgdl(valueMgdl);
  if (whole < GLUCOSE_RANGE_BOUNDS_MGDL.low.min) return "veryLow";
  if (whole < GLUCOSE_RANGE_BOUNDS_MGDL.inRange.min) return "low";
  if (whole <= GLUCOSE_RANGE_BOUNDS_MGDL.inRange.max) return "inRange";
  if (whole <= GLUCOSE_RANGE_BOUNDS_MGDL.high.max) return "high";
  return "veryHigh";
}

/**
 * The boundary rule every threshold comparison shares (ranges here, alert episodes in lib/alerts):
 * the value rounded to whole mg/dL, halves up, as it is displayed.
 */
export function wholeMgdl(valueMgdl: number): number {
  if (!Number.isFinite(valueMgdl)) throw new RangeError(`Not a glucose value: ${valueMgdl}`);
  return Math.round(valueMgdl);
}

/** GMI (%) from a mean in mg/dL. */
export function glucoseManagementIndicator(meanMgdl: number): number {
  return 3.31 + 0.02392 * meanMgdl;
}

export interface CgmWear {
  expectedIntervalMinutes: number;
  /** Whole expected intervals in the real length of the period. */
  expectedReadings: number;
  /** Distinct CGM readings in the period. */
  cgmReadings: number;
  /** Local days (or, for two instants, 24-hour windows from `start`) with at least one CGM reading. */
  daysOfWear: number;
  /** cgmReadings / expectedReadings x 100, at most 100. */
  sensorActivePercent: number;
}

export interface GlycemicSummary {
  start: Date;
  end: Date;
  /** The local-calendar period summarized; null when the summary was asked for two instants. */
  period: LocalCalendarPeriod | null;
  /** Local days of the period; for two instants, (end - start) in 24-hour days, fractional. */
  periodDays: number;
  specimen: Specimen | "any";
  /** Distinct readings summarized (in the period, of the specimen, duplicates removed). */
  readingCount: number;
  /** Same specimen, same instant as an earlier reading: counted once. */
  duplicatesIgnored: number;
  /** Of the specimen but before `start` or at/after `end`. */
  outsidePeriodIgnored: number;
  /** Censored readings among those summarized. */
  censored: { below: number; above: number };
  /** null when there are no readings. */
  meanMgdl: number | null;
  /** Sample SD; null below two readings. */
  sdMgdl: number | null;
  cvPercent: number | null;
  gmiPercent: number | null;
  rangeCounts: Record<GlucoseRange, number>;
  /** Percent of readings in each range, full precision; null when there are no readings. */
  timeInRangesPercent: Record<GlucoseRange, number> | null;
  /** Local days (or, for two instants, 24-hour windows from `start`) with at least one summarized reading. */
  daysWithData: number;
  /** CGM wear; null when only fingersticks are summarized. */
  wear: CgmWear | null;
  sufficiency: {
    /** At least 14 local days (for two instants: 14 days less an hour, for a daylight-saving day). */
    enoughDays: boolean;
    /** The sensor was active at least 70% of the period. */
    enoughActive: boolean;
    sufficient: boolean;
  };
}

function emptyRangeCounts(): Record<GlucoseRange, number> {
  return { veryLow: 0, low: 0, inRange: 0, high: 0, veryHigh: 0 };
}

function instantsOf(options: SummaryPeriod): { start: Date; end: Date; period: LocalCalendarPeriod | null } {
  if (options.period) return { start: options.period.start, end: options.period.end, period: options.period };
  const { start, end } = options;
  if (!(start instanceof Date) || !(end instanceof Date) || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new RangeError("start and end must be valid dates");
  }
  if (end.getTime() <= start.getTime()) throw new RangeError("end must be after start");
  return { start, end, period: null };
}

/**
 * The instants already taken, for the duplicate rule. Readings almost always arrive in time order
 * (the database sorts them), and while they do an instant is new exactly when it is later than the
 * latest: no set is needed. The first reading out of order switches to a set of all instants taken.
 * (A set of 25,920 epoch milliseconds costs more than the rest of the summary together.)
 */
class TakenInstants {
  private latestMs = Number.NEGATIVE_INFINITY;
  private readonly inOrder: number[] = [];
  private set: Set<number> | null = null;

  /** Records the instant and says whether it is new. */
  take(epochMs: number): boolean {
    if (this.set === null) {
      if (epochMs > this.latestMs) {
        this.latestMs = epochMs;
        this.inOrder.push(epochMs);
        return true;
      }
      this.set = new Set(this.inOrder);
    }
    if (this.set.has(epochMs)) return false;
    this.set.add(epochMs);
    return true;
  }
}

/** Distinct day numbers, cheap for readings in time order (the same day as the previous one is skipped). */
class DistinctDays {
  private readonly days = new Set<number>();
  private previous: number | null = null;

  add(day: number | null): void {
    if (day === null || day === this.previous) return;
    this.previous = day;
    this.days.add(day);
  }

  get count(): number {
    return this.days.size;
  }
}

export interface SummarizedReadings {
  summary: GlycemicSummary;
  /** The readings the summary counts (of the specimen, in the period, duplicates removed), in the order given. */
  summarized: readonly GlycemicReading[];
}

/** The summary together with the readings it counts, for metrics built on the same selection (lib/metrics/report). */
export function summarizeGlycemia(readings: readonly GlycemicReading[], options: GlycemicSummaryOptions): SummarizedReadings {
  const expectedIntervalMinutes = options.expectedIntervalMinutes ?? DEFAULT_EXPECTED_INTERVAL_MINUTES;
  const specimen = options.specimen ?? "interstitial";
  const { start, end, period } = instantsOf(options);
  if (!Number.isFinite(expectedIntervalMinutes) || expectedIntervalMinutes <= 0) {
    throw new RangeError("expectedIntervalMinutes must be a positive number");
  }
  const startMs = start.getTime();
  const endMs = end.getTime();
  const dayOf: (epochMs: number) => number | null = period ? localClockOf(period).dayIndexOf : (t) => Math.floor((t - startMs) / DAY_MS);

  // One pass selects the readings (specimen, period, duplicates) and accumulates everything but
  // the squared deviations, which need the mean: 90 days of CGM are 25,920 readings.
  const taken: Record<Specimen, TakenInstants> = { capillary: new TakenInstants(), interstitial: new TakenInstants() };
  const kept: GlycemicReading[] = [];
  let duplicatesIgnored = 0;
  let outsidePeriodIgnored = 0;
  const rangeCounts = emptyRangeCounts();
  const censored = { below: 0, above: 0 };
  let sum = 0;
  const daysWithData = new DistinctDays();
  const daysOfWear = new DistinctDays();
  let cgmReadings = 0;
  for (const reading of readings) {
    if (specimen !== "any" && reading.specimen !== specimen) continue;
    const t = reading.effectiveAt.getTime();
    if (Number.isNaN(t)) throw new RangeError("A reading has an invalid effectiveAt");
    if (!Number.isFinite(reading.valueMgdl)) throw new RangeError(`A reading has a non-numeric value: ${reading.valueMgdl}`);
    if (t < startMs || t >= endMs) {
      outsidePeriodIgnored += 1;
      continue;
    }
    if (!taken[reading.specimen].take(t)) {
      duplicatesIgnored += 1;
      continue;
    }
    kept.push(reading);
    rangeCounts[classifyGlucose(reading.valueMgdl, reading.censored)] += 1;
    if (reading.censored) censored[reading.censored] += 1;
    sum += reading.valueMgdl;
    const day = dayOf(t);
    daysWithData.add(day);
    if (reading.specimen === "interstitial") {
      cgmReadings += 1;
      daysOfWear.add(day);
    }
  }

  const n = kept.length;
  const meanMgdl = n > 0 ? sum / n : null;
  let sdMgdl: number | null = null;
  if (meanMgdl !== null && n >= 2) {
    // Two passes (mean first, then squared deviations): no catastrophic cancellation.
    let squares = 0;
    for (const reading of kept) {
      const deviation = reading.valueMgdl - meanMgdl;
      squares += deviation * deviation;
    }
    sdMgdl = Math.sqrt(squares / (n - 1));
  }
  const cvPercent = meanMgdl !== null && sdMgdl !== null && meanMgdl > 0 ? (sdMgdl / meanMgdl) * 100 : null;
  const gmiPercent = meanMgdl !== null ? glucoseManagementIndicator(meanMgdl) : null;
  const timeInRangesPercent =
    n > 0 ? (Object.fromEntries(glucoseRanges.map((range) => [range, (rangeCounts[range] / n) * 100])) as Record<GlucoseRange, number>) : null;

  const periodMs = endMs - startMs;
  let wear: CgmWear | null = null;
  if (specimen !== "capillary") {
    const expectedReadings = Math.max(1, Math.floor(periodMs / (expectedIntervalMinutes * 60_000)));
    wear = {
      expectedIntervalMinutes,
      expectedReadings,
      cgmReadings,
      daysOfWear: daysOfWear.count,
      sensorActivePercent: Math.min(100, (cgmReadings / expectedReadings) * 100),
    };
  }
  const enoughDays = period ? period.days >= SUFFICIENT_DAYS : periodMs >= SUFFICIENT_DAYS * DAY_MS - HOUR_MS;
  const enoughActive = wear !== null && wear.sensorActivePercent >= SUFFICIENT_ACTIVE_PERCENT;

  const summary: GlycemicSummary = {
    start,
    end,
    period,
    periodDays: period ? period.days : periodMs / DAY_MS,
    specimen,
    readingCount: n,
    duplicatesIgnored,
    outsidePeriodIgnored,
    censored,
    meanMgdl,
    sdMgdl,
    cvPercent,
    gmiPercent,
    rangeCounts,
    timeInRangesPercent,
    daysWithData: daysWithData.count,
    wear,
    sufficiency: { enoughDays, enoughActive, sufficient: enoughDays && enoughActive },
  };
  return { summary, summarized: kept };
}

export function computeGlycemicSummary(readings: readonly GlycemicReading[], options: GlycemicSummaryOptions): GlycemicSummary {
  return summarizeGlycemia(readings, options).summary;
}
