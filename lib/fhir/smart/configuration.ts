import { ASSERTION_ALGORITHMS } from "./jwks";
import { supportedScopes } from "@/lib/access/scopes";

/** Where the token endpoint lives, under the site's origin. */
export const TOKEN_ENDPOINT_PATH = "/fhir/auth/token";

/** How long an access token works; SMART recommends at most 5 minutes. */
export const ACCESS_TOKEN_SECONDS = 300;

/** The token endpoint's URL on the site's public origin: what a client assertion's `aud` must name. */
export function tokenEndpointUrl(siteUrl: string): string {
  return `${siteUrl}${TOKEN_ENDPOINT_PATH}`;
}

/** The SMART configuration document (SMART App Launch 2.0 §Conformance), for Backend Services. */
export function smartConfiguration(siteUrl: string) {
  return {
    token_endpoint: tokenEndpointUrl(siteUrl),
    grant_types_supported: ["client_credentials"],
    token_endpoint_auth_methods_supported: ["private_key_jwt"],
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    scopes_supported: supportedScopes(),
    capabilities: ["client-confidential-asymmetric", "permission-v2"],
  };
}
