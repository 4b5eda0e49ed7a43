import { randomUUID } from "node:crypto";
import { importJWK, SignJWT } from "jose";
import { loadWorld } from "./world";

/**
 * What a hospital system does before any FHIR call (SMART Backend Services): sign a client
 * assertion with its private key (jose) and exchange it at the token endpoint for an access token.
 */
export async function hospitalAccessToken(baseURL: string, scope = "system/*.rs system/Observation.cu"): Promise<string> {
  const tokenUrl = `${baseURL}/fhir/auth/token`;
  const { clientId, privateJwk } = loadWorld().backendClient;
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: "ES384", kid: privateJwk.kid!, typ: "JWT" })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenUrl)
    .setExpirationTime("4m")
    .sign(await importJWK(privateJwk, "ES384"));
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion, scope }),
  });
  if (response.status !== 200) throw new Error(`The token endpoint answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
