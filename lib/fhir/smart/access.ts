import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { backendAccessTokens, backendClients } from "@/db/schema";
import type { BackendClientActor, RequestOrigin } from "@/lib/access/actor";
import { sha256Hex } from "@/lib/security/tokens";

const MAX_TOKEN_LENGTH = 200;

/**
 * The backend client an access token speaks for, or null when the token is unknown, expired, or
 * its client is revoked. Checked on every call, so revoking a client stops its tokens at their
 * next use. Only the token's SHA-256 is stored and looked up.
 */
export async function authenticateBackendToken(bearer: string | null, origin: RequestOrigin): Promise<BackendClientActor | null> {
  if (!bearer || bearer.length > MAX_TOKEN_LENGTH) return null;
  const [row] = await getDb()
    .select({ clientId: backendClients.id, organizationId: backendClients.organizationId, scopes: backendAccessTokens.scopes })
    .from(backendAccessTokens)
    .innerJoin(backendClients, eq(backendClients.id, backendAccessTokens.clientId))
    .where(and(eq(backendAccessTokens.tokenHash, sha256Hex(bearer)), gt(backendAccessTokens.expiresAt, new Date()), isNull(backendClients.revokedAt)));
  if (!row) return null;
  return { kind: "backend-client", clientId: row.clientId, organizationId: row.organizationId, scopes: row.scopes, origin };
}
