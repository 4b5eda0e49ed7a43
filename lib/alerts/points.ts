import type { Censoring } from "@/db/schema/readings-enums";

/** One glucose reading as the episode engine sees it. */
export interface GlucosePoint {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Normalized mg/dL; for a censored reading, the meter's limit. */
  readonly mgdl: number;
  /** LO ("below") or HI ("above"): the true value lies beyond `mgdl`. */
  readonly censored: Censoring | null;
}

export const DEFAULT_INTERVAL_MINUTES = 5;
export const MINUTE_MS = 60_000;

const censoringRank = { below: 0, none: 1, above: 2 } as const;

/** Orders points from the lowest glucose to the highest: LO below every number, HI above. */
export function compareGlucose(a: GlucosePoint, b: GlucosePoint): number {
  return censoringRank[a.censored ?? "none"] - censoringRank[b.censored ?? "none"] || a.mgdl - b.mgdl;
}

function assertValid(point: GlucosePoint): void {
  if (!Number.isFinite(point.at)) throw new RangeError(`A point has an invalid instant: ${point.at}`);
  if (!Number.isFinite(point.mgdl)) throw new RangeError(`A point has a non-numeric value: ${point.mgdl}`);
}

/**
 * The points in time order, one per instant. The same reading often arrives twice (retries, two
 * doors); when two points share an instant the lower glucose is kept, a choice that does not
 * depend on the order they arrived in and never hides a low.
 */
export function distinctPoints(points: readonly GlucosePoint[]): GlucosePoint[] {
  const byInstant = new Map<number, GlucosePoint>();
  for (const point of points) {
    assertValid(point);
    const kept = byInstant.get(point.at);
    if (kept === undefined || compareGlucose(point, kept) < 0) byInstant.set(point.at, point);
  }
  return [...byInstant.values()].sort((a, b) => a.at - b.at);
}

/**
 * The sampling interval of one source's CGM readings: the median spacing between distinct
 * instants, in whole minutes (at least 1), 5 when there are fewer than two instants. Whole minutes
 * because sensors sample at 1, 5 or 15 minutes and a few seconds of clock jitter must not turn
 * three 5-minute readings into 14.9 minutes.
 */
export function samplingIntervalMinutes(points: readonly GlucosePoint[]): number {
  const instants = distinctPoints(points).map((point) => point.at);
  const spacings = instants.slice(1).map((at, index) => at - instants[index]!);
  if (spacings.length === 0) return DEFAULT_INTERVAL_MINUTES;
  spacings.sort((a, b) => a - b);
  const middle = spacings.length / 2;
  const median = Number.isInteger(middle) ? (spacings[middle - 1]! + spacings[middle]!) / 2 : spacings[Math.floor(middle)]!;
  return Math.max(1, Math.round(median / MINUTE_MS));
}

/** A CGM interval must be whole minutes so that minute counts stay exact. */
export function assertIntervalMinutes(intervalMinutes: number): void {
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1) {
    throw new RangeError(`The sampling interval must be a whole number of minutes, at least 1: ${intervalMinutes}`);
  }
}
