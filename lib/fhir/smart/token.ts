import "server-only";
import { and, eq, lt } from "drizzle-orm";
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { getDb } from "@/db/client";
import { backendAccessTokens, backendClients, clientAssertionIds } from "@/db/schema";
import { generateToken, sha256Hex } from "@/lib/security/tokens";
import { ACCESS_TOKEN_SECONDS } from "./configuration";
import { ASSERTION_ALGORITHMS, type PublicJwks } from "./jwks";
import { grantScopes, splitScopes } from "@/lib/access/scopes";

/**
 * The token endpoint's work (SMART Backend Services, RFC 6749 §4.4 with RFC 7523 client
 * authentication): check the client assertion, grant scopes, issue an opaque access token.
 * Every refusal is an OAuthError carrying the RFC 6749 §5.2 code; the route answers it with 400.
 */

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** An assertion may expire at most this far ahead (SMART: "no more than five minutes in the future"). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Tolerated difference between the client's clock and ours, on exp, nbf and iat. */
export const CLOCK_SKEW_SECONDS = 30;
const MAX_JTI_LENGTH = 255;
const MAX_ASSERTION_LENGTH = 16_000;

export type OAuthErrorCode = "invalid_request" | "invalid_client" | "invalid_grant" | "invalid_scope" | "unsupported_grant_type";

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export interface TokenResponse {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  scope: string;
}

/** A parameter sent at most once (RFC 6749 §3.2), or null when absent or empty. */
function single(params: URLSearchParams, name: string): string | null {
  const values = params.getAll(name);
  if (values.length > 1) throw new OAuthError("invalid_request", `The parameter ${name} is repeated; send it once.`);
  return values[0] ? values[0] : null;
}

function required(params: URLSearchParams, name: string): string {
  const value = single(params, name);
  if (value === null) throw new OAuthError("invalid_request", `The parameter ${name} is missing.`);
  return value;
}

// Remote key sets are fetched on first use and cached by jose (cooldown between refetches).
const globalForKeySets = globalThis as typeof globalThis & { lanternRemoteKeySets?: Map<string, JWTVerifyGetKey> };
const remoteKeySets = (globalForKeySets.lanternRemoteKeySets ??= new Map());

function keySetFor(client: { jwks: unknown; jwksUrl: string | null }): JWTVerifyGetKey {
  if (client.jwksUrl) {
    let remote = remoteKeySets.get(client.jwksUrl);
    if (!remote) {
      remote = createRemoteJWKSet(new URL(client.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
      remoteKeySets.set(client.jwksUrl, remote);
    }
    const fetchKeys = remote;
    return async (header, token) => {
      try {
        return await fetchKeys(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new OAuthError("invalid_client", "The client's JWK Set could not be fetched from its registered URL (or is not a valid JWK Set).");
      }
    };
  }
  try {
    return createLocalJWKSet((client.jwks ?? { keys: [] }) as PublicJwks as Parameters<typeof createLocalJWKSet>[0]);
  } catch {
    throw new OAuthError("invalid_client", "The client's registered JWK Set is not usable; ask the administrator to register its keys again.");
  }
}

/** Turns jose's verification errors into sentences for the integrator. */
function describeVerificationError(error: unknown, kid: string, alg: string, audience: string): OAuthError | null {
  if (error instanceof OAuthError) return error;
  if (error instanceof errors.JWKSNoMatchingKey) return new OAuthError("invalid_client", `No key in the client's JWK Set matches kid "${kid}" for ${alg}.`);
  if (error instanceof errors.JWKSMultipleMatchingKeys) return new OAuthError("invalid_client", `Several keys in the client's JWK Set match kid "${kid}"; kids must be unique.`);
  if (error instanceof errors.JWSSignatureVerificationFailed) return new OAuthError("invalid_client", "The assertion's signature does not verify with the client's registered key.");
  if (error instanceof errors.JWTExpired) return new OAuthError("invalid_client", "The assertion has expired (exp is in the past); sign a new one for each token request.");
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === "aud") return new OAuthError("invalid_client", `The assertion's aud must be the token endpoint URL ${audience}.`);
    if (claim === "iss" || claim === "sub") return new OAuthError("invalid_client", "The assertion's iss and sub must both be the client_id.");
    if (claim === "nbf" || claim === "iat") return new OAuthError("invalid_client", `The assertion's ${claim} is in the future; check the signing system's clock.`);
    return new OAuthError("invalid_client", `The assertion's ${claim} claim is missing or invalid: ${error.reason}.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new OAuthError("invalid_client", `The assertion must be signed with ${ASSERTION_ALGORITHMS.join(" or ")}.`);
  if (error instanceof errors.JOSEError) return new OAuthError("invalid_client", "The client_assertion is not a valid signed JWT.");
  return null;
}

const clientIdSchema = z.uuid();

/**
 * Checks a client_credentials request and issues an access token. `audience` is this endpoint's
 * public URL (lib/http/public-url): the assertion's aud must name it, so an assertion made for
 * another server is refused here whatever Host or X-Forwarded-Host the request carries.
 */
export async function exchangeClientCredentials(params: URLSearchParams, audience: string, now = new Date()): Promise<TokenResponse> {
  const grantType = required(params, "grant_type");
  if (grantType !== "client_credentials") throw new OAuthError("unsupported_grant_type", `The grant_type must be client_credentials (SMART Backend Services), not ${JSON.stringify(grantType.slice(0, 80))}.`);
  const assertionType = required(params, "client_assertion_type");
  if (assertionType !== CLIENT_ASSERTION_TYPE) throw new OAuthError("invalid_request", `The client_assertion_type must be ${CLIENT_ASSERTION_TYPE}.`);
  const assertion = required(params, "client_assertion");
  const scope = required(params, "scope");
  if (params.has("client_secret")) throw new OAuthError("invalid_request", "Authenticate with a signed client_assertion only; a client_secret is not accepted.");
  if (assertion.length > MAX_ASSERTION_LENGTH) throw new OAuthError("invalid_client", "The client_assertion is too long.");

  let header: ReturnType<typeof decodeProtectedHeader>;
  let unverifiedIssuer: unknown;
  try {
    header = decodeProtectedHeader(assertion);
    unverifiedIssuer = decodeJwt(assertion).iss;
  } catch {
    throw new OAuthError("invalid_client", "The client_assertion is not a signed JWT (header.payload.signature, base64url).");
  }
  const alg = header.alg;
  if (typeof alg !== "string" || !(ASSERTION_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new OAuthError("invalid_client", `The assertion must be signed with ${ASSERTION_ALGORITHMS.join(" or ")} (its header says alg ${JSON.stringify(alg ?? null)}).`);
  }
  const kid = header.kid;
  if (typeof kid !== "string" || kid === "") throw new OAuthError("invalid_client", "The assertion's header needs the kid of the signing key.");
  const clientId = clientIdSchema.safeParse(unverifiedIssuer);
  if (!clientId.success) throw new OAuthError("invalid_client", "The assertion's iss must be the client_id Lantern issued (a UUID).");

  const db = getDb();
  const [client] = await db
    .select({ id: backendClients.id, jwks: backendClients.jwks, jwksUrl: backendClients.jwksUrl, allowedScopes: backendClients.allowedScopes, revokedAt: backendClients.revokedAt })
    .from(backendClients)
    .where(eq(backendClients.id, clientId.data));
  if (!client || client.revokedAt) throw new OAuthError("invalid_client", "Unknown or revoked client; ask the Lantern administrator.");

  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(assertion, keySetFor(client), {
      algorithms: [...ASSERTION_ALGORITHMS],
      issuer: client.id,
      subject: client.id,
      audience,
      requiredClaims: ["exp", "jti"],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
    }));
  } catch (error) {
    // jwtVerify touches no database: whatever it throws is about the assertion or the client's keys.
    throw describeVerificationError(error, kid, alg, audience) ?? new OAuthError("invalid_client", "The assertion could not be verified with the client's registered keys.");
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const exp = payload.exp!;
  if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    throw new OAuthError("invalid_client", `The assertion's exp must be at most ${MAX_ASSERTION_LIFETIME_SECONDS / 60} minutes in the future.`);
  }
  const jti = payload.jti;
  if (typeof jti !== "string" || jti === "" || jti.length > MAX_JTI_LENGTH) throw new OAuthError("invalid_client", `The assertion's jti must be a non-empty string of at most ${MAX_JTI_LENGTH} characters.`);

  const granted = grantScopes(splitScopes(scope), client.allowedScopes);
  if (granted.length === 0) {
    throw new OAuthError("invalid_scope", `None of the requested scopes is allowed for this client. It may request: ${client.allowedScopes.join(" ")} (v1 .read/.write names and system/*.rs are accepted too).`);
  }

  const accessToken = generateToken("lnt_at");
  const expiresAt = new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000);
  await db.transaction(async (tx) => {
    // Kept until the assertion could no longer pass the exp check; then a replay fails on exp anyway.
    const [fresh] = await tx
      .insert(clientAssertionIds)
      .values({ clientId: client.id, jti, expiresAt: new Date((exp + CLOCK_SKEW_SECONDS) * 1000) })
      .onConflictDoNothing()
      .returning({ jti: clientAssertionIds.jti });
    if (!fresh) throw new OAuthError("invalid_client", "This assertion was used already (jti seen before); sign a new one with a new jti for each request.");
    await tx.delete(clientAssertionIds).where(and(eq(clientAssertionIds.clientId, client.id), lt(clientAssertionIds.expiresAt, now)));
    await tx.delete(backendAccessTokens).where(and(eq(backendAccessTokens.clientId, client.id), lt(backendAccessTokens.expiresAt, now)));
    await tx.insert(backendAccessTokens).values({ tokenHash: sha256Hex(accessToken), clientId: client.id, scopes: granted, expiresAt });
  });
  return { access_token: accessToken, token_type: "bearer", expires_in: ACCESS_TOKEN_SECONDS, scope: granted.join(" ") };
}
