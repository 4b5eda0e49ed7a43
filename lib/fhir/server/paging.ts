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

/** Types listed in id order (Patient, Device, Practitioner): the page size and the id to continue after. */
export interface IdPaging {
  count: number;
  afterId: string | null;
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

/** The URL of another page of the same search: the same parameters with another `_cursor`. */
export function pageUrl(selfUrl: URL, cursor: string | null): string | undefined {
  if (cursor === null) return undefined;
  const next = new URL(selfUrl);
  next.searchParams.set("_cursor", cursor);
  return next.toString();
}
