import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * A user's authenticator app (TOTP, RFC 6238). The shared secret is stored encrypted
 * (AES-256-GCM, lib/auth/mfa/secret-box.ts), never in plain text and never logged. `secretCiphertext`
 * is the confirmed authenticator, `pendingSecretCiphertext` one being set up (shown as a QR code
 * until its first code confirms it). `lastUsedStep` is the TOTP time step of the last accepted
 * code: a code of that step or an earlier one is refused (no replay within its window).
 */
export const totpCredentials = pgTable("totp_credentials", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id),
  secretCiphertext: text("secret_ciphertext"),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  lastUsedStep: integer("last_used_step"),
  pendingSecretCiphertext: text("pending_secret_ciphertext"),
  pendingSince: timestamp("pending_since", { withTimezone: true }),
});

/** Single-use recovery codes, stored as their SHA-256 (80 random bits each); `usedAt` once spent. */
export const mfaRecoveryCodes = pgTable(
  "mfa_recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    codeHash: text("code_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (table) => [index("mfa_recovery_codes_user").on(table.userId)],
);
