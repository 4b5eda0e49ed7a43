import { formatOffset } from "@/lib/time/offsets";

/**
 * FHIR primitive renderings shared by the mappers. Pure.
 */

/** FHIR `id`: 1 to 64 of A-Z a-z 0-9 - . */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** FHIR R4 `date` or `dateTime` (the regex of the specification). */
export const FHIR_DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;

/** The widest offsets a FHIR dateTime can carry (-14:00 to +14:00). */
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * An instant as a FHIR dateTime at its original UTC offset, so 08:05 local stays 08:05:
 * `2026-11-24T08:05:00+01:00`. Milliseconds appear only when not zero. An offset FHIR cannot
 * carry (beyond +/-14:00, or not whole minutes) falls back to UTC (`Z`): the instant stays right.
 */
export function fhirDateTimeAtOffset(instant: Date, utcOffsetMinutes: number): string {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError("Invalid date");
  const offset = Number.isInteger(utcOffsetMinutes) && Math.abs(utcOffsetMinutes) <= MAX_OFFSET_MINUTES ? utcOffsetMinutes : null;
  const shifted = new Date(time + (offset ?? 0) * 60_000).toISOString();
  const seconds = shifted.slice(0, 19);
  const millis = shifted.slice(19, 23);
  return `${seconds}${millis === ".000" ? "" : millis}${offset === null ? "Z" : formatOffset(offset)}`;
}

/** A FHIR instant (UTC, milliseconds). */
export function fhirInstant(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError("Invalid date");
  return instant.toISOString();
}

/** A caller's period bound: a FHIR date/dateTime string as given, or a Date as an instant. */
export function fhirPeriodBound(value: string | Date): string {
  if (value instanceof Date) return fhirInstant(value);
  if (!FHIR_DATE_TIME.test(value)) throw new RangeError(`Not a FHIR date or dateTime: ${value}`);
  return value;
}

/**
 * FNV-1a, 64 bits, as 16 hex digits: a short deterministic digest for ids derived from longer
 * keys. Not cryptographic, and needs no platform crypto (the mappers run anywhere).
 */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/** Trimmed text, or undefined when nothing is left (FHIR strings may not be empty). */
export function nonEmpty(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}
