import { environment } from "@/lib/config";

/**
 * The one place absolute URLs start from: FHIR paging links, `Location`, `fullUrl`, Bulk Data
 * status and file URLs, the CapabilityStatement, SMART discovery and the token endpoint's own URL
 * (a client assertion's `aud`).
 *
 * LANTERN_PUBLIC_URL when set: behind a reverse proxy, links then name the proxy, and no header a
 * caller sends (Host, X-Forwarded-Host) can choose them. Unset (local use), the origin the request
 * was addressed to: `X-Forwarded-Proto`/`X-Forwarded-Host`, which Next.js fills from the request's
 * own scheme and Host header when no proxy did; `request.url` itself names the server's internal
 * address (`http://localhost:PORT`), not the one the client used.
 */
export function publicOrigin(request: Request): string {
  return environment().LANTERN_PUBLIC_URL ?? addressedOrigin(request);
}

/** The request's path and query on the public origin: the URL as the client addressed it. */
export function publicRequestUrl(request: Request): URL {
  const internal = new URL(request.url);
  return new URL(`${internal.pathname}${internal.search}`, publicOrigin(request));
}

function firstValue(header: string | null): string | null {
  return header?.split(",")[0]?.trim() || null;
}

function addressedOrigin(request: Request): string {
  return originFromHeaders(request.headers, new URL(request.url), null);
}

function originFromHeaders(headers: Headers, internal: URL, fallbackHost: string | null): string {
  const host = firstValue(headers.get("x-forwarded-host")) ?? fallbackHost;
  if (!host || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return internal.origin;
  const proto = firstValue(headers.get("x-forwarded-proto"));
  return `${proto === "http" || proto === "https" ? proto : internal.protocol.slice(0, -1)}://${host}`;
}

/**
 * Where links sent by email (invitations, password resets, email confirmations) point:
 * LANTERN_PUBLIC_URL, else this server's own local address. Never a header: anyone may send a
 * reset request with `Host` or `X-Forwarded-Host` naming their own site, and the emailed one-time
 * link would then hand the token to them. A deployment reached under another name sets
 * LANTERN_PUBLIC_URL (README).
 */
export function emailedLinkOrigin(): string {
  return environment().LANTERN_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? "3000"}`;
}
