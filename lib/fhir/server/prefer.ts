/**
 * The `Prefer` request header (RFC 7240) as the FHIR API reads it: `handling=strict|lenient` for
 * searches and Bulk Data kick-offs (FHIR R4 §3.1.1.3.1), and `respond-async` for Bulk Data. Pure.
 * Preferences are separated by commas (or sent as several headers, which fetch joins with commas),
 * each may carry `;`-parameters, values may be quoted. A preference the server does not know is
 * ignored, as RFC 7240 asks; so is a `handling` value other than strict or lenient.
 */
export type Handling = "strict" | "lenient";

export interface Preferences {
  /** How a search treats parameters it does not support: lenient (drop them) unless asked. */
  handling: Handling;
  /** Whether the client asked for the asynchronous pattern. */
  respondAsync: boolean;
  /** Whether `handling` came from the header (a Bulk Data kick-off refuses by default). */
  handlingGiven: boolean;
}

export function parsePrefer(header: string | null): Preferences {
  let handling: Handling | null = null;
  let respondAsync = false;
  for (const preference of (header ?? "").split(",")) {
    const [token = "", ...rest] = preference.split(";")[0]!.split("=");
    const name = token.trim().toLowerCase();
    const value = rest.join("=").trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    if (name === "respond-async") respondAsync = true;
    // The first handling preference counts (RFC 7240 §2: a repeated preference takes its first value).
    if (name === "handling" && handling === null && (value === "strict" || value === "lenient")) handling = value;
  }
  return { handling: handling ?? "lenient", respondAsync, handlingGiven: handling !== null };
}
