/**
 * What an API v3 write or read came to, for the door to answer in v3's envelope
 * (lib/http/nightscout-v3.ts): Nightscout answers a new document 201, one it already had 200
 * with `isDeduplication`, and a document it cannot take 400 with the reason.
 */
export type V3CreateOutcome =
  | { kind: "created" | "deduplicated"; identifier: string; lastModified: number }
  | { kind: "not-stored"; reason: string };

/** A document by identifier: found, never there, or deleted (Nightscout answers 410 Gone). */
export type V3ReadOutcome<Document> = { kind: "found"; document: Document; lastModified: number } | { kind: "not-found" } | { kind: "gone" };

export type V3ChangeOutcome = { kind: "changed"; lastModified: number } | { kind: "not-found" } | { kind: "gone" } | { kind: "refused"; reason: string };

/** History pages carry the newest srvModified they hold, which the app sends back for the next page. */
export interface V3History<Document> {
  documents: Document[];
  lastModified: number | null;
}

/** What Nightscout answers when an API v3 body is not one document. */
export const BAD_REQUEST_BODY = "Bad or missing request body";

/** The body as one API v3 document, or null when it is not a non-empty object. */
export function v3Document(body: unknown): Record<string, unknown> | null {
  return typeof body === "object" && body !== null && !Array.isArray(body) && Object.keys(body).length > 0 ? (body as Record<string, unknown>) : null;
}

/** The documents of an API v1 upload: an array, or one document on its own. */
export function v1Documents(body: unknown): unknown[] | null {
  return Array.isArray(body) ? body : typeof body === "object" && body !== null ? [body] : null;
}

/** Collections of Nightscout that Lantern does not keep. */
const UNSTORED_COLLECTIONS = new Set(["food", "profile", "settings"]);
export const isUnstoredCollection = (collection: string) => UNSTORED_COLLECTIONS.has(collection);
export const UNSTORED_COLLECTION = "Lantern does not store food, profiles or settings; nothing was stored.";
