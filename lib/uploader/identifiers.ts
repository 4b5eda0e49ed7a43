import { createHash } from "node:crypto";

/**
 * Nightscout's document identifiers. API v3 names every document with an `identifier`; when the
 * app sends none, Nightscout derives a UUID v5 from the device, the time and (for treatments)
 * the event type, in its own namespace: the bytes of "NightscoutRocks!". Lantern derives the same
 * one, so a resend without an identifier meets its first copy, as it would on Nightscout.
 */
const NIGHTSCOUT_NAMESPACE = Buffer.from("NightscoutRocks!", "ascii");

/** RFC 9562 UUID version 5: SHA-1 of namespace and name, with the version and variant bits set. */
function uuidV5(name: string, namespace: Buffer): string {
  const hash = createHash("sha1").update(namespace).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The identifier Nightscout computes for a document without one: `<device>_<date>[_<eventType>]`,
 * where a missing device reads "undefined", exactly as Nightscout's JavaScript writes it.
 */
export function computedIdentifier(document: { device: string | null; date: number; eventType: string | null }): string {
  const key = `${document.device ?? "undefined"}_${document.date}${document.eventType ? `_${document.eventType}` : ""}`;
  return uuidV5(key, NIGHTSCOUT_NAMESPACE);
}

/**
 * The `_id` xDrip+ gives a treatment it uploads (and later looks up by `find[uuid]` to delete
 * it): its UUID without dashes, cut to 24 characters, or the MD5 of a shorter one.
 */
export function xdripIdOfUuid(uuid: string): string {
  if (uuid.length === 24) return uuid;
  if (uuid.length < 24) return createHash("md5").update(uuid, "utf8").digest("hex").slice(0, 24);
  return uuid.replaceAll("-", "").slice(0, 24);
}
