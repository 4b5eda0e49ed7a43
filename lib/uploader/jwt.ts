import { createHmac } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { authSecret } from "@/lib/config";

/**
 * The JWTs Nightscout's API v3 wants in `Authorization: Bearer`, issued by
 * GET /api/v2/authorization/request/<access token>. They name the access token (`sub`, its id;
 * never the token itself) and live an hour, as Nightscout's do; every call checks the token is
 * still there and not revoked, so revoking one stops its JWTs at the next call.
 */
export const ACCESS_JWT_LIFETIME_SECONDS = 60 * 60;
const ISSUER = "lantern";
const AUDIENCE = "nightscout-api";

/**
 * A key of its own, derived from the server's secret: the session secret never signs anything
 * else directly, and a JWT from another use of it never verifies here.
 */
function signingKey(): Uint8Array {
  return createHmac("sha256", authSecret()).update("lantern/nightscout-access-jwt/v1").digest();
}

export async function signAccessJwt(tokenId: string, now = new Date()): Promise<{ token: string; iat: number; exp: number }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ACCESS_JWT_LIFETIME_SECONDS;
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(tokenId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(signingKey());
  return { token, iat, exp };
}

/** The access token id a valid, unexpired JWT names; null for anything else. */
export async function verifyAccessJwt(jwt: string, now = new Date()): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(jwt, signingKey(), { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, currentDate: now });
    return typeof payload.sub === "string" ? payload.sub : null;
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}

/** Whether a credential looks like a JWT (three base64url parts), not an access token. */
export function looksLikeJwt(credential: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(credential);
}
