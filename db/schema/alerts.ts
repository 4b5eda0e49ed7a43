import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { censoring, specimen } from "./readings";
import { patients } from "./patients";
import { users } from "./users";

export const alertKindValues = ["hypo-level-2", "hypo-extended", "hypo-level-1", "rapid-fall", "hyper-level-2", "hyper-level-1", "no-data"] as const;
export const alertKind = pgEnum("alert_kind", alertKindValues);
export const alertSeverityValues = ["urgent", "high", "moderate", "low"] as const;
export const alertSeverity = pgEnum("alert_severity", alertSeverityValues);
export const alertStatusValues = ["open", "acknowledged", "resolved"] as const;
export const alertStatus = pgEnum("alert_status", alertStatusValues);

/**
 * A patient's glucose targets, set by a clinician with a reason: a preset (lib/alerts/targets.ts)
 * and its alert thresholds (whole mg/dL), and the CGM's sampling interval the episode rules count
 * minutes with. No row: the preset for the patient's age, at 5-minute sampling.
 */
export const patientTargets = pgTable("patient_targets", {
  patientId: uuid("patient_id")
    .primaryKey()
    .references(() => patients.id),
  preset: text("preset").notNull(),
  hypoLevel1: smallint("hypo_level_1").notNull(),
  hypoLevel2: smallint("hypo_level_2").notNull(),
  hyperLevel1: smallint("hyper_level_1").notNull(),
  hyperLevel2: smallint("hyper_level_2").notNull(),
  cgmIntervalMinutes: smallint("cgm_interval_minutes").notNull().default(5),
  reason: text("reason").notNull(),
  setByUserId: uuid("set_by_user_id").references(() => users.id),
  setAt: timestamp("set_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The latest (and first) counted reading of each of a patient's feeds, kept by the write path: a
 * feed gone silent is found without scanning readings (no-data alerts, stale feeds on triage).
 */
export const patientFeeds = pgTable(
  "patient_feeds",
  {
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    specimen: specimen("specimen").notNull(),
    firstReadingAt: timestamp("first_reading_at", { withTimezone: true }).notNull(),
    lastReadingAt: timestamp("last_reading_at", { withTimezone: true }).notNull(),
    // The latest reading itself: whether an arriving batch can skip alert evaluation depends on it.
    lastValueMgdl: numeric("last_value_mgdl", { precision: 8, scale: 3, mode: "number" }).notNull(),
    lastCensored: censoring("last_censored"),
  },
  (table) => [primaryKey({ columns: [table.patientId, table.specimen] }), index("patient_feeds_last_idx").on(table.specimen, table.lastReadingAt)],
);

/**
 * One alert per episode (lib/alerts, docs/decisions/006-episodes.md): the episode's facts, kept
 * equal to the episode function over the stored readings by the write path, and the clinician's
 * handling of it. `historical` episodes (found in readings older than the alert horizon, such as
 * a file uploaded days later) appear in reports and the inbox's history but page nobody.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    kind: alertKind("kind").notNull(),
    severity: alertSeverity("severity").notNull(),
    // The episode's specimen; for a no-data alert, the silent feed's (docs/decisions/010-alerts-delivery.md).
    specimen: specimen("specimen"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    // Null while the episode is open (the patient is not back in range yet).
    endedAt: timestamp("ended_at", { withTimezone: true }),
    worstMgdl: numeric("worst_mgdl", { precision: 8, scale: 3, mode: "number" }),
    worstCensored: censoring("worst_censored"),
    worstAt: timestamp("worst_at", { withTimezone: true }),
    lastBeyondAt: timestamp("last_beyond_at", { withTimezone: true }),
    readingsBeyond: integer("readings_beyond").notNull().default(0),
    durationMinutes: numeric("duration_minutes", { precision: 10, scale: 2, mode: "number" }).notNull().default(0),
    // The targets in force when the episode was found: preset id, label and thresholds.
    targets: jsonb("targets").notNull(),
    historical: boolean("historical").notNull().default(false),
    status: alertStatus("status").notNull().default("open"),
    acknowledgedByUserId: uuid("acknowledged_by_user_id").references(() => users.id),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgementNote: text("acknowledgement_note"),
    resolvedByUserId: uuid("resolved_by_user_id").references(() => users.id),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    // Late readings joined it to an earlier episode, or showed it never was one: kept, not shown as live.
    mergedIntoId: bigint("merged_into_id", { mode: "number" }).references((): AnyPgColumn => alerts.id),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("alerts_patient_started_idx").on(table.patientId, table.startedAt),
    index("alerts_open_idx").on(table.status, table.severity).where(sql`${table.status} <> 'resolved' and ${table.mergedIntoId} is null and ${table.withdrawnAt} is null`),
  ],
);

export const channelKindValues = ["webhook", "email"] as const;
export const channelKind = pgEnum("channel_kind", channelKindValues);

/** Where an organization's alert notifications go: a signed webhook or an email address. */
export const notificationChannels = pgTable("notification_channels", {
  id: uuid("id").primaryKey().defaultRandom(),
  organizationId: uuid("organization_id")
    .notNull()
    .references(() => organizations.id),
  kind: channelKind("kind").notNull(),
  name: text("name").notNull(),
  // The webhook URL, or the email address.
  target: text("target").notNull(),
  // HMAC-SHA256 key of a webhook's signatures (shown once to the admin). Encrypted at rest: only
  // lib/security/sealed-columns.ts reads or writes it (docs/privacy.md).
  signingSecretSealed: text("signing_secret"),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const notificationStatusValues = ["pending", "delivered", "dead"] as const;
export const notificationStatus = pgEnum("notification_status", notificationStatusValues);

/**
 * The notification outbox: written in the transaction that opens or escalates an alert, delivered
 * by a worker in every server process (SKIP LOCKED: never twice), retried with backoff.
 */
export const notificationOutbox = pgTable(
  "notification_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    alertId: bigint("alert_id", { mode: "number" })
      .notNull()
      .references(() => alerts.id),
    // A channel of the organization, or a clinician's own email (escalation).
    channelId: uuid("channel_id").references(() => notificationChannels.id),
    recipientUserId: uuid("recipient_user_id").references(() => users.id),
    reason: text("reason").notNull(),
    status: notificationStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (table) => [index("notification_outbox_due_idx").on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`)],
);
