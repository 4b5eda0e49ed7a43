import { environment } from "@/lib/config";

/**
 * The one place absolute URLs start from: FHIR paging links, `Location`, `fullUrl`, Bulk Data
 * status and file URLs, the CapabilityStatement, SMART discovery and the token endpoint's own URL
 * (a client assertion's `aud`). LANTERN_PUBLIC_URL when set, so that behind a reverse proxy links
 * name the proxy and no header a caller sends (Host, X-Forwarded-Host) can choose them; otherwise
 * the origin the request arrived at, which is right for local use only.
 */
export function publicOrigin(request: Request): string {
  return environment().LANTERN_PUBLIC_URL ?? new URL(request.url).origin;
}

/** The request's path and query on the public origin: the URL as the client addressed it. */
export function publicRequestUrl(request: Request): URL {
  const internal = new URL(request.url);
  return new URL(`${internal.pathname}${internal.search}`, publicOrigin(request));
}
