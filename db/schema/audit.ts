import { sql } from "drizzle-orm";
import { bigint, index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const auditActorKinds = ["user", "device", "uploader", "backend-client", "system", "anonymous"] as const;
export const auditActorKind = pgEnum("audit_actor_kind", auditActorKinds);

export const auditOutcomes = ["success", "denied", "failure"] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];
export const auditOutcome = pgEnum("audit_outcome", auditOutcomes);

/**
 * The audit trail: who read or changed which patient's record, when, from where, why and with
 * what outcome (PRIVACY-SECURITY.md D1). Append-only: triggers refuse UPDATE, DELETE and TRUNCATE,
 * and a BEFORE INSERT trigger numbers each row and chains it to the previous one
 * (`hash` = SHA-256 of `prev_hash` and the row's canonical text), so `npm run admin -- audit:verify`
 * finds a row changed or removed behind the triggers' back (docs/decisions/008-audit-trail.md).
 * No health values and no names are ever stored here.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    // Set by the chain trigger: contiguous, in commit order.
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actorKind: auditActorKind("actor_kind").notNull(),
    // A user, device, backend client or patient (uploader) id; null for anonymous callers.
    actorId: text("actor_id"),
    // The user's role at the time, the system job's name, or what a Nightscout credential allows.
    actorRole: text("actor_role"),
    organizationId: uuid("organization_id"),
    // The patients whose records were touched (a search records the patients on its page).
    patientIds: uuid("patient_ids").array().notNull().default(sql`'{}'::uuid[]`),
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    purpose: text("purpose").notNull().default("care"),
    outcome: auditOutcome("outcome").notNull(),
    sourceAddress: text("source_address"),
    requestId: text("request_id"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (table) => [
    index("audit_events_patients_idx").using("gin", table.patientIds),
    index("audit_events_actor_idx").on(table.actorKind, table.actorId, table.occurredAt),
    index("audit_events_org_time_idx").on(table.organizationId, table.occurredAt),
  ],
);
