/**
 * UTC offsets as ISO 8601 and FHIR write them (`Z`, `+01:00`, `+0100`, `+01`, `-09:30`): the one
 * parser and formatter every door uses. Offsets are whole minutes between -14:00 and +14:00 (the
 * widest any zone uses); anything else is not an offset.
 */
export const MAX_OFFSET_MINUTES = 14 * 60;

const OFFSET = /^(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** Minutes east of UTC for an offset designator, or null when it is not one. */
export function parseUtcOffset(designator: string): number | null {
  const match = OFFSET.exec(designator);
  if (!match) return null;
  if (match[1]) return 0;
  const hours = Number(match[3]);
  const minutes = match[4] === undefined ? 0 : Number(match[4]);
  if (minutes > 59) return null;
  const total = hours * 60 + minutes;
  if (total > MAX_OFFSET_MINUTES) return null;
  // -00:00 is UTC, never a negative zero.
  return match[2] === "-" && total !== 0 ? -total : total;
}

const TRAILING_OFFSET = /(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/;

/** The UTC offset written at the end of an ISO 8601 date-time, in minutes; null if none. */
export function offsetMinutesOf(isoTime: string): number | null {
  const trimmed = isoTime.trim();
  // A date-time's offset follows the time; `2026-11-24` alone must not read "-24" as one.
  const timePart = trimmed.split(/[Tt ]/)[1];
  if (timePart === undefined) return null;
  const match = TRAILING_OFFSET.exec(timePart);
  return match ? parseUtcOffset(match[0]) : null;
}

/** `+01:00` style offset text. */
export function formatOffset(utcOffsetMinutes: number): string {
  const sign = utcOffsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(utcOffsetMinutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, "0");
  const minutes = String(absolute % 60).padStart(2, "0");
  return `${sign}${hours}:${minutes}`;
}
