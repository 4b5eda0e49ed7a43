import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "@/db/client";
import type { AuditOutcome } from "@/db/schema/audit";
import { actorId, type Actor, type RequestOrigin } from "@/lib/access/actor";
import { AccessDenied, ScopeDenied } from "@/lib/errors";

/**
 * Writing the audit trail (PRIVACY-SECURITY.md D1, docs/decisions/008-audit-trail.md). The data
 * layer records one event per request or batch, in the same transaction or statement as the read
 * or write it records, and a separate event when it refuses (outcome `denied`). Rows hold ids,
 * never health values or names.
 */

export type AuditAction =
  | "read"
  | "search"
  | "create"
  | "update"
  | "export"
  | "disclose" // sent to a hospital system by push
  | "sign-in"
  | "sign-out"
  | "register"
  | "pair"
  | "grant" // access-granting admin actions: staff accounts, care teams, backend clients, endpoints
  | "revoke";

/** Someone not (yet) identified: a failed sign-in, a meter pairing, a self-registration. */
export interface AnonymousCaller {
  kind: "anonymous";
  origin: RequestOrigin;
  organizationId?: string | null;
  /** The account or record the caller claimed (a user id for a failed sign-in), when known. */
  claimedId?: string | null;
}

export type AuditSubject = Actor | AnonymousCaller;

export interface AuditEntry {
  action: AuditAction;
  resourceType: string;
  resourceId?: string | null;
  patientIds?: readonly string[];
  outcome: AuditOutcome;
  /** Why the data was used: `care` unless another purpose applies. */
  purpose?: string;
}

function subjectColumns(subject: AuditSubject): { kind: string; id: string | null; role: string | null } {
  if (subject.kind === "anonymous") return { kind: "anonymous", id: subject.claimedId ?? null, role: null };
  // Users by role, jobs by name, Nightscout credentials by what they allow (read or read-write).
  const role = subject.kind === "user" ? subject.role : subject.kind === "system" ? subject.job : subject.kind === "uploader" ? subject.access : null;
  return { kind: subject.kind, id: actorId(subject), role };
}

/** The INSERT of one audit row, usable alone or as a CTE of a larger write statement. */
export function auditInsert(subject: AuditSubject, entry: AuditEntry, patientIdsSql?: SQL): SQL {
  const who = subjectColumns(subject);
  const patientIds = patientIdsSql ?? sql`${sql.param([...new Set(entry.patientIds ?? [])])}::text[]::uuid[]`;
  return sql`insert into audit_events (actor_kind, actor_id, actor_role, organization_id, patient_ids, action, resource_type, resource_id,
      purpose, outcome, source_address, request_id)
    values (${who.kind}::audit_actor_kind, ${who.id}, ${who.role}, ${subject.organizationId ?? null}::uuid, ${patientIds}, ${entry.action},
      ${entry.resourceType}, ${entry.resourceId ?? null}, ${entry.purpose ?? "care"}, ${entry.outcome}::audit_outcome,
      ${subject.origin.sourceAddress}, ${subject.origin.requestId})`;
}

export async function recordAudit(db: Database | Transaction, subject: AuditSubject, entry: AuditEntry): Promise<void> {
  await db.execute(auditInsert(subject, entry));
}

/** What a unit of data-layer work touched, for its audit event. */
export class AuditTrail {
  private readonly patients = new Set<string>();
  resourceId: string | null = null;

  touch(...patientIds: readonly string[]): void {
    for (const id of patientIds) this.patients.add(id);
  }

  get patientIds(): string[] {
    return [...this.patients];
  }
}

/** Records a refusal on its own (the refused work wrote nothing), then lets it propagate. */
async function recordRefusal(actor: AuditSubject, event: { action: AuditAction; resourceType: string; purpose?: string }, error: unknown, trail: AuditTrail): Promise<void> {
  if (!(error instanceof AccessDenied || error instanceof ScopeDenied)) return;
  const attempted = error instanceof AccessDenied && error.attemptedId ? [error.attemptedId] : trail.patientIds;
  await recordAudit(getDb(), actor, { ...event, resourceId: trail.resourceId, patientIds: attempted, outcome: "denied" });
}

/**
 * Runs one audited unit of data-layer work in a transaction: the work, then its audit event, commit
 * together. When the work is refused (AccessDenied, ScopeDenied), the transaction rolls back and a
 * `denied` event is written on its own, so the refusal is on record even though nothing happened.
 */
export async function audited<T>(
  actor: AuditSubject,
  event: { action: AuditAction; resourceType: string; purpose?: string },
  work: (tx: Transaction, trail: AuditTrail) => Promise<T>,
  /** The database or an enclosing transaction (the demo seed's); the work then runs in a savepoint. */
  within: Database | Transaction = getDb(),
): Promise<T> {
  const trail = new AuditTrail();
  try {
    return await within.transaction(async (tx) => {
      const result = await work(tx, trail);
      await recordAudit(tx, actor, { ...event, resourceId: trail.resourceId, patientIds: trail.patientIds, outcome: "success" });
      return result;
    });
  } catch (error) {
    await recordRefusal(actor, event, error, trail);
    throw error;
  }
}

/**
 * For work whose success event is written by its own write statement (the readings write path
 * records its event in the statement that stores the batch): only refusals are recorded here.
 */
export async function auditedRefusals<T>(
  actor: AuditSubject,
  event: { action: AuditAction; resourceType: string; purpose?: string },
  work: (trail: AuditTrail) => Promise<T>,
): Promise<T> {
  const trail = new AuditTrail();
  try {
    return await work(trail);
  } catch (error) {
    await recordRefusal(actor, event, error, trail);
    throw error;
  }
}
