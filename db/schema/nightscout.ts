import { bigint, boolean, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { patients } from "./patients";
import { users } from "./users";

/**
 * What Nightscout uploader apps and followers send besides glucose entries (lib/uploader,
 * docs/nightscout-uploader.md): treatments, device status, the access tokens followers use, and
 * the entries Lantern could not use, kept so nobody is left wondering where a reading went.
 */

/** What a Nightscout credential allows: read and write (uploader apps) or read only (followers). */
export const uploaderAccessLevels = ["read-write", "read"] as const;
export type UploaderAccess = (typeof uploaderAccessLevels)[number];
export const uploaderAccess = pgEnum("uploader_access", uploaderAccessLevels);

/**
 * A Nightscout access token of one patient, created and revoked in the portal. Followers
 * (Nightguard, xDrip+ follower, nightscout-connect) read with one; AndroidAPS's NSClient v3
 * exchanges one for short-lived JWTs. Only the token's SHA-256 is stored.
 */
export const nightscoutAccessTokens = pgTable(
  "nightscout_access_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    name: text("name").notNull(),
    access: uploaderAccess("access").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (table) => [uniqueIndex("nightscout_access_tokens_hash_unique").on(table.tokenHash), index("nightscout_access_tokens_patient_idx").on(table.patientId)],
);

/**
 * The `device` string behind an uploader origin. Origins hash long or unusual strings
 * (`loop://iPhone` becomes `uploader:sha256-…`, lib/readings/identity.ts); followers get the
 * string back with each entry.
 */
export const uploaderOrigins = pgTable(
  "uploader_origins",
  {
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    origin: text("origin").notNull(),
    device: text("device").notNull(),
  },
  (table) => [primaryKey({ columns: [table.patientId, table.origin] })],
);

/**
 * A treatment: carbohydrates, insulin, and the events around them (site change, temporary
 * basal, profile switch...) as the app recorded them. `identifier` names the document for
 * Nightscout: the app's own, or the one Nightscout would compute; the same identifier sent again
 * replaces the document, as in Nightscout, and a deleted one stays with `is_valid` false so
 * apps syncing changes learn of the deletion.
 */
export const treatments = pgTable(
  "treatments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    identifier: text("identifier").notNull(),
    // `uploader:<device>`, as readings name their origin.
    origin: text("origin").notNull(),
    // The app as it named itself (device, app or enteredBy), for people to read.
    app: text("app").notNull(),
    eventType: text("event_type"),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    utcOffsetMinutes: smallint("utc_offset_minutes").notNull(),
    carbsGrams: numeric("carbs_grams", { precision: 7, scale: 2, mode: "number" }),
    insulinUnits: numeric("insulin_units", { precision: 7, scale: 3, mode: "number" }),
    // The insulin's name when the app says it (Loop's insulinType, e.g. Fiasp).
    insulinKind: text("insulin_kind"),
    durationMinutes: numeric("duration_minutes", { precision: 9, scale: 2, mode: "number" }),
    // A temporary basal rate, U/h.
    basalRate: numeric("basal_rate", { precision: 7, scale: 3, mode: "number" }),
    // Free text the person typed: health data, never logged.
    notes: text("notes"),
    enteredBy: text("entered_by"),
    isValid: boolean("is_valid").notNull().default(true),
    srvCreated: timestamp("srv_created", { withTimezone: true }).notNull().defaultNow(),
    srvModified: timestamp("srv_modified", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("treatments_identifier_unique").on(table.patientId, table.identifier),
    index("treatments_patient_time_idx").on(table.patientId, table.occurredAt.desc()),
    index("treatments_patient_modified_idx").on(table.patientId, table.srvModified),
  ],
);

/** The pump as a device status reported it (whitelisted fields, nothing else is kept). */
export interface PumpSummary {
  reservoirUnits?: number;
  batteryPercent?: number;
  status?: string;
  suspended?: boolean;
  bolusing?: boolean;
  clock?: string;
}

/** The automated insulin delivery loop (Loop, AndroidAPS, Trio/OpenAPS) as a device status reported it. */
export interface LoopSummary {
  system: string;
  iobUnits?: number;
  cobGrams?: number;
  ranAt?: string;
  enactedRate?: number;
  enactedDurationMinutes?: number;
  enactedAt?: string;
  failed?: boolean;
}

/**
 * One device status report of an uploader app: its phone's battery and, from looping apps, the
 * pump and loop state. Only a small whitelisted summary is kept (predictions, reasons and
 * settings are not).
 */
export const deviceStatuses = pgTable(
  "device_statuses",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    identifier: text("identifier").notNull(),
    app: text("app").notNull(),
    reportedAt: timestamp("reported_at", { withTimezone: true }).notNull(),
    utcOffsetMinutes: smallint("utc_offset_minutes").notNull(),
    uploaderBattery: smallint("uploader_battery"),
    uploaderCharging: boolean("uploader_charging"),
    pump: jsonb("pump").$type<PumpSummary>(),
    loop: jsonb("loop").$type<LoopSummary>(),
    srvCreated: timestamp("srv_created", { withTimezone: true }).notNull().defaultNow(),
    srvModified: timestamp("srv_modified", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("device_statuses_identifier_unique").on(table.patientId, table.identifier),
    index("device_statuses_patient_app_time_idx").on(table.patientId, table.app, table.reportedAt.desc()),
    index("device_statuses_patient_modified_idx").on(table.patientId, table.srvModified),
  ],
);

/**
 * What an app sent that Lantern could not use, one row per patient, app and reason: the patient
 * and clinician see it on the devices page. A resend of the same problem counts up.
 */
export const uploadProblems = pgTable(
  "upload_problems",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    app: text("app").notNull(),
    reason: text("reason").notNull(),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    count: integer("count").notNull(),
  },
  (table) => [
    uniqueIndex("upload_problems_unique").on(table.patientId, table.app, table.reason),
    index("upload_problems_patient_seen_idx").on(table.patientId, table.lastSeenAt.desc()),
  ],
);
