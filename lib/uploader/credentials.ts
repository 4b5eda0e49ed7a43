import "server-only";
import { and, eq, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { nightscoutAccessTokens, patients, uploaderCredentials } from "@/db/schema";
import type { Actor, RequestOrigin, UploaderActor, UserActor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { audited, auditedRefusals } from "@/lib/audit/record";
import { generatePassword } from "@/lib/security/generated-password";
import { sha1Hex, sha256Hex } from "@/lib/security/tokens";
import { ACCESS_TOKEN_PREFIX } from "./access-token-format";
import { looksLikeJwt, verifyAccessJwt } from "./jwt";

/**
 * The credentials Nightscout apps prove themselves with, as Nightscout accepts them: the
 * patient's API secret in `api-secret` (its SHA-1 hex, as apps send it, or the secret itself),
 * an access token (in `api-secret` or `?token=`), or a JWT issued for an access token
 * (`Authorization: Bearer`, or `?token=`). Each becomes an UploaderActor with what the
 * credential allows: the API secret reads and writes; a token as it was created.
 */

/**
 * A new uploader secret for a patient, replacing any earlier one (which stops working at once).
 * Shown once; only the SHA-256 of its SHA-1 (what apps send) is stored.
 */
export async function createUploaderSecret(actor: UserActor, patientId: string): Promise<{ secret: string }> {
  return audited(actor, { action: "grant", resourceType: "UploaderCredential" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:manage", patientId);
    trail.touch(patient.id);
    const secret = generatePassword();
    const apiSecretHash = sha256Hex(sha1Hex(secret));
    await tx
      .insert(uploaderCredentials)
      .values({ patientId: patient.id, apiSecretHash, createdByUserId: actor.userId })
      .onConflictDoUpdate({ target: uploaderCredentials.patientId, set: { apiSecretHash, createdByUserId: actor.userId, createdAt: sql`now()`, lastUsedAt: null } });
    return { secret };
  });
}

export async function hasUploaderSecret(actor: Actor, patientId: string): Promise<boolean> {
  return audited(actor, { action: "read", resourceType: "UploaderCredential" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:read", patientId);
    trail.touch(patient.id);
    const [row] = await tx.select({ id: uploaderCredentials.patientId }).from(uploaderCredentials).where(eq(uploaderCredentials.patientId, patient.id));
    return Boolean(row);
  });
}

/** What a request presented, each possibly absent. */
export interface PresentedCredentials {
  /** The `api-secret` header. */
  apiSecret: string | null;
  /** The `token` query parameter. */
  token: string | null;
  /** The credential after `Authorization: Bearer`. */
  bearer: string | null;
}

export const UPLOADER_UNAUTHORIZED =
  "Missing or wrong credentials: send the API secret shown in your Lantern settings in the api-secret header (its SHA-1, as most apps do when you enter it), or an access token as ?token= (or its JWT as Authorization: Bearer).";

export const V3_UNAUTHORIZED =
  "Missing or bad access token or JWT: get a JWT from /api/v2/authorization/request/<access token> and send it as Authorization: Bearer <JWT>.";

const patientColumns = { patientId: patients.id, timezone: patients.timezone, preferredUnit: patients.preferredUnit, organizationId: patients.organizationId };
// "Last used" is shown to the minute; writing it on every call of an app that polls would not be.
const LAST_USED_PRECISION = sql`interval '1 minute'`;

async function byApiSecret(sha1: string, origin: RequestOrigin): Promise<UploaderActor | null> {
  const [row] = await getDb()
    .select(patientColumns)
    .from(uploaderCredentials)
    .innerJoin(patients, eq(patients.id, uploaderCredentials.patientId))
    .where(eq(uploaderCredentials.apiSecretHash, sha256Hex(sha1.toLowerCase())));
  if (!row) return null;
  await getDb()
    .update(uploaderCredentials)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(uploaderCredentials.patientId, row.patientId), or(isNull(uploaderCredentials.lastUsedAt), lt(uploaderCredentials.lastUsedAt, sql`now() - ${LAST_USED_PRECISION}`))));
  return { kind: "uploader", ...row, access: "read-write", credential: { kind: "api-secret" }, origin };
}

async function byAccessToken(condition: SQL, origin: RequestOrigin): Promise<UploaderActor | null> {
  const [row] = await getDb()
    .select({ ...patientColumns, tokenId: nightscoutAccessTokens.id, name: nightscoutAccessTokens.name, access: nightscoutAccessTokens.access })
    .from(nightscoutAccessTokens)
    .innerJoin(patients, eq(patients.id, nightscoutAccessTokens.patientId))
    .where(and(condition, isNull(nightscoutAccessTokens.revokedAt)));
  if (!row) return null;
  await getDb()
    .update(nightscoutAccessTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(nightscoutAccessTokens.id, row.tokenId), or(isNull(nightscoutAccessTokens.lastUsedAt), lt(nightscoutAccessTokens.lastUsedAt, sql`now() - ${LAST_USED_PRECISION}`))));
  const { tokenId, name, ...patient } = row;
  return { kind: "uploader", ...patient, credential: { kind: "access-token", tokenId, name }, origin };
}

/** The app holding an access token (not a JWT). */
export function authenticateAccessToken(token: string, origin: RequestOrigin): Promise<UploaderActor | null> {
  return token.startsWith(`${ACCESS_TOKEN_PREFIX}_`) ? byAccessToken(eq(nightscoutAccessTokens.tokenHash, sha256Hex(token)), origin) : Promise.resolve(null);
}

/** The app holding a JWT issued for an access token that is still there and not revoked. */
export async function authenticateJwt(jwt: string, origin: RequestOrigin, now = new Date()): Promise<UploaderActor | null> {
  const tokenId = await verifyAccessJwt(jwt, now);
  return tokenId ? byAccessToken(eq(nightscoutAccessTokens.id, tokenId), origin) : null;
}

async function byApiSecretHeader(value: string, origin: RequestOrigin): Promise<UploaderActor | null> {
  if (/^[0-9a-fA-F]{40}$/.test(value)) return byApiSecret(value, origin);
  if (value.startsWith(`${ACCESS_TOKEN_PREFIX}_`)) return authenticateAccessToken(value, origin);
  // The secret itself, as some apps and scripts send it.
  return byApiSecret(sha1Hex(value), origin);
}

/**
 * The app behind an API v1 request, or null. The first credential that proves itself wins, in
 * Nightscout's order: the api-secret header, then a token or JWT in ?token=, then a Bearer JWT.
 */
export async function authenticateUploader(presented: PresentedCredentials, origin: RequestOrigin): Promise<UploaderActor | null> {
  const apiSecret = presented.apiSecret?.trim();
  const byHeader = apiSecret ? await byApiSecretHeader(apiSecret, origin) : null;
  if (byHeader) return byHeader;
  const token = presented.token?.trim();
  const byToken = token ? await (looksLikeJwt(token) ? authenticateJwt(token, origin) : authenticateAccessToken(token, origin)) : null;
  if (byToken) return byToken;
  return presented.bearer ? authenticateJwt(presented.bearer, origin) : null;
}

/**
 * Loop and xDrip4iOS check the API secret with GET /api/v1/experiments/test, which Nightscout
 * answers only for credentials that may write. A refusal is on record.
 */
export async function confirmUploadAccess(uploader: UploaderActor): Promise<{ status: "ok" }> {
  return auditedRefusals(uploader, { action: "read", resourceType: "UploaderCredential" }, async () => {
    assertCan(uploader, "reading:create");
    return { status: "ok" as const };
  });
}
