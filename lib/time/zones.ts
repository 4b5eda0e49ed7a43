import { Temporal } from "temporal-polyfill";

/**
 * Local wall-clock times (the manual form, meter exports) read in the patient's time zone.
 * Daylight saving makes some local times not exist (clocks go forward) and others happen twice
 * (clocks go back); both are reported so the person can be told what happened.
 */
export type LocalTimeResolution =
  | { kind: "exact"; instant: Date; utcOffsetMinutes: number }
  | { kind: "repeated"; instant: Date; utcOffsetMinutes: number; laterUtcOffsetMinutes: number }
  | { kind: "skipped" }
  | { kind: "invalid" };

export function isValidTimeZone(timeZone: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** `local` is an ISO date-time without offset, e.g. 2026-03-29T01:30 or 2026-03-29T01:30:00. */
export function resolveLocalTime(local: string, timeZone: string): LocalTimeResolution {
  let plain: Temporal.PlainDateTime;
  try {
    plain = Temporal.PlainDateTime.from(local, { overflow: "reject" });
  } catch {
    return { kind: "invalid" };
  }
  const earlier = plain.toZonedDateTime(timeZone, { disambiguation: "earlier" });
  const later = plain.toZonedDateTime(timeZone, { disambiguation: "later" });
  const offsetOf = (zoned: Temporal.ZonedDateTime) => Math.round(zoned.offsetNanoseconds / 60e9);
  const exists = earlier.toPlainDateTime().equals(plain);
  if (!exists) return { kind: "skipped" };
  const instant = new Date(earlier.epochMilliseconds);
  if (earlier.epochMilliseconds !== later.epochMilliseconds) {
    return { kind: "repeated", instant, utcOffsetMinutes: offsetOf(earlier), laterUtcOffsetMinutes: offsetOf(later) };
  }
  return { kind: "exact", instant, utcOffsetMinutes: offsetOf(earlier) };
}

/** The wall-clock time of an instant at a fixed offset, as `YYYY-MM-DD HH:mm`. */
export function formatAtOffset(instant: Date, utcOffsetMinutes: number): string {
  const shifted = new Date(instant.getTime() + utcOffsetMinutes * 60_000);
  return shifted.toISOString().slice(0, 16).replace("T", " ");
}

/** The current wall-clock time in a zone, for form defaults: `YYYY-MM-DDTHH:mm`. */
export function nowInZone(timeZone: string, now: Date = new Date()): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).toPlainDateTime().toString().slice(0, 16);
}

/** The zone's UTC offset in minutes at an instant. */
export function offsetAt(instant: Date, timeZone: string): number {
  const zoned = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
  return Math.round(zoned.offsetNanoseconds / 60e9);
}
