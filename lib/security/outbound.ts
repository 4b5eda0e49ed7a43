import { environment } from "@/lib/config";
import { AppError } from "@/lib/errors";

/**
 * The outbound allowlist (GDPR Chapter V, Art 44-46; PRIVACY-SECURITY.md D4): Lantern sends data
 * only to hosts matching LANTERN_OUTBOUND_ALLOWLIST, each with the region data goes to. Every
 * outbound destination (hospital FHIR endpoints, alert webhooks) is checked when it is configured
 * and again before each delivery, so narrowing the list stops deliveries at once.
 */

export interface AllowlistEntry {
  pattern: string;
  region: string;
}

/** The region of the first pattern the URL's host matches, or null. `*.example.org` matches subdomains, not the apex. */
export function outboundRegion(url: string, allowlist: readonly AllowlistEntry[]): string | null {
  if (!URL.canParse(url)) return null;
  const host = new URL(url).hostname.toLowerCase();
  for (const { pattern, region } of allowlist) {
    if (pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern) return region;
  }
  return null;
}

/** The destination's region, or a 400 with what to do when the deployment does not allow it. */
export function assertOutboundAllowed(url: string, allowlist: readonly AllowlistEntry[] = environment().LANTERN_OUTBOUND_ALLOWLIST): string {
  const region = outboundRegion(url, allowlist);
  if (region === null) {
    const host = URL.canParse(url) ? new URL(url).hostname : url;
    throw new AppError(
      "invalid_input",
      `${host} is not on this deployment's outbound allowlist, so Lantern will not send data there. Ask the operator to add it with its region to LANTERN_OUTBOUND_ALLOWLIST (e.g. ${host}=UK).`,
    );
  }
  return region;
}
