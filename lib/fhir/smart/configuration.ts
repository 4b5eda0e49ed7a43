import { ASSERTION_ALGORITHMS } from "./jwks";
import { supportedScopes } from "@/lib/access/scopes";

/** Where the token endpoint lives, under the site's origin. */
export const TOKEN_ENDPOINT_PATH = "/fhir/auth/token";

/** How long an access token works; SMART recommends at most 5 minutes. */
export const ACCESS_TOKEN_SECONDS = 300;

function firstHeaderValue(value: string | null): string | null {
  const first = value?.split(",")[0]?.trim();
  return first ? first : null;
}

/**
 * The origins a request was addressed to: the one in its URL and, behind a reverse proxy, the one
 * X-Forwarded-Host/-Proto name (listed first, as that is what the integrator used).
 */
export function requestOrigins(request: Request): string[] {
  const url = new URL(request.url);
  const forwardedHost = firstHeaderValue(request.headers.get("x-forwarded-host"));
  const forwardedProto = firstHeaderValue(request.headers.get("x-forwarded-proto"));
  const origins: string[] = [];
  if (forwardedHost && /^[A-Za-z0-9.:[\]-]+$/.test(forwardedHost)) {
    const proto = forwardedProto === "http" || forwardedProto === "https" ? forwardedProto : url.protocol.slice(0, -1);
    origins.push(`${proto}://${forwardedHost}`);
  }
  origins.push(url.origin);
  return [...new Set(origins)];
}

/** The token endpoint URLs a client assertion may name as its `aud`, for this request. */
export function tokenEndpointUrls(request: Request): string[] {
  return requestOrigins(request).map((origin) => `${origin}${TOKEN_ENDPOINT_PATH}`);
}

/** The SMART configuration document (SMART App Launch 2.0 §Conformance), for Backend Services. */
export function smartConfiguration(origin: string) {
  return {
    token_endpoint: `${origin}${TOKEN_ENDPOINT_PATH}`,
    grant_types_supported: ["client_credentials"],
    token_endpoint_auth_methods_supported: ["private_key_jwt"],
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    scopes_supported: supportedScopes(),
    capabilities: ["client-confidential-asymmetric", "permission-v2"],
  };
}
