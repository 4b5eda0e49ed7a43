import { sql } from "drizzle-orm";
import { integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

export const userRoles = ["patient", "guardian", "clinician", "admin", "privacy_officer"] as const;
export type UserRole = (typeof userRoles)[number];
export const userRole = pgEnum("user_role", userRoles);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    // Stored as typed; matched case-insensitively through the unique index below.
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    role: userRole("role").notNull(),
    // argon2id PHC string: algorithm, parameters and salt travel with the hash.
    passwordHash: text("password_hash").notNull(),
    failedSignInCount: integer("failed_sign_in_count").notNull().default(0),
    lastFailedSignInAt: timestamp("last_failed_sign_in_at", { withTimezone: true }),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("users_email_lower_unique").on(sql`lower(${table.email})`)],
);

/**
 * Sessions ended by signing out, until their cookie would have expired anyway. A JWT session
 * cookie cannot be recalled from the browser (a request in flight may even re-issue it), so the
 * server refuses its id instead (HIPAA 164.312(a)(2)(iii), ASVS V7 server-side revocation).
 */
export const revokedSessions = pgTable("revoked_sessions", {
  sessionId: text("session_id").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id),
  revokedAt: timestamp("revoked_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});
