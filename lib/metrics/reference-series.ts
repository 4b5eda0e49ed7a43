import type { Censoring, MealContext, Specimen } from "@/db/schema/readings-enums";
import type { AgpBin } from "./agp";
import type { GlucoseRange, GlycemicReading } from "./glycemic";
import type { CgmReportMetrics, FingerstickReportMetrics, ReportMealContext } from "./report";

/**
 * Reference series for the report metrics, with every expected value computed by hand (the
 * arithmetic is in the comments; the values are written as the exact fractions it gives). The
 * issue asks that the metrics match these exactly: report.test.ts checks each series.
 *
 * The series are built without lib/time: local times are turned into instants with the zones'
 * offsets written out here (from the tz database), so the fixtures do not share a bug with the
 * code they check.
 */

export interface ReferencePeriod {
  timeZone: string;
  startDate: string;
  days: number;
}

export interface ReferenceSeries {
  name: string;
  /** What the series is there to catch. */
  exercises: string;
  period: ReferencePeriod;
  readings: readonly GlycemicReading[];
  expected: {
    cgm: Omit<CgmReportMetrics, "agp">;
    /** All 96 bins. */
    agp: AgpBin[];
    fingerstick: FingerstickReportMetrics;
  };
}

/** A value received in mmol/L and the normalized mg/dL stored for it (value x 18.01559, three decimals). */
export interface MmolReference {
  mmolL: number;
  storedMgdl: number;
}

const MINUTE_MS = 60_000;
const FIVE_MINUTES_MS = 5 * MINUTE_MS;

function reading(effectiveAtMs: number, valueMgdl: number, specimen: Specimen, censored: Censoring | null = null, mealContext?: MealContext | null): GlycemicReading {
  return { valueMgdl, censored, effectiveAt: new Date(effectiveAtMs), specimen, ...(mealContext === undefined ? {} : { mealContext }) };
}

/** The instant of a local wall time at a fixed UTC offset (minutes east). */
function atOffset(localIso: string, utcOffsetMinutes: number): number {
  return Date.parse(`${localIso}Z`) - utcOffsetMinutes * MINUTE_MS;
}

/** 96 AGP bins, each from a function of its start minute. */
function agpBins(binOf: (minute: number) => Omit<AgpBin, "minute">): AgpBin[] {
  return Array.from({ length: 96 }, (_, bin) => ({ minute: bin * 15, ...binOf(bin * 15) }));
}

const emptyBin = { p5: null, p25: null, p50: null, p75: null, p95: null } as const;

function constantBin(value: number, count: number): Omit<AgpBin, "minute"> {
  return { p5: value, p25: value, p50: value, p75: value, p95: value, count };
}

function mealContextMeans(means: Partial<Record<ReportMealContext, { readings: number; meanMgdl: number }>>): FingerstickReportMetrics["byMealContext"] {
  const none = { readings: 0, meanMgdl: null };
  return {
    fasting: means.fasting ?? none,
    "before-meal": means["before-meal"] ?? none,
    "after-meal": means["after-meal"] ?? none,
    bedtime: means.bedtime ?? none,
    unspecified: means.unspecified ?? none,
  };
}

const noFingersticks: FingerstickReportMetrics = {
  readings: 0,
  duplicatesIgnored: 0,
  censored: { below: 0, above: 0 },
  readingsPerDay: 0,
  daysWithReadings: 0,
  meanMgdl: null,
  sdMgdl: null,
  cvPercent: null,
  below70: { count: 0, percent: null },
  below54: { count: 0, percent: null },
  byMealContext: mealContextMeans({}),
};

// ---------------------------------------------------------------------------------------------
// 1. London, 14 days across the October clock change.
//
// Europe/London 2026-10-18 to 2026-10-31. Clocks go back on Sunday 25 October at 02:00 BST
// (01:00 UTC): BST (+60) before, GMT (+0) after. The period runs from 2026-10-17T23:00Z (00:00
// BST) to 2026-11-01T00:00Z (00:00 GMT): 14 x 24 + 1 = 337 hours, so 337 x 12 = 4044 five-minute
// readings are expected, and arrive. The value of each reading is set by its LOCAL quarter hour:
// 80 + 2 x bin (bin = local minute / 15, 0-95: 80 mg/dL at 00:00 up to 270 at 23:45), so binning
// by UTC would mix values and the AGP percentiles would stop being constant.
// ---------------------------------------------------------------------------------------------

const LONDON_GMT_FROM_MS = Date.UTC(2026, 9, 25, 1);

function londonAutumnReadings(): GlycemicReading[] {
  const readings: GlycemicReading[] = [];
  for (let t = Date.UTC(2026, 9, 17, 23); t < Date.UTC(2026, 10, 1); t += FIVE_MINUTES_MS) {
    const offsetMinutes = t < LONDON_GMT_FROM_MS ? 60 : 0;
    const localMinute = (t / MINUTE_MS + offsetMinutes) % 1440;
    readings.push(reading(t, 80 + 2 * Math.floor(localMinute / 15), "interstitial"));
  }
  return readings;
}

/**
 * Per bin: 14 days x 3 readings = 42, except bins 4-7 (01:00-01:59), lived twice on the 25th:
 * 42 + 3 = 45. Total 96 x 42 + 4 x 3 = 4032 + 12 = 4044.
 * Sum: 42 x sum(80 + 2b, b = 0..95) + 3 x (88 + 90 + 92 + 94)
 *    = 42 x (96 x 80 + 2 x 4560) + 3 x 364 = 42 x 16800 + 1092 = 705600 + 1092 = 706692.
 * Mean 706692 / 4044 = 174.7507...
 * Sum of squares: sum((80 + 2b)^2) = 96 x 6400 + 320 x 4560 + 4 x 290320 (sum of b^2 = 95 x 96 x
 * 191 / 6) = 614400 + 1459200 + 1161280 = 3234880; x 42 = 135864960; plus 3 x (88^2 + 90^2 + 92^2
 * + 94^2) = 3 x 33144 = 99432: 135964392.
 * Sample variance = (n x sum sq - sum^2) / (n (n - 1)) = (4044 x 135964392 - 706692^2) / (4044 x
 * 4043) = (549840001248 - 499413582864) / 16349892 = 50426418384 / 16349892; SD 55.5356...
 * Ranges: in range 70-180 = bins 0-50 (80..180): 51 x 42 + 4 x 3 = 2154; high 181-250 = bins
 * 51-85 (182..250): 35 x 42 = 1470; very high = bins 86-95 (252..270): 10 x 42 = 420.
 */
const londonMean = 706692 / 4044;
const londonSd = Math.sqrt(50426418384 / 16349892);

export const londonAutumnFortnight: ReferenceSeries = {
  name: "London fortnight across the October clock change",
  exercises: "14 local days (not 15), 4044 expected readings, AGP on the local clock with the repeated hour",
  period: { timeZone: "Europe/London", startDate: "2026-10-18", days: 14 },
  readings: londonAutumnReadings(),
  expected: {
    cgm: {
      readings: 4044,
      duplicatesIgnored: 0,
      censored: { below: 0, above: 0 },
      meanMgdl: londonMean,
      sdMgdl: londonSd,
      cvPercent: (londonSd / londonMean) * 100,
      gmiPercent: 3.31 + 0.02392 * londonMean,
      timeInRanges: { veryLow: 0, low: 0, inRange: (2154 / 4044) * 100, high: (1470 / 4044) * 100, veryHigh: (420 / 4044) * 100 },
      expectedIntervalMinutes: 5,
      expectedReadings: 4044,
      sensorActivePercent: 100,
      daysWithData: 14,
      sufficient: true,
    },
    agp: agpBins((minute) => constantBin(80 + 2 * (minute / 15), minute >= 60 && minute < 120 ? 45 : 42)),
    fingerstick: noFingersticks,
  },
};

// ---------------------------------------------------------------------------------------------
// 2. New York, 14 days across the March clock change, with a day off and a 2-hour gap.
//
// America/New_York 2026-03-02 to 2026-03-15. Clocks go forward on Sunday 8 March at 02:00 EST
// (07:00 UTC): EST (-300) before, EDT (-240) after. The period runs from 2026-03-02T05:00Z to
// 2026-03-16T04:00Z: 14 x 24 - 1 = 335 hours, 335 x 12 = 4020 expected readings. Missing: all of
// local 2026-03-10 (a sensor change: 288 readings) and 10:00-11:59 on 2026-03-12 (24 readings):
// 4020 - 288 - 24 = 3708 arrive. The value is 60 + bin of the local quarter hour (60..155).
// ---------------------------------------------------------------------------------------------

const NEW_YORK_EDT_FROM_MS = Date.UTC(2026, 2, 8, 7);
const NEW_YORK_DAY_OFF = { fromMs: Date.UTC(2026, 2, 10, 4), toMs: Date.UTC(2026, 2, 11, 4) };
const NEW_YORK_GAP = { fromMs: Date.UTC(2026, 2, 12, 14), toMs: Date.UTC(2026, 2, 12, 16) };

function newYorkSpringReadings(): GlycemicReading[] {
  const readings: GlycemicReading[] = [];
  for (let t = Date.UTC(2026, 2, 2, 5); t < Date.UTC(2026, 2, 16, 4); t += FIVE_MINUTES_MS) {
    if ((t >= NEW_YORK_DAY_OFF.fromMs && t < NEW_YORK_DAY_OFF.toMs) || (t >= NEW_YORK_GAP.fromMs && t < NEW_YORK_GAP.toMs)) continue;
    const offsetMinutes = t < NEW_YORK_EDT_FROM_MS ? -300 : -240;
    const localMinute = (((t / MINUTE_MS + offsetMinutes) % 1440) + 1440) % 1440;
    readings.push(reading(t, 60 + Math.floor(localMinute / 15), "interstitial"));
  }
  return readings;
}

/**
 * Per bin: 13 days with data x 3 = 39; bins 8-11 (02:00-02:59, skipped on the 8th) and bins 40-47
 * (10:00-11:59, the gap on the 12th) 39 - 3 = 36. Total 96 x 39 - 4 x 3 - 8 x 3 = 3744 - 12 - 24 =
 * 3708.
 * Sum: 39 x sum(60 + b, b = 0..95) - 3 x (68 + 69 + 70 + 71) - 3 x (100 + ... + 107)
 *    = 39 x (5760 + 4560) - 3 x 278 - 3 x 828 = 402480 - 834 - 2484 = 399162. Mean 399162 / 3708.
 * Sum of squares: sum((60 + b)^2) = 96 x 3600 + 120 x 4560 + 290320 = 1183120; x 39 = 46141680;
 * minus 3 x (68^2 + 69^2 + 70^2 + 71^2) = 3 x 19326 = 57978 and 3 x (100^2 + ... + 107^2) = 3 x
 * 85740 = 257220: 45826482. Variance = (3708 x 45826482 - 399162^2) / (3708 x 3707) =
 * (169924595256 - 159330302244) / 13745556 = 10594293012 / 13745556; SD 27.7622...
 * Ranges: low (54-69) = bins 0-9 (60..69): 8 x 39 + 2 x 36 (bins 8, 9) = 312 + 72 = 384; in
 * range = the rest, 3708 - 384 = 3324.
 * Active: 3708 / 4020. Local days with data: 13 (24-hour windows from the start would find 14:
 * after the change they start at 01:00 local, so 00:00-00:59 of the 11th fills the 10th's window).
 */
const newYorkMean = 399162 / 3708;
const newYorkSd = Math.sqrt(10594293012 / 13745556);

function newYorkBinCount(minute: number): number {
  const bin = minute / 15;
  return (bin >= 8 && bin <= 11) || (bin >= 40 && bin <= 47) ? 36 : 39;
}

export const newYorkSpringFortnight: ReferenceSeries = {
  name: "New York fortnight across the March clock change, with a day off and a 2-hour gap",
  exercises: "4020 expected readings (a 23-hour day), gaps, local days of wear, the skipped hour in the AGP",
  period: { timeZone: "America/New_York", startDate: "2026-03-02", days: 14 },
  readings: newYorkSpringReadings(),
  expected: {
    cgm: {
      readings: 3708,
      duplicatesIgnored: 0,
      censored: { below: 0, above: 0 },
      meanMgdl: newYorkMean,
      sdMgdl: newYorkSd,
      cvPercent: (newYorkSd / newYorkMean) * 100,
      gmiPercent: 3.31 + 0.02392 * newYorkMean,
      timeInRanges: { veryLow: 0, low: (384 / 3708) * 100, inRange: (3324 / 3708) * 100, high: 0, veryHigh: 0 },
      expectedIntervalMinutes: 5,
      expectedReadings: 4020,
      sensorActivePercent: (3708 / 4020) * 100,
      daysWithData: 13,
      sufficient: true,
    },
    agp: agpBins((minute) => constantBin(60 + minute / 15, newYorkBinCount(minute))),
    fingerstick: noFingersticks,
  },
};

// ---------------------------------------------------------------------------------------------
// 3. Berlin, one morning delivered twice.
//
// Europe/Berlin 2026-11-10 (CET, +60; a 24-hour day: 288 expected). CGM every 5 minutes from
// 00:00 to 06:00 local (2026-11-09T23:00Z to 2026-11-10T05:00Z): 73 readings, 100 mg/dL except
// 280 at 06:00, then nothing (a gap to the end of the day). The first hour (12 readings) arrives
// again through a second door, identical; the 06:00 reading arrives again as 50 mg/dL (the first
// one given wins). A fingerstick of 50 at 06:00 is not a CGM duplicate (another specimen), but
// the same fingerstick sent twice is one.
// ---------------------------------------------------------------------------------------------

function berlinMorningReadings(): GlycemicReading[] {
  const midnight = atOffset("2026-11-10T00:00", 60);
  const cgm = Array.from({ length: 73 }, (_, i) => reading(midnight + i * FIVE_MINUTES_MS, i === 72 ? 280 : 100, "interstitial"));
  const sixAm = midnight + 72 * FIVE_MINUTES_MS;
  return [
    ...cgm,
    ...cgm.slice(0, 12).map((r) => ({ ...r, effectiveAt: new Date(r.effectiveAt.getTime()) })),
    reading(sixAm, 50, "interstitial"),
    reading(sixAm, 50, "capillary"),
    reading(sixAm, 50, "capillary"),
  ];
}

/**
 * CGM: 73 distinct, 12 + 1 = 13 duplicates. Sum 72 x 100 + 280 = 7480; mean 7480 / 73 = 102.47.
 * Sum of squares 72 x 10000 + 78400 = 798400; variance (73 x 798400 - 7480^2) / (73 x 72) =
 * (58283200 - 55950400) / 5256 = 2332800 / 5256; SD 21.067... In range 72 / 73, very high 1 / 73.
 * Active 73 / 288. AGP: bins 0-23 (00:00-05:59) hold 3 readings each and bin 360 one: all below
 * the minimum of 5, so every percentile is null.
 * Fingersticks: 1 distinct (50 mg/dL, no meal context), 1 duplicate; below 70 and below 54.
 */
const berlinMean = 7480 / 73;
const berlinSd = Math.sqrt(2332800 / 5256);

export const berlinMorningDeliveredTwice: ReferenceSeries = {
  name: "Berlin morning delivered twice",
  exercises: "exact duplicates, a conflicting duplicate (first wins), the same instant in two specimens, a gap, bins under the minimum",
  period: { timeZone: "Europe/Berlin", startDate: "2026-11-10", days: 1 },
  readings: berlinMorningReadings(),
  expected: {
    cgm: {
      readings: 73,
      duplicatesIgnored: 13,
      censored: { below: 0, above: 0 },
      meanMgdl: berlinMean,
      sdMgdl: berlinSd,
      cvPercent: (berlinSd / berlinMean) * 100,
      gmiPercent: 3.31 + 0.02392 * berlinMean,
      timeInRanges: { veryLow: 0, low: 0, inRange: (72 / 73) * 100, high: 0, veryHigh: (1 / 73) * 100 },
      expectedIntervalMinutes: 5,
      expectedReadings: 288,
      sensorActivePercent: (73 / 288) * 100,
      daysWithData: 1,
      sufficient: false,
    },
    agp: agpBins((minute) => ({ ...emptyBin, count: minute < 360 ? 3 : minute === 360 ? 1 : 0 })),
    fingerstick: {
      readings: 1,
      duplicatesIgnored: 1,
      censored: { below: 0, above: 0 },
      readingsPerDay: 1,
      daysWithReadings: 1,
      meanMgdl: 50,
      sdMgdl: null,
      cvPercent: null,
      below70: { count: 1, percent: 100 },
      below54: { count: 1, percent: 100 },
      byMealContext: mealContextMeans({ unspecified: { readings: 1, meanMgdl: 50 } }),
    },
  },
};

// ---------------------------------------------------------------------------------------------
// 4. LO/HI and mmol/L boundaries, mixed units.
//
// UTC 2026-11-01 (288 expected). Nine CGM readings every 5 minutes from 00:00: a sensor "Low"
// (stored 40 mg/dL, censored below), seven values received in mmol/L and stored x 18.01559 to
// three decimals, and a sensor "High" (400, censored above).
// ---------------------------------------------------------------------------------------------

/** mmol/L x 18.01559, rounded to three decimals, and the consensus mmol/L band it must land in. */
export const mmolBoundaryReferences: readonly (MmolReference & { range: GlucoseRange })[] = [
  { mmolL: 2.9, storedMgdl: 52.245, range: "veryLow" }, // 52.245211 -> 52, < 54
  { mmolL: 3.0, storedMgdl: 54.047, range: "low" }, // 54.04677 -> 54
  { mmolL: 3.9, storedMgdl: 70.261, range: "inRange" }, // 70.260801 -> 70
  { mmolL: 10.0, storedMgdl: 180.156, range: "inRange" }, // 180.1559 -> 180
  { mmolL: 10.1, storedMgdl: 181.957, range: "high" }, // 181.957459 -> 182
  { mmolL: 13.9, storedMgdl: 250.417, range: "high" }, // 250.416701 -> 250
  { mmolL: 14.0, storedMgdl: 252.218, range: "veryHigh" }, // 252.21826 -> 252
];

function censoredAndMmolReadings(): GlycemicReading[] {
  const at = (i: number) => Date.UTC(2026, 10, 1) + i * FIVE_MINUTES_MS;
  return [
    reading(at(0), 40, "interstitial", "below"),
    ...mmolBoundaryReferences.map((ref, i) => reading(at(i + 1), ref.storedMgdl, "interstitial")),
    reading(at(8), 400, "interstitial", "above"),
  ];
}

/**
 * Ranges: very low = LO and 2.9 (2); low = 3.0 (1); in range = 3.9, 10.0 (2); high = 10.1, 13.9
 * (2); very high = 14.0 and HI (2). Of 9: 2/9, 1/9, 2/9, 2/9, 2/9.
 * Sum 40 + 52.245 + 54.047 + 70.261 + 180.156 + 181.957 + 250.417 + 252.218 + 400 = 1481.301;
 * mean 164.589 (a bound: LO and HI enter at their limits). Deviations from 164.589: -124.589,
 * -112.344, -110.542, -94.328, 15.567, 17.368, 85.828, 87.629, 235.411; their squares sum to
 * 120268.503664; / 8 = 15033.562958; SD 122.6114... Active 9 / 288 = 3.125%.
 * AGP: bins 0, 15 and 30 (00:00-00:44) hold 3 readings each: null percentiles.
 */
const censoredSum = 40 + 52.245 + 54.047 + 70.261 + 180.156 + 181.957 + 250.417 + 252.218 + 400;
const censoredMean = censoredSum / 9;
const censoredSd = Math.sqrt(120268.503664 / 8);

export const censoredAndMmolBoundaries: ReferenceSeries = {
  name: "LO/HI and mmol/L boundaries",
  exercises: "censored values in every threshold and at their limit in the mean, mmol/L values in their consensus bands, mixed units",
  period: { timeZone: "UTC", startDate: "2026-11-01", days: 1 },
  readings: censoredAndMmolReadings(),
  expected: {
    cgm: {
      readings: 9,
      duplicatesIgnored: 0,
      censored: { below: 1, above: 1 },
      meanMgdl: censoredMean,
      sdMgdl: censoredSd,
      cvPercent: (censoredSd / censoredMean) * 100,
      gmiPercent: 3.31 + 0.02392 * censoredMean,
      timeInRanges: { veryLow: (2 / 9) * 100, low: (1 / 9) * 100, inRange: (2 / 9) * 100, high: (2 / 9) * 100, veryHigh: (2 / 9) * 100 },
      expectedIntervalMinutes: 5,
      expectedReadings: 288,
      sensorActivePercent: 3.125,
      daysWithData: 1,
      sufficient: false,
    },
    agp: agpBins((minute) => ({ ...emptyBin, count: minute < 45 ? 3 : 0 })),
    fingerstick: noFingersticks,
  },
};

// ---------------------------------------------------------------------------------------------
// 5. Kolkata, AGP bins by hand.
//
// Asia/Kolkata (+05:30, no daylight saving) 2026-11-09 to 2026-11-11: 2026-11-08T18:30Z to
// 2026-11-11T18:30Z, 3 x 288 = 864 expected. Local 08:00 is 02:30 UTC: binning by UTC would put
// these readings in bin 150, not 480.
// ---------------------------------------------------------------------------------------------

const KOLKATA_OFFSET = 330;

function kolkataReadings(): GlycemicReading[] {
  const cgm = (local: string, value: number, censored: Censoring | null = null) => reading(atOffset(local, KOLKATA_OFFSET), value, "interstitial", censored);
  return [
    cgm("2026-11-08T23:59", 180), // before the period: ignored
    cgm("2026-11-09T08:00", 100),
    cgm("2026-11-09T08:05", 40, "below"),
    cgm("2026-11-09T08:10", 130),
    cgm("2026-11-09T08:15", 120),
    cgm("2026-11-09T08:20", 104),
    cgm("2026-11-09T08:25", 112),
    cgm("2026-11-09T08:30", 150),
    cgm("2026-11-09T08:35", 150),
    reading(atOffset("2026-11-09T08:05", KOLKATA_OFFSET), 300, "capillary"), // same instant as the LO, another specimen
    cgm("2026-11-10T08:00", 80),
    cgm("2026-11-10T08:05", 400, "above"),
    cgm("2026-11-10T08:10", 110),
    cgm("2026-11-10T08:15", 100),
    cgm("2026-11-10T08:20", 116),
    cgm("2026-11-10T08:25", 108),
    cgm("2026-11-11T08:00", 70),
    cgm("2026-11-11T08:05", 120),
    cgm("2026-11-11T08:10", 90),
    cgm("2026-11-11T08:30", 150),
    cgm("2026-11-11T08:40", 150),
    cgm("2026-11-11T23:55", 200), // the last bin of the last day
    cgm("2026-11-12T00:00", 180), // the period's exclusive end: ignored
  ];
}

/**
 * Bin 480 (08:00-08:14), 9 values sorted: 40 (LO, at its limit), 70, 80, 90, 100, 110, 120, 130,
 * 400 (HI, at its limit). h = 8 x p: p5 h = 0.4: 40 + 0.4 x 30 = 52; p25 h = 2: 80; p50 h = 4: 100;
 * p75 h = 6: 120; p95 h = 7.6: 130 + 0.6 x 270 = 292.
 * Bin 495 (08:15-08:29), 6 values: 100, 104, 108, 112, 116, 120. h = 5 x p: p5 h = 0.25: 100 + 1 =
 * 101; p25 h = 1.25: 104 + 1 = 105; p50 h = 2.5: 108 + 2 = 110; p75 h = 3.75: 112 + 3 = 115; p95
 * h = 4.75: 116 + 3 = 119.
 * Bin 510 (08:30-08:44): 4 values, below the minimum of 5: null. Bin 1425: 1 value: null.
 * CGM: 20 readings, sum 906 + 914 + 780 = 2600, mean 130. Sum of squares 111260 + 213620 +
 * 112400 = 437280; variance (20 x 437280 - 2600^2) / (20 x 19) = 1985600 / 380; SD 72.286.
 * Ranges: LO very low, HI very high, 200 high, the other 17 in range. Active 20 / 864.
 * Fingersticks: one of 300 mg/dL (no meal context) over 3 days.
 */
const kolkataSd = Math.sqrt(1985600 / 380);

export const kolkataAgpByHand: ReferenceSeries = {
  name: "Kolkata AGP bins by hand",
  exercises: "type-7 percentiles, LO/HI at their limits in the percentiles, the minimum per bin, a half-hour zone, the period's bounds",
  period: { timeZone: "Asia/Kolkata", startDate: "2026-11-09", days: 3 },
  readings: kolkataReadings(),
  expected: {
    cgm: {
      readings: 20,
      duplicatesIgnored: 0,
      censored: { below: 1, above: 1 },
      meanMgdl: 130,
      sdMgdl: kolkataSd,
      cvPercent: (kolkataSd / 130) * 100,
      gmiPercent: 3.31 + 0.02392 * 130,
      timeInRanges: { veryLow: (1 / 20) * 100, low: 0, inRange: (17 / 20) * 100, high: (1 / 20) * 100, veryHigh: (1 / 20) * 100 },
      expectedIntervalMinutes: 5,
      expectedReadings: 864,
      sensorActivePercent: (20 / 864) * 100,
      daysWithData: 3,
      sufficient: false,
    },
    agp: agpBins((minute) => {
      if (minute === 480) return { p5: 52, p25: 80, p50: 100, p75: 120, p95: 292, count: 9 };
      if (minute === 495) return { p5: 101, p25: 105, p50: 110, p75: 115, p95: 119, count: 6 };
      return { ...emptyBin, count: minute === 510 ? 4 : minute === 1425 ? 1 : 0 };
    }),
    fingerstick: {
      ...noFingersticks,
      readings: 1,
      readingsPerDay: 1 / 3,
      daysWithReadings: 1,
      meanMgdl: 300,
      below70: { count: 0, percent: 0 },
      below54: { count: 0, percent: 0 },
      byMealContext: mealContextMeans({ unspecified: { readings: 1, meanMgdl: 300 } }),
    },
  },
};

// ---------------------------------------------------------------------------------------------
// 6. Madrid, a week of fingerstick logbook.
//
// Europe/Madrid 2026-11-02 to 2026-11-08 (CET, +60, no change: 7 x 288 = 2016 expected CGM).
// ---------------------------------------------------------------------------------------------

const MADRID_OFFSET = 60;

function madridLogbookReadings(): GlycemicReading[] {
  const stick = (local: string, value: number, mealContext: MealContext | null | undefined, censored: Censoring | null = null) =>
    reading(atOffset(local, MADRID_OFFSET), value, "capillary", censored, mealContext);
  return [
    stick("2026-11-02T07:00", 100, "fasting"),
    stick("2026-11-02T14:00", 180, "after-meal"),
    stick("2026-11-02T20:00", 120, "before-meal"),
    stick("2026-11-02T23:00", 140, "bedtime"),
    reading(atOffset("2026-11-02T12:00", MADRID_OFFSET), 100, "interstitial"), // one CGM reading: the CGM section's
    stick("2026-11-03T07:10", 110, "fasting"),
    stick("2026-11-03T13:00", 65, "before-meal"),
    stick("2026-11-03T15:00", 200, "after-meal"),
    stick("2026-11-03T22:30", 150, "bedtime"),
    // 2026-11-04: no readings.
    stick("2026-11-05T06:50", 20, "fasting", "below"), // meter "LO" (limit 20)
    stick("2026-11-05T14:00", 600, "after-meal", "above"), // meter "HI" (limit 600)
    stick("2026-11-05T18:00", 53, null),
    stick("2026-11-05T18:10", 69.5, undefined), // rounds to 70: not below 70
    stick("2026-11-06T07:00", 90, "fasting"),
    stick("2026-11-06T07:00", 90, "fasting"), // sent twice
    // 2026-11-07: no readings.
    stick("2026-11-08T23:59", 130, "bedtime"),
    stick("2026-11-09T00:00", 300, "fasting"), // the day after the period: ignored
  ];
}

/**
 * 14 distinct fingersticks on 5 of 7 local days (2, 3, 5, 6, 8 November): 14 / 7 = 2 a day.
 * Sum 540 (day 1) + 525 (day 2) + 742.5 (day 4: 20 + 600 + 53 + 69.5) + 90 + 130 = 2027.5; mean
 * 2027.5 / 14 = 144.82. In halves: sum 4055/2, sum of squares 2193057/4; variance = (14 x
 * 2193057/4 - (4055/2)^2) / (14 x 13) = ((30702798 - 16443025) / 4) / 182 = 14259773 / 728; SD
 * 139.956. Below 70: 65, LO, 53 (69.5 rounds to 70) = 3 of 14; below 54: LO, 53 = 2 of 14.
 * By meal context: fasting 100, 110, LO 20, 90 = 320 / 4 = 80; before-meal 120, 65 = 185 / 2 =
 * 92.5; after-meal 180, 200, HI 600 = 980 / 3; bedtime 140, 150, 130 = 420 / 3 = 140;
 * unspecified 53, 69.5 = 122.5 / 2 = 61.25.
 * CGM: one reading of 100: mean 100, no SD, GMI 3.31 + 2.392, active 1 / 2016, bin 720 count 1.
 */
const madridMean = 2027.5 / 14;
const madridSd = Math.sqrt(14259773 / 728);

export const madridFingerstickLogbook: ReferenceSeries = {
  name: "Madrid fingerstick logbook",
  exercises: "readings per local day, means by meal context, below 70 / 54 with LO/HI and the rounding boundary, a duplicate, a CGM reading kept apart",
  period: { timeZone: "Europe/Madrid", startDate: "2026-11-02", days: 7 },
  readings: madridLogbookReadings(),
  expected: {
    cgm: {
      readings: 1,
      duplicatesIgnored: 0,
      censored: { below: 0, above: 0 },
      meanMgdl: 100,
      sdMgdl: null,
      cvPercent: null,
      gmiPercent: 3.31 + 0.02392 * 100,
      timeInRanges: { veryLow: 0, low: 0, inRange: 100, high: 0, veryHigh: 0 },
      expectedIntervalMinutes: 5,
      expectedReadings: 2016,
      sensorActivePercent: (1 / 2016) * 100,
      daysWithData: 1,
      sufficient: false,
    },
    agp: agpBins((minute) => ({ ...emptyBin, count: minute === 720 ? 1 : 0 })),
    fingerstick: {
      readings: 14,
      duplicatesIgnored: 1,
      censored: { below: 1, above: 1 },
      readingsPerDay: 2,
      daysWithReadings: 5,
      meanMgdl: madridMean,
      sdMgdl: madridSd,
      cvPercent: (madridSd / madridMean) * 100,
      below70: { count: 3, percent: (3 / 14) * 100 },
      below54: { count: 2, percent: (2 / 14) * 100 },
      byMealContext: mealContextMeans({
        fasting: { readings: 4, meanMgdl: 80 },
        "before-meal": { readings: 2, meanMgdl: 92.5 },
        "after-meal": { readings: 3, meanMgdl: 980 / 3 },
        bedtime: { readings: 3, meanMgdl: 140 },
        unspecified: { readings: 2, meanMgdl: 61.25 },
      }),
    },
  },
};

export const referenceSeries: readonly ReferenceSeries[] = [
  londonAutumnFortnight,
  newYorkSpringFortnight,
  berlinMorningDeliveredTwice,
  censoredAndMmolBoundaries,
  kolkataAgpByHand,
  madridFingerstickLogbook,
];
