import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_JWT_LIFETIME_SECONDS, looksLikeJwt, signAccessJwt, verifyAccessJwt } from "./jwt";

const tokenId = "0b6a4c3e-9d1f-4a57-8c2b-1e0f5d6a7b8c";

describe("access JWTs", () => {
  beforeAll(() => {
    process.env.AUTH_SECRET ??= "unit-test-secret-of-at-least-32-characters";
  });

  it("names the access token and lives an hour, as Nightscout's do", async () => {
    const now = new Date("2026-11-24T08:00:00Z");
    const { token, iat, exp } = await signAccessJwt(tokenId, now);
    expect(exp - iat).toBe(ACCESS_JWT_LIFETIME_SECONDS);
    expect(looksLikeJwt(token)).toBe(true);
    expect(await verifyAccessJwt(token, new Date(now.getTime() + 59 * 60_000))).toBe(tokenId);
    expect(await verifyAccessJwt(token, new Date(now.getTime() + 61 * 60_000))).toBeNull();
  });

  it("refuses a JWT signed with another key, a changed one, and text that is not one", async () => {
    const forged = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(tokenId).setIssuer("lantern").setAudience("nightscout-api").setExpirationTime("1h").sign(new TextEncoder().encode("x".repeat(32)));
    expect(await verifyAccessJwt(forged)).toBeNull();
    const { token } = await signAccessJwt(tokenId);
    const [header, , signature] = token.split(".");
    const otherPayload = Buffer.from(JSON.stringify({ sub: "someone-else", iss: "lantern", aud: "nightscout-api", exp: 4_000_000_000 })).toString("base64url");
    expect(await verifyAccessJwt(`${header}.${otherPayload}.${signature}`)).toBeNull();
    expect(await verifyAccessJwt("not-a-jwt")).toBeNull();
  });

  it("tells JWTs from access tokens", () => {
    expect(looksLikeJwt("lnt_ns_AbC-dEf_123")).toBe(false);
    expect(looksLikeJwt("a.b.c")).toBe(true);
  });
});
