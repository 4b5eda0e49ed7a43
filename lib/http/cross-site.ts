/**
 * Cross-site request forgery defence for cookie-authenticated writes: a browser names the page
 * that sent a request in `Origin` (and says `Sec-Fetch-Site`); anything from another site is
 * refused. Requests without either header come from programs, not from a page on another site.
 */
export function isCrossSiteRequest(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(request.url).origin && origin !== forwardedOrigin(request)) return true;
  const site = request.headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}

/** The origin the browser used when a proxy (or Next.js itself) forwarded the request. */
function forwardedOrigin(request: Request): string | null {
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!host) return null;
  const protocol = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? new URL(request.url).protocol.replace(":", "");
  return `${protocol}://${host}`;
}

export const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
