import type { UserRole } from "@/db/schema/users";
import { notFound } from "@/lib/errors";
import { can, type Action } from "./permissions";

/**
 * Who is acting. Every data-access function takes one. Devices and backend API clients join
 * this union with their own `kind` when their doors open.
 */
export interface UserActor {
  kind: "user";
  userId: string;
  role: UserRole;
  organizationId: string;
  displayName: string;
}

export type Actor = UserActor;

/**
 * A hospital system calling the FHIR API with a SMART Backend Services access token: it reads
 * its organization's patients, within the scopes it was granted.
 */
export interface BackendClientActor {
  kind: "backend-client";
  clientId: string;
  organizationId: string;
  scopes: string[];
}

/** Whoever may read patient data through the data layer. */
export type DataReader = UserActor | BackendClientActor;

/** A role that may not perform an action sees the same answer as for a missing record. */
export function assertCan(actor: Actor, action: Action, what?: string): void {
  if (!can(actor.role, action)) throw notFound(what);
}
