import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import { nightscoutAccessTokens } from "@/db/schema";
import type { UploaderAccess } from "@/db/schema/nightscout";
import type { Actor, RequestOrigin, UserActor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited, recordAudit } from "@/lib/audit/record";
import { getDb } from "@/db/client";
import { AppError, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { generateToken, sha256Hex } from "@/lib/security/tokens";
import { parseInput } from "@/lib/validation";
import { ACCESS_TOKEN_PREFIX, accessTokenSchema } from "./access-token-format";
import { authenticateAccessToken, authenticateJwt } from "./credentials";
import { looksLikeJwt, signAccessJwt } from "./jwt";

/**
 * Nightscout access tokens, created and revoked in the portal by whoever manages the patient's
 * devices: read-only ones for followers, read-write ones for uploader apps that speak API v3
 * (AndroidAPS's NSClient v3). The token is shown once; only its SHA-256 is kept.
 */

export async function createAccessToken(actor: UserActor, patientId: string, input: unknown): Promise<{ id: string; token: string }> {
  return audited(actor, { action: "grant", resourceType: "NightscoutAccessToken" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:manage", patientId);
    trail.touch(patient.id);
    const { name, access } = parseInput(accessTokenSchema, input);
    const token = generateToken(ACCESS_TOKEN_PREFIX);
    const [row] = await tx
      .insert(nightscoutAccessTokens)
      .values({ patientId: patient.id, name, access, tokenHash: sha256Hex(token), createdByUserId: actor.userId })
      .returning({ id: nightscoutAccessTokens.id });
    trail.resourceId = row!.id;
    return { id: row!.id, token };
  });
}

export interface AccessTokenSummary {
  id: string;
  name: string;
  access: UploaderAccess;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The patient's tokens, newest first, revoked ones included (the page says so). */
export async function listAccessTokens(actor: Actor, patientId: string): Promise<AccessTokenSummary[]> {
  return audited(actor, { action: "search", resourceType: "NightscoutAccessToken" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:search", patientId);
    trail.touch(patient.id);
    return tx
      .select({
        id: nightscoutAccessTokens.id,
        name: nightscoutAccessTokens.name,
        access: nightscoutAccessTokens.access,
        createdAt: nightscoutAccessTokens.createdAt,
        lastUsedAt: nightscoutAccessTokens.lastUsedAt,
        revokedAt: nightscoutAccessTokens.revokedAt,
      })
      .from(nightscoutAccessTokens)
      .where(eq(nightscoutAccessTokens.patientId, patient.id))
      .orderBy(desc(nightscoutAccessTokens.createdAt));
  });
}

/** Revoking stops the token, and every JWT issued for it, at their next call. */
export async function revokeAccessToken(actor: UserActor, patientId: string, tokenId: string, now = new Date()): Promise<void> {
  await audited(actor, { action: "revoke", resourceType: "NightscoutAccessToken" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:manage", patientId);
    trail.touch(patient.id);
    trail.resourceId = tokenId;
    const revoked = isUuid(tokenId)
      ? await tx
          .update(nightscoutAccessTokens)
          .set({ revokedAt: now })
          .where(and(eq(nightscoutAccessTokens.id, tokenId), eq(nightscoutAccessTokens.patientId, patient.id), isNull(nightscoutAccessTokens.revokedAt)))
          .returning({ id: nightscoutAccessTokens.id })
      : [];
    if (revoked.length === 0) throw notFound("access token");
  });
}

const ACCESS_TOKEN_REFUSED = "This access token is unknown or revoked. Create one under Meters and apps in Lantern and enter it in the app.";

/** Nightscout's shiro-style permissions, for apps that show what a token may do. */
const permissionGroups: Record<UploaderAccess, string[][]> = {
  read: [["api:*:read"]],
  "read-write": [["api:*:read", "api:*:create", "api:*:update", "api:*:delete"]],
};

/**
 * GET /api/v2/authorization/request/<access token>: a JWT for API v3, in Nightscout's shape
 * ({ token, sub, permissionGroups, iat, exp }). A JWT may be presented instead of the token to
 * get a fresh one, as Nightscout allows. Every exchange, refused or not, is on record.
 */
export async function requestAccessJwt(presented: string, origin: RequestOrigin, now = new Date()) {
  // Nightscout's API v3 tutorial writes the path as request/token=<access token>.
  const credential = presented.trim().replace(/^token=/, "");
  const actor = looksLikeJwt(credential) ? await authenticateJwt(credential, origin, now) : await authenticateAccessToken(credential, origin);
  if (!actor || actor.credential.kind !== "access-token") {
    await recordAudit(getDb(), { kind: "anonymous", origin }, { action: "sign-in", resourceType: "NightscoutAccessToken", outcome: "failure" });
    throw new AppError("unauthenticated", ACCESS_TOKEN_REFUSED);
  }
  const { tokenId, name } = actor.credential;
  const signed = await signAccessJwt(tokenId, now);
  await recordAudit(getDb(), actor, { action: "sign-in", resourceType: "NightscoutAccessToken", resourceId: tokenId, patientIds: [actor.patientId], outcome: "success" });
  return { token: signed.token, sub: name, permissionGroups: permissionGroups[actor.access], iat: signed.iat, exp: signed.exp };
}
