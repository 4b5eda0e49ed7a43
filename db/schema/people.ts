import { bigint, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
