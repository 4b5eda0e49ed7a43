import { z } from "zod";
import { offsetMinutesOf } from "@/lib/time/offsets";
import { resolveLocalTime } from "@/lib/time/zones";

/**
 * What every Nightscout document shares, read the way apps write it: numbers as JSON strings,
 * times as epoch milliseconds or ISO 8601 text, and the app naming itself in one of several
 * fields. Pure functions; they never throw on what an app sends.
 */

// Some apps send numbers as JSON strings ("sgv": "140", "date": "1796…"): they are read as the
// numbers they spell rather than costing the patient the data. Other text fails its check.
const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
export const numeric = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === "string" && NUMBER_TEXT.test(value) ? Number(value) : value), schema);

/** Text an app sent to name or describe something, trimmed and bounded; absent when empty or not text. */
export const boundedText = (maxLength: number) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, maxLength) : undefined), z.string().optional());

const APP_NAME_LENGTH = 100;
export const UNNAMED_APP = "An app that did not name itself";

/** The app as people should read it: the first of the fields that names it (device, app, enteredBy...). */
export function appName(...candidates: unknown[]): string {
  const named = candidates.find((candidate): candidate is string => typeof candidate === "string" && candidate.trim() !== "");
  return named === undefined ? UNNAMED_APP : named.trim().slice(0, APP_NAME_LENGTH);
}

/** Epoch milliseconds of 2000-01-01: Nightscout reads smaller numbers as epoch seconds. */
const MIN_EPOCH_MS = 946_684_800_000;
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export interface DocumentTime {
  instant: Date;
  /** The UTC offset the text carried, in minutes; null for epoch numbers, which carry none. */
  writtenOffsetMinutes: number | null;
}

/**
 * A time as Nightscout documents carry it: epoch milliseconds (a number or numeric text; below
 * 2000-01-01 it is epoch seconds, as Nightscout reads it), or ISO 8601 text. Text without an
 * offset is a wall-clock time in the patient's zone. Null when it is none of these.
 */
export function parseDocumentTime(value: unknown, timeZone: string): DocumentTime | null {
  const number = typeof value === "number" ? value : typeof value === "string" && NUMBER_TEXT.test(value) ? Number(value) : null;
  if (number !== null) {
    if (!Number.isFinite(number) || number <= 0) return null;
    const milliseconds = number < MIN_EPOCH_MS ? number * 1000 : number;
    const instant = new Date(Math.round(milliseconds));
    return Number.isNaN(instant.getTime()) ? null : { instant, writtenOffsetMinutes: null };
  }
  if (typeof value !== "string") return null;
  const match = ISO_DATE_TIME.exec(value.trim());
  if (!match) return null;
  const [, day, clock, designator] = match;
  // Milliseconds at most: some apps write microseconds, which Date cannot hold.
  const wallClock = `${day}T${clock!.replace(/(\.\d{3})\d+$/, "$1")}`;
  if (designator === undefined) {
    const local = resolveLocalTime(wallClock, timeZone);
    return local.kind === "exact" || local.kind === "repeated" ? { instant: local.instant, writtenOffsetMinutes: null } : null;
  }
  const offset = offsetMinutesOf(`${wallClock}${designator}`);
  const utcWallClock = Date.parse(`${wallClock}Z`);
  if (offset === null || Number.isNaN(utcWallClock)) return null;
  return { instant: new Date(utcWallClock - offset * 60_000), writtenOffsetMinutes: offset };
}

/**
 * The first of several time fields (in the order given) that holds a readable time, as
 * Nightscout tries `date`, then `created_at`; "missing" when none is there, "unreadable" when
 * those there are not times.
 */
export function firstDocumentTime(document: Record<string, unknown>, fields: readonly string[], timeZone: string): DocumentTime | "missing" | "unreadable" {
  const present = fields.filter((field) => document[field] !== undefined && document[field] !== null);
  for (const field of present) {
    const time = parseDocumentTime(document[field], timeZone);
    if (time) return time;
  }
  return present.length === 0 ? "missing" : "unreadable";
}

/** An app's `utcOffset` in minutes, when it is a whole number within the offsets zones use. */
export function utcOffsetField(value: unknown): number | null {
  const parsed = numeric(z.number().int().min(-12 * 60).max(14 * 60)).safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A document as a plain object, or null for anything else (an array, a number, null). */
export function asDocument(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

// The fields that let an app tell which of its documents an answer is about.
// Never `_id`: an answer with an `_id` tells Loop the document was stored.
const ECHOED_FIELDS = ["identifier", "type", "date", "dateString", "created_at", "eventType", "device"] as const;

/**
 * The answer's element for a posted document Lantern did not store. Nightscout answers a POST
 * with one element per document, in order, and Loop resends everything when the count differs;
 * without an `_id` Loop takes it as handled. The document's own identifying fields are echoed
 * so an app can tell which one it was, with Lantern's reason.
 */
export function notStoredAnswer(raw: unknown, reason: string): Record<string, unknown> {
  const document = asDocument(raw) ?? {};
  const echoed = ECHOED_FIELDS.filter((field) => ["string", "number"].includes(typeof document[field])).map((field) => [field, document[field]]);
  return { ...Object.fromEntries(echoed), stored: false, message: reason };
}
