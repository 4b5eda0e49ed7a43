import type { Observation, ObservationComponent, Period, Quantity } from "@medplum/fhirtypes";
import type { GlucoseUnit } from "@/db/schema/readings-enums";
import { glucoseRanges, type CgmWear, type GlucoseRange, type GlycemicSummary } from "@/lib/metrics/glycemic";
import type { CgmReportMetrics } from "@/lib/metrics/report";
import { mgdlIn } from "@/lib/readings/units";
import type { LocalCalendarPeriod } from "@/lib/time/calendar";
import { CGM_PROFILE, coding, LOINC, ucumQuantity } from "./codes";
import { FHIR_ID, fhirPeriodBound, fnv1a64 } from "./primitives";

/**
 * A glycemic summary (lib/metrics/glycemic) as the CGM IG summary: the `cgm-summary` panel
 * (LOINC 107931-8) whose `hasMember` points at one Observation per metric, each in its CGM IG
 * profile and each with the reporting period as `effectivePeriod`. Pure.
 *
 * Ids are deterministic, so re-sending the summary of the same patient and period updates it:
 * `cgm-summary-<h>` for the panel and `cgm-summary-<h>-<metric>` for its members, where <h> is the
 * FNV-1a 64-bit digest (16 hex digits) of `<patientId>|<period start>|<period end>`. At most 43
 * characters: FHIR ids allow 64.
 *
 * Reporting precision (the metrics keep full precision; FHIR carries these):
 */
export const CGM_SUMMARY_DECIMALS = {
  meanMgdl: 1,
  meanMmolL: 2,
  gmiPercent: 1,
  cvPercent: 1,
  sensorActivePercent: 1,
  /** The IG asks for at least two decimals; the five add up to exactly 100 (largest remainder). */
  timeInRangesPercent: 2,
} as const;

export interface CgmSummaryOptions {
  /** Which mean glucose members to include: 97507-8 (mg/dL) and/or 105273-7 (mmol/L). mg/dL only unless given. */
  meanGlucoseUnits?: readonly GlucoseUnit[];
}

export interface CgmSummaryResources {
  panel: Observation;
  /** Mean glucose (each unit asked for), times in ranges, GMI, CV, days of wear, sensor active. */
  members: Observation[];
}

/**
 * What a CGM summary carries: a GlycemicSummary has it, and so has the glucose report's CGM section
 * (cgmSummaryFiguresOf), which is what `$cgm-summary` sends for a period of local calendar days.
 */
export type CgmSummaryFigures = Pick<GlycemicSummary, "specimen" | "period" | "meanMgdl" | "sdMgdl" | "cvPercent" | "gmiPercent" | "timeInRangesPercent"> & {
  wear: Pick<CgmWear, "daysOfWear" | "sensorActivePercent"> | null;
};

/** The glucose report's CGM section (lib/alerts/glucose-report, lib/metrics/report) as summary figures. */
export function cgmSummaryFiguresOf(cgm: CgmReportMetrics, period: LocalCalendarPeriod): CgmSummaryFigures {
  return {
    specimen: "interstitial",
    period,
    meanMgdl: cgm.meanMgdl,
    sdMgdl: cgm.sdMgdl,
    cvPercent: cgm.cvPercent,
    gmiPercent: cgm.gmiPercent,
    timeInRangesPercent: cgm.timeInRanges,
    wear: { daysOfWear: cgm.daysWithData, sensorActivePercent: cgm.sensorActivePercent },
  };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * Percentages rounded to `decimals` so that they still add up to exactly 100: each is floored,
 * and the units left over go to the largest remainders (ties: the lower range first).
 */
export function roundPercentagesTo100(percentages: Record<GlucoseRange, number>, decimals: number): Record<GlucoseRange, number> {
  const scale = 10 ** decimals;
  const scaled = glucoseRanges.map((range) => {
    const exact = percentages[range] * scale;
    // The epsilon absorbs binary noise (57.00000000001 floored must stay 57).
    const floor = Math.floor(exact + 1e-7);
    return { range, floor, remainder: exact - floor };
  });
  let missing = 100 * scale - scaled.reduce((sum, item) => sum + item.floor, 0);
  for (const item of [...scaled].sort((a, b) => b.remainder - a.remainder)) {
    if (missing <= 0) break;
    item.floor += 1;
    missing -= 1;
  }
  return Object.fromEntries(scaled.map((item) => [item.range, item.floor / scale])) as Record<GlucoseRange, number>;
}

const timeInRangeLoinc: Record<GlucoseRange, (typeof LOINC)[keyof typeof LOINC]> = {
  veryLow: LOINC.timeVeryLow,
  low: LOINC.timeLow,
  inRange: LOINC.timeInRange,
  high: LOINC.timeHigh,
  veryHigh: LOINC.timeVeryHigh,
};

function isLocalCalendarPeriod(period: { start: string | Date; end: string | Date } | LocalCalendarPeriod): period is LocalCalendarPeriod {
  return "localDays" in period;
}

function sameLocalCalendarPeriod(a: LocalCalendarPeriod, b: LocalCalendarPeriod): boolean {
  return a.timeZone === b.timeZone && a.startDate === b.startDate && a.days === b.days;
}

/**
 * `period` is the reporting period as it should read. A LocalCalendarPeriod (lib/time/calendar)
 * reads as its FHIR dates, end inclusive, as the IG's examples (`2026-11-01` to `2026-11-14`); the
 * summary must then have been computed for that same period, so that days of wear are the patient's
 * local days (14 for a fortnight across a clock change) and match the dates shown. Otherwise FHIR
 * dates or dateTimes as given, a Date rendered as a UTC instant (days of wear are then whatever the
 * summary counted). Throws a RangeError for a summary of fingersticks or of fewer than two CGM
 * readings (the profiles require a value for every metric, and CV needs two), and for a
 * local-calendar period other than the summary's.
 */
export function toFhirCgmSummary(
  summary: CgmSummaryFigures,
  patientId: string,
  period: { start: string | Date; end: string | Date } | LocalCalendarPeriod,
  options: CgmSummaryOptions = {},
): CgmSummaryResources {
  if (!FHIR_ID.test(patientId)) throw new RangeError(`Patient id is not a FHIR id: ${JSON.stringify(patientId)}`);
  if (summary.specimen !== "interstitial") throw new RangeError("A CGM summary summarizes CGM (interstitial) readings only");
  if (isLocalCalendarPeriod(period) && !(summary.period && sameLocalCalendarPeriod(summary.period, period))) {
    throw new RangeError("The summary was not computed for this local-calendar period: its days of wear would not be the days shown");
  }
  const shown = isLocalCalendarPeriod(period) ? { start: period.startDate, end: period.lastDate } : period;
  const { meanMgdl, sdMgdl, cvPercent, gmiPercent, timeInRangesPercent, wear } = summary;
  if (meanMgdl === null || sdMgdl === null || cvPercent === null || gmiPercent === null || timeInRangesPercent === null || wear === null) {
    // The profiles require a value for each metric; CV needs at least two readings.
    throw new RangeError("A CGM summary needs at least two CGM readings in the period");
  }
  const units: GlucoseUnit[] = [...new Set(options.meanGlucoseUnits ?? (["mg/dL"] as const))];
  if (units.length === 0) throw new RangeError("meanGlucoseUnits must name at least one unit");

  const effectivePeriod: Period = { start: fhirPeriodBound(shown.start), end: fhirPeriodBound(shown.end) };
  const panelId = `cgm-summary-${fnv1a64(`${patientId}|${effectivePeriod.start}|${effectivePeriod.end}`)}`;
  // Each resource gets its own objects (no shared references): callers may mutate one.
  const common = (id: string, profile: string, code: (typeof LOINC)[keyof typeof LOINC]) => ({
    resourceType: "Observation" as const,
    id,
    meta: { profile: [profile] },
    status: "final" as const,
    category: [{ coding: [coding("observationCategory", "laboratory")] }],
    code: { coding: [coding("loinc", code)] },
    subject: { reference: `Patient/${patientId}` },
    effectivePeriod: { ...effectivePeriod },
  });
  const member = (suffix: string, profile: string, code: (typeof LOINC)[keyof typeof LOINC], value: Quantity | { component: ObservationComponent[] }): Observation => ({
    ...common(`${panelId}-${suffix}`, profile, code),
    ...("component" in value ? value : { valueQuantity: value }),
  });

  const means: Record<GlucoseUnit, () => Observation> = {
    "mg/dL": () => member("mean-mass", CGM_PROFILE.meanGlucoseMass, LOINC.meanGlucoseMass, ucumQuantity(round(meanMgdl, CGM_SUMMARY_DECIMALS.meanMgdl), "mg/dL")),
    "mmol/L": () =>
      member("mean-molar", CGM_PROFILE.meanGlucoseMolar, LOINC.meanGlucoseMolar, ucumQuantity(round(mgdlIn(meanMgdl, "mmol/L"), CGM_SUMMARY_DECIMALS.meanMmolL), "mmol/L")),
  };
  const ranges = roundPercentagesTo100(timeInRangesPercent, CGM_SUMMARY_DECIMALS.timeInRangesPercent);

  const members: Observation[] = [
    ...units.map((unit) => means[unit]()),
    member("times-in-ranges", CGM_PROFILE.timesInRanges, LOINC.timesInRanges, {
      component: glucoseRanges.map((range) => ({ code: { coding: [coding("loinc", timeInRangeLoinc[range])] }, valueQuantity: ucumQuantity(ranges[range], "%") })),
    }),
    member("gmi", CGM_PROFILE.gmi, LOINC.gmi, ucumQuantity(round(gmiPercent, CGM_SUMMARY_DECIMALS.gmiPercent), "%")),
    member("cv", CGM_PROFILE.cv, LOINC.cv, ucumQuantity(round(cvPercent, CGM_SUMMARY_DECIMALS.cvPercent), "%")),
    member("days-of-wear", CGM_PROFILE.daysOfWear, LOINC.daysOfWear, ucumQuantity(wear.daysOfWear, "d")),
    member("sensor-active", CGM_PROFILE.sensorActive, LOINC.sensorActive, ucumQuantity(round(wear.sensorActivePercent, CGM_SUMMARY_DECIMALS.sensorActivePercent), "%")),
  ];

  const panel: Observation = {
    ...common(panelId, CGM_PROFILE.summary, LOINC.cgmSummary),
    hasMember: members.map((m) => ({ reference: `Observation/${m.id}` })),
  };
  return { panel, members };
}
