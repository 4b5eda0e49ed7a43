import fc from "fast-check";
import type { GlucosePoint } from "../points";
import { MINUTE, point, T0, type Value } from "./series";

/** Values on and around every threshold, LO and HI included, so random series hit the boundaries. */
export const LEVELS: readonly Value[] = ["LO", 40, 50, 53.49, 53.5, 54, 60, 62, 63, 69.49, 69.5, 70, 100, 140, 141, 180, 180.49, 180.5, 200, 250, 250.49, 250.5, 300, "HI"];

const valueAt = (value: Value, slopePerMinute: number, minutes: number): GlucosePoint => {
  const p = point(0, value);
  if (value === "LO" || value === "HI") return p;
  return { ...p, mgdl: Math.min(600, Math.max(20, value + slopePerMinute * minutes)) };
};

/** A stretch of readings near one level: steady, falling fast or rising, ending in an optional gap. */
const segment = fc.record({
  value: fc.constantFrom(...LEVELS),
  slopePerMinute: fc.constantFrom(0, 0, 0, -4, 2),
  count: fc.integer({ min: 1, max: 30 }),
  /** Intervals between readings: 2 is one missing reading. */
  spacing: fc.constantFrom(1, 1, 1, 1, 2),
  /** Extra intervals after the stretch: 1 or more makes a gap that breaks a run. */
  gapAfter: fc.constantFrom(0, 0, 0, 1, 2, 3, 30),
  jitterSeconds: fc.constantFrom(0, 0, 7, -7),
});

export interface CgmCase {
  intervalMinutes: number;
  points: GlucosePoint[];
}

/** A multi-hour CGM series of one sensor (1, 5 or 15 minutes), in time order, one point per instant. */
export const cgmCase: fc.Arbitrary<CgmCase> = fc
  .record({ intervalMinutes: fc.constantFrom(5, 5, 1, 15), segments: fc.array(segment, { minLength: 1, maxLength: 14 }) })
  .map(({ intervalMinutes, segments }) => {
    const interval = intervalMinutes * MINUTE;
    const points: GlucosePoint[] = [];
    let cursor = T0;
    for (const { value, slopePerMinute, count, spacing, gapAfter, jitterSeconds } of segments) {
      for (let index = 0; index < count; index += 1) {
        const offset = index * spacing * intervalMinutes;
        points.push({ ...valueAt(value, slopePerMinute, offset), at: cursor + (index % 2 === 1 ? jitterSeconds * 1000 : 0) });
        cursor += spacing * interval;
      }
      cursor += gapAfter * interval;
    }
    return { intervalMinutes, points };
  });

/** Fingersticks a few hours apart (sometimes days), values on every threshold. */
export const fingerstickPoints: fc.Arbitrary<GlucosePoint[]> = fc
  .array(fc.record({ value: fc.constantFrom(...LEVELS), hoursAfter: fc.constantFrom(1, 3, 4, 6, 12, 72) }), { minLength: 1, maxLength: 60 })
  .map((draws) => {
    let cursor = T0;
    return draws.map(({ value, hoursAfter }) => {
      cursor += hoursAfter * 60 * MINUTE;
      return { ...point(0, value), at: cursor };
    });
  });

/**
 * The same readings as they may arrive: in any order, some twice (retries, two doors), and some
 * instants also carrying a rival value (which the engine resolves the same way whatever the order).
 */
export function arrivals(points: readonly GlucosePoint[]): fc.Arbitrary<GlucosePoint[]> {
  const copies = fc.array(fc.nat(), { maxLength: 20 }).map((indexes) => indexes.flatMap((index) => (points.length === 0 ? [] : [points[index % points.length]!])));
  const rivals = fc
    .array(fc.record({ index: fc.nat(), value: fc.constantFrom(...LEVELS) }), { maxLength: 5 })
    .map((draws) => draws.flatMap(({ index, value }) => (points.length === 0 ? [] : [{ ...point(0, value), at: points[index % points.length]!.at }])));
  return fc.tuple(copies, rivals).chain(([extra, rival]) => {
    const all = [...points, ...extra, ...rival];
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
  });
}

/** Cuts a sequence into consecutive non-empty batches. */
export function batches<T>(items: readonly T[]): fc.Arbitrary<T[][]> {
  return fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, items.length - 1) }), { maxLength: 12 }).map((cuts) => {
    const bounds = [0, ...cuts.filter((cut) => cut < items.length).sort((a, b) => a - b), items.length];
    return bounds.slice(1).map((end, index) => items.slice(bounds[index], end)).filter((batch) => batch.length > 0);
  });
}
