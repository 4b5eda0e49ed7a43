import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Database } from "@/db/client";
import { backendAccessTokens, backendClients, organizations } from "@/db/schema";
import { backendClientSchema } from "@/lib/admin/schemas";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import type { PublicJwks } from "./jwks";

/**
 * Backend clients (hospital systems calling the FHIR API with SMART Backend Services): register,
 * list, revoke. No `server-only` here: the admin CLI (scripts/admin.ts) runs the same functions
 * from tsx. The admin page calls the actor functions (permission `backendClient:manage`, own
 * organization only); the CLI, run by whoever operates the server, names the organization.
 */

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

const uuid = z.uuid();

/** Registers a client in an organization (the CLI and the demo seed; the admin page goes through registerBackendClient). */
export async function createBackendClientInOrganization(
  organizationId: string,
  input: unknown,
  options: { createdByUserId?: string | null; db?: Database } = {},
): Promise<RegisteredBackendClient> {
  const db = options.db ?? getDb();
  const form = parseInput(backendClientSchema, input);
  if (!uuid.safeParse(organizationId).success) throw notFound("organization");
  const [organization] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId));
  if (!organization) throw notFound("organization");
  const [client] = await db
    .insert(backendClients)
    .values({
      organizationId,
      name: form.name,
      jwks: form.keys.jwks ?? null,
      jwksUrl: form.keys.jwksUrl ?? null,
      allowedScopes: form.scopes,
      createdByUserId: options.createdByUserId ?? null,
    })
    .returning({ id: backendClients.id });
  return { clientId: client!.id, name: form.name, allowedScopes: form.scopes };
}

export async function listBackendClientsInOrganization(organizationId: string, db: Database = getDb()): Promise<BackendClientSummary[]> {
  if (!uuid.safeParse(organizationId).success) throw notFound("organization");
  const rows = await db
    .select()
    .from(backendClients)
    .where(eq(backendClients.organizationId, organizationId))
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
 * deleted here). Revoking twice keeps the first date. `organizationId` null: any organization (CLI).
 */
export async function revokeBackendClientInOrganization(
  organizationId: string | null,
  clientId: string,
  db: Database = getDb(),
): Promise<{ clientId: string; name: string; revokedAt: Date }> {
  if (!uuid.safeParse(clientId).success) throw notFound("client");
  return db.transaction(async (tx) => {
    const inScope = organizationId === null ? eq(backendClients.id, clientId) : and(eq(backendClients.id, clientId), eq(backendClients.organizationId, organizationId));
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
    if (!already) throw notFound("client");
    return { clientId, name: already.name, revokedAt: already.revokedAt! };
  });
}

/** The admin page: registers a client in the admin's own organization. */
export async function registerBackendClient(actor: Actor, input: unknown): Promise<RegisteredBackendClient> {
  assertCan(actor, "backendClient:manage");
  return createBackendClientInOrganization(actor.organizationId, input, { createdByUserId: actor.userId });
}

export async function listBackendClients(actor: Actor): Promise<BackendClientSummary[]> {
  assertCan(actor, "backendClient:manage");
  return listBackendClientsInOrganization(actor.organizationId);
}

/** A client of another organization is not found, like one that does not exist. */
export async function revokeBackendClient(actor: Actor, clientId: string): Promise<{ clientId: string; name: string; revokedAt: Date }> {
  assertCan(actor, "backendClient:manage", "client");
  return revokeBackendClientInOrganization(actor.organizationId, clientId);
}
