import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { glucoseUnit } from "./units";

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
    // A self-registered account waits here until its owner opens the emailed link; it cannot sign
    // in meanwhile. Accounts the clinic creates prove their address by the invitation link instead.
    emailVerificationPendingSince: timestamp("email_verification_pending_since", { withTimezone: true }),
    // The unit this person reads glucose in on every patient's pages; null: each patient's own.
    preferredUnit: glucoseUnit("preferred_unit"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("users_email_lower_unique").on(sql`lower(${table.email})`)],
);

/**
 * The sessions that are open: one row per sign-in, named by the id its JWT cookie carries. A
 * request is signed in only while its session's row exists, has seen a request within the role's
 * inactivity limit and is younger than the absolute lifetime (lib/auth/session.ts). Ending a
 * session deletes its row, so sign-out, "sign out everywhere", a password change or reset and an
 * account disable take effect on the next request in every server process (HIPAA
 * 164.312(a)(2)(iii), ASVS V7 server-side session management).
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("user_sessions_user_idx").on(table.userId), index("user_sessions_expires_idx").on(table.expiresAt)],
);

export const accountTokenPurposes = ["password-reset", "email-verification"] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];
export const accountTokenPurpose = pgEnum("account_token_purpose", accountTokenPurposes);

/**
 * Emailed one-time links for an account: a password reset, or the proof that a self-registered
 * person owns their email address. Only the SHA-256 of the token is kept; a link works once,
 * until `expiresAt`, and the retention job deletes it once used or expired.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    purpose: accountTokenPurpose("purpose").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (table) => [uniqueIndex("account_tokens_token_hash_unique").on(table.tokenHash), index("account_tokens_user_idx").on(table.userId)],
);
