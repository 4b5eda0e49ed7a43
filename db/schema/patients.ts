import { sql } from "drizzle-orm";
import { date, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { glucoseUnit } from "./units";
import { users } from "./users";

export { glucoseUnit };

export const patients = pgTable(
  "patients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    // The patient's own sign-in, when they have one (a young child may not).
    userId: uuid("user_id").references(() => users.id),
    givenName: text("given_name").notNull(),
    familyName: text("family_name").notNull(),
    birthDate: date("birth_date", { mode: "string" }).notNull(),
    // IANA zone: local times without an offset (meter exports, the manual form) are read in it.
    timezone: text("timezone").notNull(),
    preferredUnit: glucoseUnit("preferred_unit").notNull().default("mg/dL"),
    // Encrypted at rest (lib/security/sealed-columns.ts sealedRecordNumber), looked up and kept
    // unique per organization through its blind index (a keyed hash, docs/decisions/020).
    medicalRecordNumberSealed: text("medical_record_number"),
    medicalRecordNumberIndex: text("medical_record_number_index"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("patients_user_unique").on(table.userId).where(sql`${table.userId} is not null`),
    uniqueIndex("patients_org_mrn_index_unique")
      .on(table.organizationId, table.medicalRecordNumberIndex)
      .where(sql`${table.medicalRecordNumberIndex} is not null`),
    index("patients_org_idx").on(table.organizationId),
  ],
);

/**
 * A guardian (parent or carer) acting for a patient, usually a child. The link counts only once a
 * clinician has confirmed it (the verified step: they know the family), and only until the
 * patient's 18th birthday unless a clinician renewed it to a later day (docs/privacy.md).
 */
export const guardianLinks = pgTable(
  "guardian_links",
  {
    guardianUserId: uuid("guardian_user_id")
      .notNull()
      .references(() => users.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // The clinician who confirmed the guardian knows the family; null until then (no access).
    confirmedByUserId: uuid("confirmed_by_user_id").references(() => users.id),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    // Access past the 18th birthday (e.g. an adult who lacks capacity), up to and including this day.
    renewedUntil: date("renewed_until", { mode: "string" }),
    // Set by a young person judged competent (lib/people/proxy-limits.ts): the guardian's access
    // lasts up to and including this day only, or (endedByPatientAt) has ended.
    limitedByPatientUntil: date("limited_by_patient_until", { mode: "string" }),
    endedByPatientAt: timestamp("ended_by_patient_at", { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.guardianUserId, table.patientId] }),
    index("guardian_links_patient_idx").on(table.patientId),
  ],
);
