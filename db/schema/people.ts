import { bigint, boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { patients } from "./patients";
import { users } from "./users";

/**
 * A one-time link to set one's own password: sent by email to staff and guardians the clinic
 * registers, so nobody ever sees another person's password. Only the SHA-256 of the token is kept.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    tokenHash: text("token_hash").notNull(),
    invitedByUserId: uuid("invited_by_user_id").references(() => users.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("invitations_token_hash_unique").on(table.tokenHash), index("invitations_user_idx").on(table.userId)],
);

/**
 * Break-glass: a clinician outside the patient's care teams, with a stated reason and their
 * password re-entered, reads that one patient's record until `expiresAt`. Starting one is a
 * `grant` audit event, which the privacy officer reviews (access_reviews).
 */
export const breakGlassGrants = pgTable(
  "break_glass_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clinicianUserId: uuid("clinician_user_id")
      .notNull()
      .references(() => users.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    reason: text("reason").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("break_glass_grants_clinician_patient_idx").on(table.clinicianUserId, table.patientId, table.expiresAt)],
);

/** The privacy officer's review of one access-granting audit event: an admin's grant, or a break-glass. */
export const accessReviews = pgTable("access_reviews", {
  auditSeq: bigint("audit_seq", { mode: "number" }).primaryKey(),
  reviewedByUserId: uuid("reviewed_by_user_id")
    .notNull()
    .references(() => users.id),
  reviewedAt: timestamp("reviewed_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A clinician's assessment of whether a young person is competent to make decisions about their
 * own record (Gillick competence; PRIVACY-SECURITY.md B). The latest one counts: while it says
 * competent, the young person may limit or end each guardian's access (guardian_links).
 */
export const competenceAssessments = pgTable(
  "competence_assessments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    assessedByUserId: uuid("assessed_by_user_id")
      .notNull()
      .references(() => users.id),
    competent: boolean("competent").notNull(),
    note: text("note"),
    assessedAt: timestamp("assessed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("competence_assessments_patient_idx").on(table.patientId, table.assessedAt)],
);

/**
 * Work for a patient's care team, created by a job: today the proxy review at a child's
 * configured birthdays (LANTERN_PROXY_REVIEW_AGES), once per child per birthday (the unique index).
 */
export const careTeamTasks = pgTable(
  "care_team_tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    kind: text("kind", { enum: ["proxy-review"] }).notNull(),
    ageYears: integer("age_years").notNull(),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    completedByUserId: uuid("completed_by_user_id").references(() => users.id),
  },
  (table) => [uniqueIndex("care_team_tasks_once_per_birthday").on(table.patientId, table.kind, table.ageYears)],
);
