import type { Censoring, GlucoseUnit } from "@/db/schema/readings-enums";
import { formatAtOffset } from "@/lib/time/zones";
import { PLAUSIBLE_MGDL, plausibleRangeIn, toMgdl } from "./units";

/** Readings time-stamped further ahead than this are refused: clocks drift, the future does not. */
export const MAX_FUTURE_SKEW_MS = 10 * 60 * 1000;
// The widest offsets any zone uses (UTC-12 to UTC+14).
const MIN_OFFSET_MINUTES = -12 * 60;
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * The earliest reading accepted unless the caller chooses another floor. Home CGMs and meters
 * that export or upload (the doors Lantern has) date from after it, while the dates a meter shows
 * after its clock resets (2000-01-01, 1970-01-01) come before it: a reading from earlier is
 * almost always a clock that was never set, stored at the wrong end of the patient's history.
 */
export const DEFAULT_EARLIEST_READING = new Date("2005-01-01T00:00:00Z");

/** The window in time a reading must fall in, given by the caller (never read from the environment). */
export interface TimeBounds {
  /** Readings before this instant are refused. */
  floor: Date;
  /** The patient's date of birth, `YYYY-MM-DD`; a reading dated before it is refused. */
  birthDate: string | null;
}

export const DEFAULT_TIME_BOUNDS: TimeBounds = { floor: DEFAULT_EARLIEST_READING, birthDate: null };

export interface ValueAndTime {
  value: number;
  unit: GlucoseUnit;
  censored: Censoring | null;
  effectiveAt: Date;
  utcOffsetMinutes: number;
}

/**
 * Which shared check a reading failed: doors that count problems by kind (an uploader app whose
 * clock runs a day ahead sends hundreds of readings that fail the same way) group on it.
 */
export type UnacceptableKind = "not-a-number" | "implausible-value" | "invalid-time" | "future-time" | "clock-unset" | "before-birth" | "before-floor" | "invalid-offset";

/**
 * The checks every door shares (CLINICAL.md, PRIVACY-SECURITY.md E3). Returns the reason a
 * person or device can act on, or null when the reading may be stored. `bounds` holds the earliest
 * time and the patient's date of birth; callers that know the patient pass the birth date.
 */
export function whyUnacceptable(reading: ValueAndTime, now: Date, bounds: TimeBounds = DEFAULT_TIME_BOUNDS): string | null {
  return whatIsUnacceptable(reading, now, bounds)?.reason ?? null;
}

/** The same checks, with which one failed. */
export function whatIsUnacceptable(reading: ValueAndTime, now: Date, bounds: TimeBounds = DEFAULT_TIME_BOUNDS): { kind: UnacceptableKind; reason: string } | null {
  if (!Number.isFinite(reading.value)) return { kind: "not-a-number", reason: "the value is not a number" };
  const mgdl = toMgdl(reading.value, reading.unit);
  if (mgdl < PLAUSIBLE_MGDL.min || mgdl > PLAUSIBLE_MGDL.max) {
    const { min, max } = plausibleRangeIn(reading.unit);
    return { kind: "implausible-value", reason: `${reading.value} ${reading.unit} is outside what any meter reports (${min} to ${max} ${reading.unit})` };
  }
  if (!isCalendarInstant(reading.effectiveAt)) return { kind: "invalid-time", reason: "the time is not a valid date" };
  // The offset first: the clock checks read the reading's local date through it.
  if (!isUtcOffset(reading.utcOffsetMinutes)) return { kind: "invalid-offset", reason: "the UTC offset must be between -12:00 and +14:00" };
  return whatIsWrongWithTheClock(reading, now, bounds);
}

/** Day one of year 1, plus a day: at any UTC offset its local date is still a four-digit year. */
const EARLIEST_CALENDAR_INSTANT = Date.parse("0001-01-02T00:00:00Z");

/** A date a clock can show: valid, and its local date written with a four-digit year. */
function isCalendarInstant(instant: Date): boolean {
  const time = instant.getTime();
  return !Number.isNaN(time) && time >= EARLIEST_CALENDAR_INSTANT;
}

function isUtcOffset(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= MIN_OFFSET_MINUTES && minutes <= MAX_OFFSET_MINUTES;
}

/**
 * The part of the checks that says the sender's clock is wrong (a time in the future, before the
 * floor, before the patient was born, or a reset clock's date): shown on the devices page as the
 * meter's clock state. Null for a valid time.
 */
export function clockProblemOf(reading: ValueAndTime, now: Date, bounds: TimeBounds = DEFAULT_TIME_BOUNDS): string | null {
  if (!isCalendarInstant(reading.effectiveAt) || !isUtcOffset(reading.utcOffsetMinutes)) return null;
  return whatIsWrongWithTheClock(reading, now, bounds)?.reason ?? null;
}

function whatIsWrongWithTheClock(reading: ValueAndTime, now: Date, bounds: TimeBounds): { kind: UnacceptableKind; reason: string } | null {
  if (reading.effectiveAt.getTime() - now.getTime() > MAX_FUTURE_SKEW_MS) {
    return { kind: "future-time", reason: `the time ${reading.effectiveAt.toISOString()} is more than 10 minutes in the future; check the device clock` };
  }
  return whyTooEarly(reading, bounds);
}

function whyTooEarly(reading: ValueAndTime, bounds: TimeBounds): { kind: UnacceptableKind; reason: string } | null {
  const instant = reading.effectiveAt;
  // The reading's own calendar date: a birth date and a meter's display are local dates.
  const local = formatAtOffset(instant, reading.utcOffsetMinutes);
  const localDate = local.slice(0, 10);
  if (instant < bounds.floor) {
    // A clock that was reset starts at midnight on 1 January (2000 and 1970 are the usual ones);
    // the meter may apply its zone to it or not, so both the local and the UTC reading count.
    const resetDate = [local, formatAtOffset(instant, 0)].find((wall) => wall.endsWith("-01-01 00:00") && instant.getUTCSeconds() === 0 && instant.getUTCMilliseconds() === 0);
    if (resetDate) {
      return { kind: "clock-unset", reason: `the meter's clock looks unset: ${resetDate.slice(0, 10)} (set the meter's date and time, then send the reading again)` };
    }
  }
  if (bounds.birthDate !== null && localDate < bounds.birthDate) {
    return { kind: "before-birth", reason: `the time ${instant.toISOString()} is before the patient's date of birth (${bounds.birthDate}); check the device clock` };
  }
  if (instant < bounds.floor) {
    return {
      kind: "before-floor",
      reason: `the time ${instant.toISOString()} is before ${bounds.floor.toISOString().slice(0, 10)}, the earliest time Lantern accepts; check the device clock`,
    };
  }
  return null;
}
