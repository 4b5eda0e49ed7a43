import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "@/db/client";
import { backendAccessTokens, backendClients } from "@/db/schema";
import type { SystemActor, UserActor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { AccessDenied } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { parseInput } from "@/lib/validation";
import { backendClientSchema } from "./client-schema";
import type { PublicJwks } from "./jwks";

/**
 * Backend clients (hospital systems calling the FHIR API with SMART Backend Services): register,
 * list, revoke, in the actor's own organization: an admin on the admin page, or the operator at
 * the server's shell (scripts/admin.ts, the demo seed). Registering and revoking grant and take
 * away access to patient data, so both are in the audit trail.
 */

/** Who may manage backend clients: an admin, or the operator. */
type ClientManager = UserActor | SystemActor;

export interface BackendClientSummary {
  clientId: string;
  name: string;
  /** Inline public keys (their kids), or the URL they are fetched from. */
  keyIds: string[] | null;
  jwksUrl: string | null;
  allowedScopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

export interface RegisteredBackendClient {
  clientId: string;
  name: string;
  allowedScopes: string[];
}

export async function registerBackendClient(actor: ClientManager, input: unknown, within?: Database | Transaction): Promise<RegisteredBackendClient> {
  assertCan(actor, "backendClient:manage");
  const form = parseInput(backendClientSchema, input);
  return audited(
    actor,
    { action: "grant", resourceType: "BackendClient", purpose: "administration" },
    async (tx, trail) => {
      const [client] = await tx
        .insert(backendClients)
        .values({
          organizationId: actor.organizationId,
          name: form.name,
          jwks: form.keys.jwks ?? null,
          jwksUrl: form.keys.jwksUrl ?? null,
          allowedScopes: form.scopes,
          createdByUserId: actor.kind === "user" ? actor.userId : null,
        })
        .returning({ id: backendClients.id });
      trail.resourceId = client!.id;
      return { clientId: client!.id, name: form.name, allowedScopes: form.scopes };
    },
    within,
  );
}

export async function listBackendClients(actor: ClientManager): Promise<BackendClientSummary[]> {
  assertCan(actor, "backendClient:manage");
  const rows = await getDb()
    .select()
    .from(backendClients)
    .where(eq(backendClients.organizationId, actor.organizationId))
    .orderBy(sql`${backendClients.revokedAt} is not null`, asc(backendClients.name), asc(backendClients.createdAt));
  return rows.map((row) => ({
    clientId: row.id,
    name: row.name,
    keyIds: row.jwks ? ((row.jwks as PublicJwks).keys ?? []).map((key) => key.kid) : null,
    jwksUrl: row.jwksUrl,
    allowedScopes: row.allowedScopes,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  }));
}

/**
 * Revokes a client: its next token request is refused and the access tokens it holds stop working
 * at their next use (lib/fhir/smart/access.ts checks revocation on every call; they are also
 * deleted here). Revoking twice keeps the first date. A client of another organization is not
 * found, like one that does not exist.
 */
export async function revokeBackendClient(actor: ClientManager, clientId: string): Promise<{ clientId: string; name: string; revokedAt: Date }> {
  assertCan(actor, "backendClient:manage", "client");
  return audited(actor, { action: "revoke", resourceType: "BackendClient", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = clientId;
    if (!isUuid(clientId)) throw new AccessDenied("client");
    const inScope = and(eq(backendClients.id, clientId), eq(backendClients.organizationId, actor.organizationId));
    const [revoked] = await tx
      .update(backendClients)
      .set({ revokedAt: new Date() })
      .where(and(inScope, isNull(backendClients.revokedAt)))
      .returning({ name: backendClients.name, revokedAt: backendClients.revokedAt });
    if (revoked) {
      await tx.delete(backendAccessTokens).where(eq(backendAccessTokens.clientId, clientId));
      return { clientId, name: revoked.name, revokedAt: revoked.revokedAt! };
    }
    const [already] = await tx.select({ name: backendClients.name, revokedAt: backendClients.revokedAt }).from(backendClients).where(inScope);
    if (!already) throw new AccessDenied("client");
    return { clientId, name: already.name, revokedAt: already.revokedAt! };
  });
}

/** The organization a client belongs to, for the operator's CLI, which names only the client. */
export async function organizationOfBackendClient(clientId: string): Promise<string | null> {
  if (!isUuid(clientId)) return null;
  const [client] = await getDb().select({ organizationId: backendClients.organizationId }).from(backendClients).where(eq(backendClients.id, clientId));
  return client?.organizationId ?? null;
}
