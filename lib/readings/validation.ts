import type { Censoring, GlucoseUnit } from "@/db/schema/readings-enums";
import { PLAUSIBLE_MGDL, plausibleRangeIn, toMgdl } from "./units";

/** Readings time-stamped further ahead than this are refused: clocks drift, the future does not. */
export const MAX_FUTURE_SKEW_MS = 10 * 60 * 1000;
// The widest offsets any zone uses (UTC-12 to UTC+14).
const MIN_OFFSET_MINUTES = -12 * 60;
const MAX_OFFSET_MINUTES = 14 * 60;

export interface ValueAndTime {
  value: number;
  unit: GlucoseUnit;
  censored: Censoring | null;
  effectiveAt: Date;
  utcOffsetMinutes: number;
}

/**
 * The checks every door shares (CLINICAL.md, PRIVACY-SECURITY.md E3). Returns the reason a
 * person or device can act on, or null when the reading may be stored.
 */
export function whyUnacceptable(reading: ValueAndTime, now: Date): string | null {
  if (!Number.isFinite(reading.value)) return "the value is not a number";
  const mgdl = toMgdl(reading.value, reading.unit);
  if (mgdl < PLAUSIBLE_MGDL.min || mgdl > PLAUSIBLE_MGDL.max) {
    const { min, max } = plausibleRangeIn(reading.unit);
    return `${reading.value} ${reading.unit} is outside what any meter reports (${min} to ${max} ${reading.unit})`;
  }
  if (Number.isNaN(reading.effectiveAt.getTime())) return "the time is not a valid date";
  if (reading.effectiveAt.getTime() - now.getTime() > MAX_FUTURE_SKEW_MS) {
    return `the time ${reading.effectiveAt.toISOString()} is more than 10 minutes in the future; check the device clock`;
  }
  if (!Number.isInteger(reading.utcOffsetMinutes) || reading.utcOffsetMinutes < MIN_OFFSET_MINUTES || reading.utcOffsetMinutes > MAX_OFFSET_MINUTES) {
    return "the UTC offset must be between -12:00 and +14:00";
  }
  return null;
}
