import "server-only";
import { jwtVerify, SignJWT } from "jose";
import { challengeKey } from "./secret-box";

/** How long the code page may be used after the password was accepted. */
export const CHALLENGE_MINUTES = 5;
const AUDIENCE = "lantern:sign-in-code";

/**
 * What the browser holds between the password page and the code page: a signed, short-lived
 * statement "this user's password was right", in an HttpOnly cookie. It is not a session: it
 * opens nothing but the code page, and the code itself is checked (throttled, replay-refused)
 * when it comes back.
 */
export async function issueSignInChallenge(userId: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${CHALLENGE_MINUTES}m`)
    .sign(challengeKey());
}

/** The user whose password was accepted, or null for a forged, expired or foreign token. */
export async function readSignInChallenge(token: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, challengeKey(), { audience: AUDIENCE, algorithms: ["HS256"] });
    return typeof payload.sub === "string" ? payload.sub : null;
  } catch {
    return null;
  }
}

export const SIGN_IN_CHALLENGE_COOKIE = "lantern-sign-in-challenge";
