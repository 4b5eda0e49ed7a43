import type { Specimen } from "@/db/schema/readings-enums";
import type { EpisodeKind } from "./kinds";
import { compareGlucose, MINUTE_MS, type GlucosePoint } from "./points";

/**
 * One episode: one alert, one row in a clinician's inbox, one FHIR Flag, one event in the counts.
 * `start`, `worst.at` and `lastBeyondAt` are the instants of the readings the Flag points at.
 */
export interface Episode {
  readonly kind: EpisodeKind;
  readonly specimen: Specimen;
  /** The first reading beyond the threshold (of a rapid fall: its first reading). */
  readonly start: number;
  /**
   * CGM: the first of the readings back inside that closed it. Fingerstick: the reading back
   * inside. Rapid fall: its last reading. null while open at the end of the data.
   */
  readonly end: number | null;
  /** The lowest reading (hypoglycaemia, rapid fall) or the highest (hyperglycaemia); the first if tied. */
  readonly worst: GlucosePoint;
  readonly lastBeyondAt: number;
  /** Readings beyond the threshold (of a rapid fall: its readings). */
  readonly readingsBeyond: number;
  /**
   * From the start to the end; while open, to the last reading beyond plus the minutes that
   * reading stands for (one interval for CGM, none for a fingerstick).
   */
  readonly durationMinutes: number;
}

/** An episode being built, reading by reading. */
export interface EpisodeTally {
  start: number;
  worst: GlucosePoint;
  lastBeyondAt: number;
  readingsBeyond: number;
}

export function openTally(first: GlucosePoint): EpisodeTally {
  return { start: first.at, worst: first, lastBeyondAt: first.at, readingsBeyond: 1 };
}

/** Adds a later reading beyond the threshold; `side` says which direction is worse. */
export function extendTally(tally: EpisodeTally, point: GlucosePoint, side: "low" | "high"): void {
  const order = compareGlucose(point, tally.worst);
  if (side === "low" ? order < 0 : order > 0) tally.worst = point;
  tally.lastBeyondAt = point.at;
  tally.readingsBeyond += 1;
}

export function finishTally(tally: EpisodeTally, kind: EpisodeKind, specimen: Specimen, end: number | null, readingMinutes: number): Episode {
  const durationMinutes = end === null ? (tally.lastBeyondAt - tally.start) / MINUTE_MS + readingMinutes : (end - tally.start) / MINUTE_MS;
  return { kind, specimen, start: tally.start, end, worst: tally.worst, lastBeyondAt: tally.lastBeyondAt, readingsBeyond: tally.readingsBeyond, durationMinutes };
}
