import "server-only";
import type { DataReader } from "@/lib/auth/actor";
import { currentActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { authenticateBackendToken, hasScope } from "@/lib/fhir/smart/access";
import { bearerToken } from "@/lib/http/responses";

/**
 * Who is calling the FHIR API: a hospital system with a SMART access token, or a signed-in portal
 * user (patients and clinicians may read what they can see in the portal).
 */
export async function fhirReader(request: Request): Promise<DataReader> {
  const token = bearerToken(request);
  if (token) {
    const client = await authenticateBackendToken(token);
    if (!client) throw new AppError("unauthenticated", "The access token is unknown, expired or revoked: request a new one at the token endpoint.");
    return client;
  }
  const actor = await currentActor();
  if (!actor) throw new AppError("unauthenticated", "Send an access token (SMART Backend Services, see /fhir/.well-known/smart-configuration) or sign in.");
  return actor;
}

/** A backend client needs a scope for the interaction; a missing one answers 403 as SMART expects. */
export function lacksScope(reader: DataReader, resourceType: string, interaction: "read" | "search" | "create" | "update"): boolean {
  return reader.kind === "backend-client" && !hasScope(reader.scopes, resourceType, interaction);
}
