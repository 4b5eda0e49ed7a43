import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseDocumentTime } from "./documents";
import { xdripIdOfUuid } from "./identifiers";

/**
 * The searches apps and followers send, read into one query per collection. API v1 writes them as
 * Mongo-style `find[field][$op]=value` with `count` (xDrip+, Loop, nightscout-connect, Nightguard);
 * API v3 as `field$op=value` with `limit`, `skip`, `sort` and `fields` (AndroidAPS). A filter
 * Lantern cannot apply is refused with a sentence, never ignored: ignoring one would answer with
 * documents the app did not ask for (xDrip+ deletes the first treatment its uuid search returns).
 */

export type Collection = "entries" | "treatments" | "devicestatus";

export interface Bound {
  at: Date;
  inclusive: boolean;
}

export interface TimeRange {
  from?: Bound;
  to?: Bound;
}

/** The fields a collection can be searched by for equality. */
export type EqualityField = "type" | "eventType" | "enteredBy" | "device" | "identifier";

export interface CollectionQuery {
  /** On the document's own time (an entry's date, a treatment's or report's created_at). */
  time: TimeRange;
  /** On the server's time of last change (API v3 srvModified). */
  modified: TimeRange;
  equals: Partial<Record<EqualityField, string[]>>;
  sortBy: "time" | "modified";
  order: "asc" | "desc";
  limit: number;
  skip: number;
  /** API v3 `fields`: the fields each document keeps; null for all. */
  fields: string[] | null;
}

type FieldMeaning = { kind: "time" } | { kind: "modified" } | { kind: "equals"; field: EqualityField; convert?: (value: string) => string };

const time = { kind: "time" } as const;
const equals = (field: EqualityField, convert?: (value: string) => string) => ({ kind: "equals", field, convert }) as const;

/** What each searchable field means, per collection and API version. */
const V1_FIELDS: Record<Collection, Record<string, FieldMeaning>> = {
  entries: { date: time, dateString: time, sysTime: time, type: equals("type"), _id: equals("identifier") },
  // Loop searches treatments by `timestamp`; xDrip+ finds one to delete by its `uuid`.
  treatments: { created_at: time, timestamp: time, date: time, eventType: equals("eventType"), enteredBy: equals("enteredBy"), _id: equals("identifier"), uuid: equals("identifier", xdripIdOfUuid) },
  devicestatus: { created_at: time, date: time, device: equals("device"), _id: equals("identifier") },
};

const V3_FIELDS: Record<Collection, Record<string, FieldMeaning>> = {
  entries: { date: time, dateString: time, sysTime: time, srvModified: { kind: "modified" }, type: equals("type"), identifier: equals("identifier") },
  treatments: { date: time, created_at: time, srvModified: { kind: "modified" }, eventType: equals("eventType"), identifier: equals("identifier") },
  devicestatus: { date: time, created_at: time, srvModified: { kind: "modified" }, device: equals("device"), identifier: equals("identifier") },
};

type Operator = "eq" | "gt" | "gte" | "lt" | "lte" | "in";
const OPERATORS: readonly Operator[] = ["eq", "gt", "gte", "lt", "lte", "in"];

const emptyQuery = (limit: number): CollectionQuery => ({ time: {}, modified: {}, equals: {}, sortBy: "time", order: "desc", limit, skip: 0, fields: null });

/** A time as a search writes it: epoch milliseconds, or ISO 8601 (whose `+` some apps leave unescaped, so it arrives as a space). */
function searchTime(value: string, field: string): Date {
  const repaired = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)? \d{2}(:?\d{2})?$/.test(value) ? value.replace(/ (\d{2}(:?\d{2})?)$/, "+$1") : value;
  const parsed = parseDocumentTime(repaired, "UTC");
  if (!parsed) throw new AppError("invalid_input", `${field} must be a time: epoch milliseconds or ISO 8601 text.`);
  return parsed.instant;
}

/** Narrows a range by one comparison, keeping the tighter bound on each side. */
function narrow(range: TimeRange, operator: Operator, at: Date): TimeRange {
  const lower = (bound: Bound) => (range.from && (range.from.at > bound.at || (range.from.at.getTime() === bound.at.getTime() && !range.from.inclusive)) ? range.from : bound);
  const upper = (bound: Bound) => (range.to && (range.to.at < bound.at || (range.to.at.getTime() === bound.at.getTime() && !range.to.inclusive)) ? range.to : bound);
  switch (operator) {
    case "gt":
      return { ...range, from: lower({ at, inclusive: false }) };
    case "gte":
      return { ...range, from: lower({ at, inclusive: true }) };
    case "lt":
      return { ...range, to: upper({ at, inclusive: false }) };
    case "lte":
      return { ...range, to: upper({ at, inclusive: true }) };
    case "eq":
    case "in":
      return { from: lower({ at, inclusive: true }), to: upper({ at, inclusive: true }) };
  }
}

function apply(query: CollectionQuery, meaning: FieldMeaning, operator: Operator, values: string[], field: string): CollectionQuery {
  switch (meaning.kind) {
    case "time":
    case "modified": {
      if (operator === "in") throw new AppError("invalid_input", `${field} cannot be searched with $in; use $gte and $lte.`);
      const key = meaning.kind === "time" ? "time" : "modified";
      return { ...query, [key]: narrow(query[key], operator, searchTime(values[0]!, field)) };
    }
    case "equals": {
      if (operator !== "eq" && operator !== "in") throw new AppError("invalid_input", `${field} can only be searched for equal values ($eq or $in).`);
      const converted = values.map((value) => (meaning.convert ? meaning.convert(value) : value));
      const earlier = query.equals[meaning.field];
      // $in written as a repeated `find[field][$in][]` adds values; two conditions on one field allow only what both allow.
      const allowed = !earlier ? converted : operator === "in" ? [...earlier, ...converted] : converted.filter((value) => earlier.includes(value));
      return { ...query, equals: { ...query.equals, [meaning.field]: allowed } };
    }
  }
}

function unsupportedField(collection: Collection, field: string, fields: Record<string, FieldMeaning>, spelling: (name: string) => string): AppError {
  return new AppError("invalid_input", `Lantern cannot search ${collection} by ${field}; it searches by ${Object.keys(fields).map(spelling).join(", ")}.`);
}

const V1_FIND = /^find\[([^\]]+)\](?:\[\$([A-Za-z]+)\])?(?:\[\])?$/;
const MAX_V1_COUNT = 10_000;
const countSchema = z.coerce.number({ message: "count must be a positive whole number." }).int("count must be a positive whole number.").min(1, "count must be a positive whole number.").max(MAX_V1_COUNT, `count must be at most ${MAX_V1_COUNT.toLocaleString("en")}.`);

/** Nightscout's default counts: 10 entries or reports; 100 treatments, 1,000 when searching by find. */
function defaultV1Count(params: URLSearchParams, collection: Collection): number {
  if (collection !== "treatments") return 10;
  return [...params.keys()].some((name) => name.startsWith("find[")) ? 1000 : 100;
}

/**
 * An API v1 search: `count` (the collection's default when absent) and `find[...]` filters.
 * Other parameters (`token`, cache-busters) are not filters and are left alone, as Nightscout does.
 */
export function parseV1Search(params: URLSearchParams, collection: Collection): CollectionQuery {
  let query = emptyQuery(defaultV1Count(params, collection));
  const count = params.get("count");
  if (count !== null) {
    const parsed = countSchema.safeParse(count);
    if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]!.message);
    query = { ...query, limit: parsed.data };
  }
  const fields = V1_FIELDS[collection];
  for (const [name, value] of params) {
    const match = V1_FIND.exec(name);
    if (!match) continue;
    const [, field, operatorName] = match;
    const meaning = Object.hasOwn(fields, field!) ? fields[field!] : undefined;
    if (!meaning) throw unsupportedField(collection, `find[${field}]`, fields, (known) => `find[${known}]`);
    const operator = (operatorName ?? "eq") as Operator;
    if (!OPERATORS.includes(operator)) throw new AppError("invalid_input", `Lantern cannot search with $${operatorName}; it understands $eq, $in, $gt, $gte, $lt and $lte.`);
    query = apply(query, meaning, operator, operator === "in" ? value.split("|") : [value], `find[${field}]`);
  }
  return query;
}

// Nightscout's own messages, which apps may recognize.
const V3_MESSAGES = {
  badLimit: "Parameter limit out of tolerance",
  badSkip: "Parameter skip out of tolerance",
  sortAndDesc: "Parameters sort and sort_desc cannot be combined",
  unsupportedOperator: (operator: string) => `Unsupported filter operator ${operator}`,
} as const;

const V3_MAX_LIMIT = 1000;
const V3_RESERVED = new Set(["token", "sort", "sort$desc", "limit", "skip", "fields", "now"]);
const V3_FILTER = /^(.*)\$([A-Za-z]+)$/;
const V3_KNOWN_OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "re"];

/** An API v3 search: `limit` (at most 1,000, the default), `skip`, `sort` or `sort$desc`, `fields` and `field$op=value` filters. */
export function parseV3Search(params: URLSearchParams, collection: Collection): CollectionQuery {
  let query = emptyQuery(V3_MAX_LIMIT);
  const limit = params.get("limit");
  if (limit !== null) {
    const parsed = z.coerce.number().int().min(1).max(V3_MAX_LIMIT).safeParse(limit);
    if (!parsed.success) throw new AppError("invalid_input", V3_MESSAGES.badLimit);
    query = { ...query, limit: parsed.data };
  }
  const skip = params.get("skip");
  if (skip !== null) {
    const parsed = z.coerce.number().int().min(0).safeParse(skip);
    if (!parsed.success) throw new AppError("invalid_input", V3_MESSAGES.badSkip);
    query = { ...query, skip: parsed.data };
  }
  const fields = V3_FIELDS[collection];
  const sortAscending = params.get("sort");
  const sortDescending = params.get("sort$desc");
  if (sortAscending !== null && sortDescending !== null) throw new AppError("invalid_input", V3_MESSAGES.sortAndDesc);
  const sortField = sortDescending ?? sortAscending;
  if (sortField !== null) {
    const meaning = Object.hasOwn(fields, sortField) ? fields[sortField] : undefined;
    if (meaning?.kind !== "time" && meaning?.kind !== "modified") {
      throw new AppError("invalid_input", `Lantern sorts ${collection} by ${Object.keys(fields).filter((name) => fields[name]!.kind !== "equals").join(", ")}.`);
    }
    query = { ...query, sortBy: meaning.kind, order: sortDescending !== null ? "desc" : "asc" };
  }
  const projection = params.get("fields");
  if (projection !== null && projection !== "_all") query = { ...query, fields: projection.split(",").map((field) => field.trim()).filter(Boolean) };

  for (const [name, value] of params) {
    if (V3_RESERVED.has(name)) continue;
    const match = V3_FILTER.exec(name);
    const [field, operatorName] = match ? [match[1]!, match[2]!] : [name, "eq"];
    if (!V3_KNOWN_OPERATORS.includes(operatorName)) throw new AppError("invalid_input", V3_MESSAGES.unsupportedOperator(operatorName));
    if (!OPERATORS.includes(operatorName as Operator)) throw new AppError("invalid_input", `Lantern does not support the filter operator ${operatorName}; it understands eq, in, gt, gte, lt and lte.`);
    const meaning = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (!meaning) throw unsupportedField(collection, field, fields, (known) => known);
    query = apply(query, meaning, operatorName as Operator, operatorName === "in" ? value.split("|") : [value], field);
  }
  return query;
}

/** API v3 `fields`: only the fields asked for (a document without one simply lacks it). */
export function project<T extends Record<string, unknown>>(document: T, fields: string[] | null): Partial<T> {
  if (fields === null) return document;
  return Object.fromEntries(Object.entries(document).filter(([field]) => fields.includes(field))) as Partial<T>;
}

const BAD_LAST_MODIFIED = "Bad or missing Last-Modified header/parameter";

/**
 * An API v3 history request: the changes after the time in the path (epoch milliseconds, as
 * AndroidAPS sends the last srvModified it saw), or since the `Last-Modified` header (an HTTP
 * date, to the second), oldest first, deleted documents included.
 */
export function parseV3History(pathTime: string | null, lastModifiedHeader: string | null, params: URLSearchParams): CollectionQuery {
  const { limit } = parseV3Search(new URLSearchParams(params.has("limit") ? { limit: params.get("limit")! } : {}), "entries");
  let modified: TimeRange;
  if (pathTime !== null) {
    const parsed = parseDocumentTime(pathTime, "UTC");
    if (!parsed) throw new AppError("invalid_input", BAD_LAST_MODIFIED);
    modified = { from: { at: parsed.instant, inclusive: false } };
  } else {
    const since = lastModifiedHeader === null ? Number.NaN : Date.parse(lastModifiedHeader);
    if (Number.isNaN(since)) throw new AppError("invalid_input", BAD_LAST_MODIFIED);
    modified = { from: { at: new Date(since - (since % 1000)), inclusive: true } };
  }
  return { ...emptyQuery(limit), modified, sortBy: "modified", order: "asc" };
}

/**
 * GET /api/v1/entries/{spec}: `current` (the latest CGM entry), an entry's id, or an entry type
 * (`sgv`, `mbg`...) with the usual search parameters. The `.json` ending is optional; Lantern
 * answers JSON only.
 */
export function parseV1EntrySpec(spec: string, params: URLSearchParams): CollectionQuery {
  const [name, extension] = spec.split(/\.(?=[^.]+$)/) as [string, string | undefined];
  if (extension !== undefined && extension !== "json") throw new AppError("invalid_input", `Lantern answers JSON only: ask for ${name}.json.`);
  const query = parseV1Search(params, "entries");
  if (name === "current") return { ...query, equals: { ...query.equals, type: ["sgv"] }, limit: 1 };
  if (/^\d+$/.test(name)) return { ...query, equals: { ...query.equals, identifier: [name] }, limit: 1 };
  return { ...query, equals: { ...query.equals, type: [name] } };
}
