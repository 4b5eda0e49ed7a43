import type { GlucosePoint } from "../points";

/** Readings for tests: instants in minutes after T0, values in mg/dL or "LO"/"HI" at the CGM limits. */
export const T0 = Date.UTC(2026, 10, 1);
export const MINUTE = 60_000;

export type Value = number | "LO" | "HI";

export const at = (minutes: number) => T0 + minutes * MINUTE;

export function point(minutes: number, value: Value): GlucosePoint {
  if (value === "LO") return { at: at(minutes), mgdl: 40, censored: "below" };
  if (value === "HI") return { at: at(minutes), mgdl: 400, censored: "above" };
  return { at: at(minutes), mgdl: value, censored: null };
}

/** One reading every `everyMinutes`, starting at `fromMinute`. */
export function series(values: readonly Value[], everyMinutes = 5, fromMinute = 0): GlucosePoint[] {
  return values.map((value, index) => point(fromMinute + index * everyMinutes, value));
}

export const times = <T>(count: number, value: T): T[] => Array.from({ length: count }, () => value);
