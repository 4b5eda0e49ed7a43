import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { patients } from "./patients";
import { deviceKinds } from "./readings-enums";
import { users } from "./users";

export const deviceKind = pgEnum("device_kind", deviceKinds);

/**
 * A connected meter or CGM bound to one patient. Its credential is a random token (>= 128 bits)
 * stored only as a SHA-256 hash, unique per device, never derived from the serial number.
 */
export const devices = pgTable(
  "devices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    kind: deviceKind("kind").notNull(),
    model: text("model").notNull(),
    serialNumber: text("serial_number").notNull(),
    firmwareVersion: text("firmware_version"),
    batteryPercent: smallint("battery_percent"),
    lastContactAt: timestamp("last_contact_at", { withTimezone: true }),
    // What its last upload said of its clock: null when its times were fine, else the reason its
    // readings were refused ("the meter's clock looks unset: 2000-01-01"), shown to the patient.
    clockProblem: text("clock_problem"),
    clockProblemAt: timestamp("clock_problem_at", { withTimezone: true }),
    tokenHash: text("token_hash"),
    tokenIssuedAt: timestamp("token_issued_at", { withTimezone: true }),
    pairingCodeHash: text("pairing_code_hash"),
    pairingCodeExpiresAt: timestamp("pairing_code_expires_at", { withTimezone: true }),
    registeredByUserId: uuid("registered_by_user_id").references(() => users.id),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("devices_token_hash_unique").on(table.tokenHash).where(sql`${table.tokenHash} is not null`),
    uniqueIndex("devices_pairing_code_hash_unique").on(table.pairingCodeHash).where(sql`${table.pairingCodeHash} is not null`),
    index("devices_patient_idx").on(table.patientId),
  ],
);

/**
 * A patient's Nightscout uploader credential. Uploader apps send the SHA-1 hex of the secret in
 * `api-secret`; that hex is itself the credential, so only its SHA-256 is stored.
 */
export const uploaderCredentials = pgTable(
  "uploader_credentials",
  {
    patientId: uuid("patient_id")
      .primaryKey()
      .references(() => patients.id),
    apiSecretHash: text("api_secret_hash").notNull(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("uploader_credentials_secret_unique").on(table.apiSecretHash)],
);
