import type { RequestOrigin } from "./actor";

/**
 * Where a request came from, for the audit trail and the rate limits: a fresh request id and the
 * client's address. Every door builds its actor's origin here and nowhere else.
 */
export function requestOriginOf(headers: Headers): RequestOrigin {
  return { requestId: crypto.randomUUID(), sourceAddress: clientAddress(headers) };
}

/**
 * The client's address as the Next.js server recorded it: it sets `x-forwarded-for` from the
 * socket when the request arrives without one.
 */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const first = forwarded?.split(",")[0]?.trim();
  return first ? first.slice(0, 64) : null;
}
