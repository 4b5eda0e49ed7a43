import { parseUtcOffset } from "@/lib/time/offsets";

/**
 * FHIR date search (R4 §3.1.1.4.5 and §2.1.0.2): a value is a range given by its precision
 * (2026 is the whole year, 2026-11-24T08 is not allowed, 2026-11-24T08:05:00+01:00 one second),
 * and each prefix compares the resource's instant with that range. Times without an offset are
 * read in UTC. Pure.
 */
export const datePrefixes = ["eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"] as const;
export type DatePrefix = (typeof datePrefixes)[number];

export interface DateCondition {
  prefix: DatePrefix;
  /** Inclusive start and exclusive end of the value's range, in epoch ms. */
  start: number;
  end: number;
}

const DATE_PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
// "ap" (approximately): the value's range widened by a day on each side, documented in docs/fhir.md.
export const APPROXIMATE_MARGIN_MS = 86_400_000;

export function parseDateCondition(raw: string): DateCondition | { error: string } {
  const prefix = (datePrefixes as readonly string[]).includes(raw.slice(0, 2)) ? (raw.slice(0, 2) as DatePrefix) : "eq";
  const value = prefix === "eq" && !raw.startsWith("eq") ? raw : raw.slice(2);
  const match = DATE_PATTERN.exec(value);
  if (!match) return { error: `"${raw}" is not a FHIR date: use e.g. ge2026-11-24 or lt2026-11-24T08:00:00Z` };
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const offsetMinutes = zone ? parseUtcOffset(zone) : 0;
  if (offsetMinutes === null) return { error: `"${raw}" has an offset beyond +/-14:00` };
  const offsetMs = offsetMinutes * 60_000;
  const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo, d, h, mi, s, ms) - offsetMs;
  const y = Number(year);
  let start: number;
  let end: number;
  if (month === undefined) {
    start = utc(y, 0, 1);
    end = utc(y + 1, 0, 1);
  } else if (day === undefined) {
    start = utc(y, Number(month) - 1, 1);
    end = utc(y, Number(month), 1);
  } else if (hour === undefined) {
    start = utc(y, Number(month) - 1, Number(day));
    end = utc(y, Number(month) - 1, Number(day) + 1);
  } else if (second === undefined) {
    start = utc(y, Number(month) - 1, Number(day), Number(hour), Number(minute));
    end = start + 60_000;
  } else {
    const milliseconds = fraction ? Math.round(Number(fraction) * 1000) : 0;
    start = utc(y, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), milliseconds);
    end = start + (fraction ? 1 : 1000);
  }
  // Date.UTC rolls 2026-02-30 over into March: a calendar date that does not survive is invalid.
  const calendar = new Date(Date.UTC(y, Number(month ?? 1) - 1, Number(day ?? 1)));
  const calendarValid = calendar.getUTCMonth() + 1 === Number(month ?? 1) && calendar.getUTCDate() === Number(day ?? 1);
  if (!calendarValid || Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) {
    return { error: `"${raw}" is not a valid date` };
  }
  return { prefix, start, end };
}

/** The instants matching a condition, as a half-open interval [from, to) or its complement for `ne`. */
export function conditionBounds(condition: DateCondition): { from?: number; to?: number; exclude?: { from: number; to: number } } {
  switch (condition.prefix) {
    case "eq":
      return { from: condition.start, to: condition.end };
    case "ne":
      return { exclude: { from: condition.start, to: condition.end } };
    case "gt":
    case "sa":
      return { from: condition.end };
    case "lt":
    case "eb":
      return { to: condition.start };
    case "ge":
      return { from: condition.start };
    case "le":
      return { to: condition.end };
    case "ap":
      return { from: condition.start - APPROXIMATE_MARGIN_MS, to: condition.end + APPROXIMATE_MARGIN_MS };
  }
}
