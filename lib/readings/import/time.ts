import { parseUtcOffset } from "@/lib/time/offsets";

/**
 * Timestamps as meter exports write them. Nothing here knows a time zone: local times come back as
 * wall-clock text for resolveLocalTime (lib/time/zones.ts) to place in the patient's zone.
 */

export type ParsedTime =
  | { kind: "local"; localTime: string }
  | { kind: "absolute"; instant: Date; utcOffsetMinutes: number };

export type TimeProblem = "format" | "date" | "offset";

const pad2 = (n: number) => String(n).padStart(2, "0");
const pad4 = (n: number) => String(n).padStart(4, "0");

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isValidDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

/** `YYYY-MM-DDTHH:mm` plus `:ss` when the file gave seconds. */
export function formatLocal(year: number, month: number, day: number, hour: number, minute: number, second: number | null): string {
  const base = `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}`;
  return second === null ? base : `${base}:${pad2(second)}`;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * ISO 8601 date and time (`T` or a space between), seconds and fractions optional, with or without
 * a UTC offset (`Z`, `+01:00`, `+0100`, `+01`). Fractions of a second are kept in the instant but
 * dropped from a local time (no meter reports them and the local form has whole seconds).
 */
export function parseIsoDateTime(text: string): ParsedTime | TimeProblem {
  const m = ISO.exec(text);
  if (!m) return "format";
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? null : Number(m[6]);
  if (!isValidDateTime(year, month, day, hour, minute, second ?? 0)) return "date";
  const offsetText = m[8];
  if (offsetText === undefined) return { kind: "local", localTime: formatLocal(year, month, day, hour, minute, second) };
  const offset = parseUtcOffset(offsetText);
  if (offset === null) return "offset";
  const milliseconds = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years below 100 as written
  instant.setUTCHours(hour, minute - offset, second ?? 0, milliseconds);
  return { kind: "absolute", instant, utcOffsetMinutes: offset };
}

/**
 * A LibreView `Device Timestamp` split into its parts. `first`/`second` are the two day-or-month
 * numbers in file order (the file decides which is which, see resolveDayMonth); year-first dates
 * (`2026-11-24 10:00`) are unambiguous and come back with `yearFirst`.
 */
export interface MeterTimestamp {
  first: number;
  second: number;
  year: number;
  yearFirst: boolean;
  hour: number; // 0-23, already converted from a 12-hour clock
  minute: number;
  secondOfMinute: number | null;
  twelveHour: boolean;
}

const DAY_MONTH_YEAR = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?$/;
const YEAR_MONTH_DAY = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?$/;

export function parseMeterTimestamp(text: string): MeterTimestamp | "format" | "time" {
  let m = DAY_MONTH_YEAR.exec(text);
  let yearFirst = false;
  if (!m) {
    m = YEAR_MONTH_DAY.exec(text);
    yearFirst = true;
  }
  if (!m) return "format";
  const a = Number(m[1]);
  const b = Number(m[2]);
  const c = Number(m[3]);
  let hour = Number(m[4]);
  const minute = Number(m[5]);
  const secondOfMinute = m[6] === undefined ? null : Number(m[6]);
  const meridiem = m[7]?.toUpperCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return "time";
    hour = (hour % 12) + (meridiem === "P" ? 12 : 0);
  } else if (hour > 23) {
    return "time";
  }
  if (minute > 59 || (secondOfMinute ?? 0) > 59) return "time";
  return yearFirst
    ? { first: b, second: c, year: a, yearFirst, hour, minute, secondOfMinute, twelveHour: meridiem !== undefined }
    : { first: a, second: b, year: c, yearFirst, hour, minute, secondOfMinute, twelveHour: meridiem !== undefined };
}

export type DayMonthOrder = "month-first" | "day-first";

/** What one timestamp says about the file's order: nothing, or one order (a number above 12). */
export function dayMonthEvidence(t: MeterTimestamp): DayMonthOrder | null {
  if (t.yearFirst) return null;
  if (t.first > 12 && t.second <= 12) return "day-first";
  if (t.second > 12 && t.first <= 12) return "month-first";
  return null;
}

/** The local wall-clock text of a meter timestamp in a given order, or null when no such date. */
export function meterLocalTime(t: MeterTimestamp, order: DayMonthOrder): string | null {
  const [month, day] = t.yearFirst || order === "month-first" ? [t.first, t.second] : [t.second, t.first];
  if (!isValidDateTime(t.year, month, day, t.hour, t.minute, t.secondOfMinute ?? 0)) return null;
  return formatLocal(t.year, month, day, t.hour, t.minute, t.secondOfMinute);
}
