import { computeGlucoseReportMetrics, type CgmReportMetrics, type FingerstickReportMetrics } from "@/lib/metrics/report";
import type { Specimen } from "@/db/schema/readings-enums";
import type { GlycemicReading } from "@/lib/metrics/glycemic";
import type { LocalCalendarPeriod } from "@/lib/time/calendar";
import type { Episode } from "./episode";
import { countEvents, findEpisodes, type EventCounts } from "./episodes";
import type { GlucosePoint } from "./points";
import { CONSENSUS_THRESHOLDS, type AlertThresholds } from "./targets";

/**
 * The standard glucose report of one patient and one local-calendar period: the metrics of
 * lib/metrics/report joined with the hypo- and hyperglycaemia events that THE episode function
 * (./episodes) finds, counted in the period they begin in. Pure. The JSON API, the report pages
 * and FHIR `$cgm-summary` all come from this one function.
 *
 * Events are found on every reading given, so the caller passes the period's readings plus
 * EVENT_LOOKBACK_MS before it and EVENT_LOOKAHEAD_MS after it: an episode under way when the
 * period starts then begins before it (not counted), and one beginning in the last minutes of the
 * period is still recognized (it needs 15 minutes of readings, an extended low more than 120).
 * The metrics ignore the readings outside the period.
 */

/** A day before the period: an episode under way at its start is seen to have begun before it. */
export const EVENT_LOOKBACK_MS = 24 * 3_600_000;
/** Three hours after: enough readings to open any episode that begins before the period ends. */
export const EVENT_LOOKAHEAD_MS = 3 * 3_600_000;

export interface GlucoseReportOptions {
  /** The alert thresholds in force (the patient's targets); the consensus 54/70/180/250 unless given. */
  thresholds?: AlertThresholds;
  /** The CGM's sampling interval in whole minutes; 5 unless given. */
  cgmIntervalMinutes?: number;
  /**
   * The patient's stored episodes (the alerts table, which the write path keeps equal to the
   * episode function over the stored readings): counted instead of finding episodes again in
   * `readings`, which then need no lookback or lookahead. Rapid falls and no-data are ignored.
   */
  storedEpisodes?: readonly StoredEpisodeStart[];
}

/** What counting needs of a stored episode: its kind, specimen and first reading's instant (epoch ms). */
export interface StoredEpisodeStart {
  kind: Episode["kind"] | "no-data";
  specimen: Specimen | null;
  start: number;
}

/** The CGM section of the report, as the JSON API gives it (values mg/dL, percentages unrounded). */
export type CgmReport = CgmReportMetrics & { events: EventCounts };

/** The fingerstick section; events are level 2 lows only (the episode rules for fingersticks). */
export type FingerstickReport = FingerstickReportMetrics & { events: EventCounts };

export interface GlucoseReportData {
  /** First local date, YYYY-MM-DD. */
  from: string;
  /** Last local date, inclusive, YYYY-MM-DD. */
  to: string;
  /** Local calendar days from `from` to `to`. */
  days: number;
  cgm: CgmReport;
  fingerstick: FingerstickReport;
}

function pointsOf(readings: readonly GlycemicReading[], specimen: GlycemicReading["specimen"]): GlucosePoint[] {
  const points: GlucosePoint[] = [];
  for (const reading of readings) {
    if (reading.specimen === specimen) points.push({ at: reading.effectiveAt.getTime(), mgdl: reading.valueMgdl, censored: reading.censored });
  }
  return points;
}

/**
 * The report from a patient's readings (any specimens and order; duplicates and readings outside
 * the period are handled as lib/metrics and lib/alerts say).
 */
export function computeGlucoseReport(readings: readonly GlycemicReading[], period: LocalCalendarPeriod, options: GlucoseReportOptions = {}): GlucoseReportData {
  const thresholds = options.thresholds ?? CONSENSUS_THRESHOLDS;
  const intervalMinutes = options.cgmIntervalMinutes;
  const metrics = computeGlucoseReportMetrics(readings, period, { expectedIntervalMinutes: intervalMinutes });
  const span = { start: period.start.getTime(), end: period.end.getTime() };
  const stored = options.storedEpisodes;
  const storedOf = (specimen: Specimen) =>
    (stored ?? []).flatMap((episode) => (episode.specimen === specimen && episode.kind !== "no-data" ? [{ kind: episode.kind, start: episode.start }] : []));
  const cgmEvents = countEvents(
    stored ? storedOf("interstitial") : findEpisodes(pointsOf(readings, "interstitial"), { specimen: "interstitial", thresholds, intervalMinutes }),
    span,
  );
  const fingerstickEvents = countEvents(stored ? storedOf("capillary") : findEpisodes(pointsOf(readings, "capillary"), { specimen: "capillary", thresholds }), span);
  return {
    from: period.startDate,
    to: period.lastDate,
    days: period.days,
    cgm: { ...metrics.cgm, events: cgmEvents },
    fingerstick: { ...metrics.fingerstick, events: fingerstickEvents },
  };
}
