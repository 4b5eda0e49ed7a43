import { z } from "zod";

/**
 * Paging of every FHIR search: one `_count` parser and one cursor format. Pure.
 *
 * A cursor names the last row a page showed (keyset paging), so readings stored meanwhile never
 * shift or repeat a page. It is opaque to clients: base64url of `{"v":1,"d":"after"|"before","k":[...]}`
 * where `k` holds the sort key of that row, its shape checked per resource type. A cursor that
 * does not decode to that shape is a 400 naming `_cursor`, never a server error.
 */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export type SearchError = { error: string; parameter: string };

/** `_count`: absent gives the default; larger than the maximum is clamped (FHIR lets servers). */
export function parseCount(raw: string | null): number | SearchError {
  if (raw === null) return DEFAULT_PAGE_SIZE;
  if (!/^\d{1,9}$/.test(raw)) return { error: `_count must be a whole number from 0 to ${MAX_PAGE_SIZE}`, parameter: "_count" };
  return Math.min(Number(raw), MAX_PAGE_SIZE);
}

export type CursorDirection = "after" | "before";

export interface Cursor<Key> {
  direction: CursorDirection;
  key: Key;
}

const envelope = z.object({ v: z.literal(1), d: z.enum(["after", "before"]), k: z.array(z.union([z.string(), z.number()])).max(4) });

export function encodeCursor(direction: CursorDirection, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify({ v: 1, d: direction, k: key })).toString("base64url");
}

const DAMAGED = "This page link is damaged or from another search; start the search again from its first page.";

/** Decodes `_cursor` against the key shape of the resource type searched. */
export function decodeCursor<Key>(raw: string | null, keyShape: z.ZodType<Key>): Cursor<Key> | null | SearchError {
  if (raw === null) return null;
  if (raw.length > 512 || !/^[A-Za-z0-9_-]+$/.test(raw)) return { error: DAMAGED, parameter: "_cursor" };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return { error: DAMAGED, parameter: "_cursor" };
  }
  const outer = envelope.safeParse(json);
  if (!outer.success) return { error: DAMAGED, parameter: "_cursor" };
  const key = keyShape.safeParse(outer.data.k);
  if (!key.success) return { error: DAMAGED, parameter: "_cursor" };
  return { direction: outer.data.d, key: key.data };
}

export function isSearchError(value: unknown): value is SearchError {
  return typeof value === "object" && value !== null && "error" in value && "parameter" in value;
}

/** One page of a search: its rows, the cursors of the pages either side, and the total when counted. */
export interface Page<Row> {
  rows: Row[];
  /** Opaque `_cursor` values of the next and previous pages, when there are such pages. */
  next: string | null;
  previous: string | null;
  /** How many match in all (`total`), when the search asked for it. */
  total: number | null;
}

/** The key of types listed in id order (Patient, Device, Practitioner, Organization): the id. */
export const idKey = z.tuple([z.uuid()]);
export type IdKey = z.infer<typeof idKey>;

/**
 * A page of an id-ordered search from the rows fetched after the cursor: up to `count + 1`, the
 * extra one saying that there is a next page.
 */
export function idOrderedPage<Row extends { id: string }>(fetched: readonly Row[], count: number, total: number | null): Page<Row> {
  const rows = fetched.slice(0, count);
  const last = rows.at(-1);
  return { rows, next: fetched.length > count && last ? encodeCursor("after", [last.id]) : null, previous: null, total };
}
