import { mealContexts, type Censoring, type MealContext } from "@/db/schema/readings-enums";
import { localClockOf, type LocalCalendarPeriod } from "@/lib/time/calendar";
import { computeAgp, type AgpBin } from "./agp";
import { summarizeGlycemia, type GlucoseRange, type GlycemicReading } from "./glycemic";

/**
 * The metric part of the standard glucose report, for one patient and one local-calendar period:
 * one function for the clinician's and the patient's pages, the JSON API, exports and FHIR, so
 * they can never disagree. Pure. Values in mg/dL, percentages unrounded (callers round for
 * display). Every rule of lib/metrics/glycemic applies (duplicates, censored values, range
 * boundaries, local days); the AGP rules are in lib/metrics/agp.
 *
 * Hypo- and hyperglycaemia EVENTS are not computed here: they are episodes (lib/alerts), counted by
 * the caller over the same readings and period and joined as `GlucoseReport<TEvents>`.
 */

export type ReportMealContext = MealContext | "unspecified";
/** Meal contexts in report order; readings without a recorded context are "unspecified". */
export const reportMealContexts: readonly ReportMealContext[] = [...mealContexts, "unspecified"];

export interface CgmReportMetrics {
  /** Distinct CGM readings in the period. */
  readings: number;
  /** CGM readings at the same instant as an earlier one: counted once. */
  duplicatesIgnored: number;
  /** Censored readings among `readings`: the mean, SD, CV and GMI are then bounds. */
  censored: Record<Censoring, number>;
  /** null without readings. */
  meanMgdl: number | null;
  /** Sample SD; null below two readings. */
  sdMgdl: number | null;
  cvPercent: number | null;
  gmiPercent: number | null;
  /** Percent of readings in each consensus range, unrounded; null without readings. */
  timeInRanges: Record<GlucoseRange, number> | null;
  expectedIntervalMinutes: number;
  /** Whole sampling intervals in the real length of the period (a London fortnight across the October change: 4044). */
  expectedReadings: number;
  /** readings / expectedReadings x 100, at most 100. */
  sensorActivePercent: number;
  /** Local days with at least one CGM reading (days of wear). */
  daysWithData: number;
  /** At least 14 local days and at least 70% active (CLINICAL.md): below that, show the report with a warning. */
  sufficient: boolean;
  /** 96 bins of 15 minutes on the local clock. */
  agp: AgpBin[];
}

export interface ReadingsBelow {
  count: number;
  /** Percent of the fingerstick readings; null without readings. */
  percent: number | null;
}

export interface MealContextMean {
  readings: number;
  /** null without readings. */
  meanMgdl: number | null;
}

export interface FingerstickReportMetrics {
  /** Distinct fingerstick (capillary) readings in the period. */
  readings: number;
  duplicatesIgnored: number;
  censored: Record<Censoring, number>;
  /** readings / the period's local days (days without a reading count too). */
  readingsPerDay: number;
  /** Local days with at least one fingerstick reading. */
  daysWithReadings: number;
  meanMgdl: number | null;
  sdMgdl: number | null;
  cvPercent: number | null;
  /** Below 70 mg/dL (level 1 and 2, after rounding to whole mg/dL as classifyGlucose does; LO counts). */
  below70: ReadingsBelow;
  /** Below 54 mg/dL (level 2; LO counts). */
  below54: ReadingsBelow;
  /** Mean by meal context, in `reportMealContexts` order. */
  byMealContext: Record<ReportMealContext, MealContextMean>;
}

export interface GlucoseReportMetrics {
  period: LocalCalendarPeriod;
  cgm: CgmReportMetrics;
  fingerstick: FingerstickReportMetrics;
}

/**
 * The whole report: the metrics plus the hypo/hyper events that lib/alerts counts (the caller
 * passes its result type as TEvents and fills `events`; the metric core never does). Patient fields
 * are the caller's too.
 */
export type GlucoseReport<TEvents> = GlucoseReportMetrics & { events: TEvents };

export interface GlucoseReportOptions {
  /** The CGM's sampling interval; 5 minutes unless given (the device model's, when known). */
  expectedIntervalMinutes?: number;
}

function percentOf(count: number, total: number): number | null {
  return total > 0 ? (count / total) * 100 : null;
}

function meansByMealContext(readings: readonly GlycemicReading[]): Record<ReportMealContext, MealContextMean> {
  const sums = Object.fromEntries(reportMealContexts.map((context) => [context, { readings: 0, sum: 0 }])) as Record<ReportMealContext, { readings: number; sum: number }>;
  for (const reading of readings) {
    const bucket = sums[reading.mealContext ?? "unspecified"];
    bucket.readings += 1;
    bucket.sum += reading.valueMgdl;
  }
  return Object.fromEntries(
    reportMealContexts.map((context) => {
      const { readings: count, sum } = sums[context];
      return [context, { readings: count, meanMgdl: count > 0 ? sum / count : null }];
    }),
  ) as Record<ReportMealContext, MealContextMean>;
}

/**
 * The report's metrics from a patient's readings (any specimens, any order, readings outside the
 * period ignored): a CGM section from the interstitial readings and a fingerstick section from the
 * capillary ones. Throws a RangeError for a reading without a valid instant or a numeric value.
 */
export function computeGlucoseReportMetrics(readings: readonly GlycemicReading[], period: LocalCalendarPeriod, options: GlucoseReportOptions = {}): GlucoseReportMetrics {
  const cgm = summarizeGlycemia(readings, { period, specimen: "interstitial", expectedIntervalMinutes: options.expectedIntervalMinutes });
  const capillary = summarizeGlycemia(readings, { period, specimen: "capillary" });
  const { summary } = cgm;
  // Always present for a CGM summary; the check keeps the types honest.
  if (summary.wear === null) throw new Error("A CGM summary has wear metrics");

  const fingersticks = capillary.summary;
  return {
    period,
    cgm: {
      readings: summary.readingCount,
      duplicatesIgnored: summary.duplicatesIgnored,
      censored: summary.censored,
      meanMgdl: summary.meanMgdl,
      sdMgdl: summary.sdMgdl,
      cvPercent: summary.cvPercent,
      gmiPercent: summary.gmiPercent,
      timeInRanges: summary.timeInRangesPercent,
      expectedIntervalMinutes: summary.wear.expectedIntervalMinutes,
      expectedReadings: summary.wear.expectedReadings,
      sensorActivePercent: summary.wear.sensorActivePercent,
      daysWithData: summary.wear.daysOfWear,
      sufficient: summary.sufficiency.sufficient,
      agp: computeAgp(cgm.summarized, localClockOf(period)),
    },
    fingerstick: {
      readings: fingersticks.readingCount,
      duplicatesIgnored: fingersticks.duplicatesIgnored,
      censored: fingersticks.censored,
      readingsPerDay: fingersticks.readingCount / period.days,
      daysWithReadings: fingersticks.daysWithData,
      meanMgdl: fingersticks.meanMgdl,
      sdMgdl: fingersticks.sdMgdl,
      cvPercent: fingersticks.cvPercent,
      below70: {
        count: fingersticks.rangeCounts.veryLow + fingersticks.rangeCounts.low,
        percent: percentOf(fingersticks.rangeCounts.veryLow + fingersticks.rangeCounts.low, fingersticks.readingCount),
      },
      below54: { count: fingersticks.rangeCounts.veryLow, percent: percentOf(fingersticks.rangeCounts.veryLow, fingersticks.readingCount) },
      byMealContext: meansByMealContext(capillary.summarized),
    },
  };
}
