import { sql } from "drizzle-orm";
import { boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { patients } from "./patients";
import { users } from "./users";

/**
 * Purposes a patient (or their guardian) decides on. Direct care is not here: it is not
 * consent-based (GDPR Art 9(2)(h)) and is on while the patient is under care. The declared list,
 * with lawful bases and plain-language text, is lib/privacy/purposes.ts.
 */
export const decidablePurposes = ["hospital-sharing", "research", "product-analytics", "marketing"] as const;
export type DecidablePurpose = (typeof decidablePurposes)[number];
export const consentPurpose = pgEnum("consent_purpose", decidablePurposes);

export const consentDecisions = ["permit", "deny"] as const;
export type ConsentDecision = (typeof consentDecisions)[number];
export const consentDecision = pgEnum("consent_decision", consentDecisions);

/** How the decision reached Lantern: in the portal by the person deciding. */
export const consentMethods = ["portal"] as const;
export const consentMethod = pgEnum("consent_method", consentMethods);

/** Who decided, relative to the patient: the patient, or a guardian on their behalf. */
export const consentDeciders = ["patient", "guardian"] as const;
export type ConsentDecider = (typeof consentDeciders)[number];
export const consentDecider = pgEnum("consent_decider", consentDeciders);

/**
 * Every consent decision ever made (GDPR Art 7(1): the controller can show who consented to what,
 * when, under which policy text, and how). A new decision supersedes the previous one for the same
 * purpose (`superseded_at` set in the same transaction); the current one has none. Rows are never
 * deleted or rewritten otherwise, so the history answers "what was allowed on that day".
 */
export const consentRecords = pgTable(
  "consent_records",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    purpose: consentPurpose("purpose").notNull(),
    decision: consentDecision("decision").notNull(),
    // The version of the privacy notice the person saw when deciding.
    policyVersion: text("policy_version").notNull(),
    method: consentMethod("method").notNull(),
    decidedByUserId: uuid("decided_by_user_id")
      .notNull()
      .references(() => users.id),
    decidedAs: consentDecider("decided_as").notNull(),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull().defaultNow(),
    supersededAt: timestamp("superseded_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("consent_records_current_unique").on(table.patientId, table.purpose).where(sql`${table.supersededAt} is null`),
    index("consent_records_patient_idx").on(table.patientId, table.decidedAt),
  ],
);

export const privacyRequestKinds = ["restriction", "erasure"] as const;
export type PrivacyRequestKind = (typeof privacyRequestKinds)[number];
export const privacyRequestKind = pgEnum("privacy_request_kind", privacyRequestKinds);

export const privacyRequestStatuses = ["open", "completed", "refused"] as const;
export type PrivacyRequestStatus = (typeof privacyRequestStatuses)[number];
export const privacyRequestStatus = pgEnum("privacy_request_status", privacyRequestStatuses);

/**
 * Requests to restrict processing (GDPR Art 18) or to erase data (Art 17), tracked until answered
 * within one month (Art 12(3)). Care records are kept under the health-care exemption (Art 17(3)(b)
 * and (c), Art 9(2)(h), national retention rules); the answer records whether that exemption was
 * applied, so a refusal to erase readings is on record with its reason.
 */
export const privacyRequests = pgTable(
  "privacy_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    kind: privacyRequestKind("kind").notNull(),
    // In the requester's words: what they want restricted or erased, and why.
    details: text("details").notNull(),
    requestedByUserId: uuid("requested_by_user_id")
      .notNull()
      .references(() => users.id),
    requestedAs: consentDecider("requested_as").notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    status: privacyRequestStatus("status").notNull().default("open"),
    response: text("response"),
    careRecordsExemption: boolean("care_records_exemption"),
    resolvedByUserId: uuid("resolved_by_user_id").references(() => users.id),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (table) => [index("privacy_requests_org_status_idx").on(table.organizationId, table.status, table.dueAt), index("privacy_requests_patient_idx").on(table.patientId)],
);
