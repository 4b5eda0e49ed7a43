import "server-only";
import { and, eq, type SQL } from "drizzle-orm";
import type { Database, Transaction } from "@/db/client";
import { patients } from "@/db/schema";
import type { GlucoseUnit } from "@/db/schema/readings-enums";
import { AccessDenied, ScopeDenied } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import type { Actor } from "./actor";
import { can, missingScopeText, READ_ONLY_CREDENTIAL, type Action } from "./permissions";
import { patientVisibleTo, type AccessKind } from "./visibility";

/** Actions that only read: the ones a break-glass grant allows. */
export function accessKindOf(action: Action): AccessKind {
  return /:(read|search)$/.test(action) ? "read" : "write";
}

/**
 * The permission gate every data-layer function passes first. A backend client lacking a scope,
 * or a read-only Nightscout token asked to write, is told so (403); anyone else gets the answer
 * a missing record gets (404).
 */
export function assertCan(actor: Actor, action: Action, what = "record"): void {
  if (can(actor, action)) return;
  if (actor.kind === "backend-client") throw new ScopeDenied(missingScopeText(action));
  if (actor.kind === "uploader") throw new ScopeDenied(READ_ONLY_CREDENTIAL);
  throw new AccessDenied(what);
}

declare const authorized: unique symbol;

/**
 * What the data layer knows of a patient once the actor may take `via` on them. Only
 * authorizePatient makes one (the brand keeps object literals out), so a write path that takes
 * one cannot be reached without the check.
 */
export interface AuthorizedPatient {
  id: string;
  organizationId: string;
  birthDate: string;
  timezone: string;
  preferredUnit: GlucoseUnit;
  via: Action;
  readonly [authorized]: true;
}

/**
 * One patient, when the actor may take `action` on them: the permission, then the visibility
 * rule in the query. Everything else (a malformed id, a random id, a patient outside the rule)
 * is the same AccessDenied, recorded as a denial by lib/audit.
 */
export async function authorizePatient(db: Database | Transaction, actor: Actor, action: Action, patientId: string, extra?: SQL): Promise<AuthorizedPatient> {
  assertCan(actor, action, "patient");
  if (!isUuid(patientId)) throw new AccessDenied("patient");
  const [patient] = await db
    .select({ id: patients.id, organizationId: patients.organizationId, birthDate: patients.birthDate, timezone: patients.timezone, preferredUnit: patients.preferredUnit })
    .from(patients)
    .where(and(eq(patients.id, patientId), patientVisibleTo(actor, accessKindOf(action)), extra));
  if (!patient) throw new AccessDenied("patient", patientId);
  return { ...patient, via: action } as AuthorizedPatient;
}
