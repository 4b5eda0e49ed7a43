import { sql } from "drizzle-orm";
import { bigint, index, integer, numeric, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { devices } from "./devices";
import { glucoseUnit, patients } from "./patients";
import { censorings, mealContexts, readingSources, specimens, trendDirections } from "./readings-enums";
import { users } from "./users";

export const specimen = pgEnum("specimen", specimens);
export const readingSource = pgEnum("reading_source", readingSources);
export const mealContext = pgEnum("meal_context", mealContexts);
export const censoring = pgEnum("censoring", censorings);
export const trendDirection = pgEnum("trend_direction", trendDirections);

/**
 * One glucose value. Kept compact: FHIR Observations are rendered from these rows on read.
 * The value and unit are stored exactly as received (never converted back and forth); the
 * normalized mg/dL value serves every comparison, metric and chart.
 */
export const glucoseReadings = pgTable(
  "glucose_readings",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    valueAsReceived: numeric("value_as_received", { precision: 8, scale: 3, mode: "number" }).notNull(),
    unit: glucoseUnit("unit").notNull(),
    valueMgdl: numeric("value_mgdl", { precision: 8, scale: 3, mode: "number" }).notNull(),
    // LO/HI: the meter only knows the value is beyond this limit.
    censored: censoring("censored"),
    effectiveAt: timestamp("effective_at", { withTimezone: true }).notNull(),
    // The UTC offset the reading was taken at, so "08:05 local" stays 08:05 for the patient.
    utcOffsetMinutes: smallint("utc_offset_minutes").notNull(),
    specimen: specimen("specimen").notNull(),
    source: readingSource("source").notNull(),
    mealContext: mealContext("meal_context"),
    note: text("note"),
    deviceId: uuid("device_id").references(() => devices.id),
    // Where it came from, finer than `source`: `device:<id>`, `uploader:<app device string>`,
    // `file:<serial>:<record kind>`, `fhir:<sender>`, `manual:<user>`. The same sensor reading
    // brought by two origins is one reading (see duplicateOfId).
    origin: text("origin").notNull().default(""),
    // Set when this row is a reading already stored from another origin (same specimen, same
    // value, within 30 seconds): it keeps its provenance but reports, alerts, metrics, FHIR
    // searches and pushes count only the first (docs/decisions/007-reading-identity.md).
    duplicateOfId: bigint("duplicate_of_id", { mode: "number" }).references((): AnyPgColumn => glucoseReadings.id),
    trend: trendDirection("trend"),
    noise: smallint("noise"),
    // Identifies the same reading arriving again through the same door (device and sequence
    // number, uploader entry time, file row time); a replay conflicts and stores nothing.
    dedupeKey: text("dedupe_key"),
    enteredByUserId: uuid("entered_by_user_id").references(() => users.id),
    // Corrections bump the version; earlier versions live in glucose_reading_versions.
    version: integer("version").notNull().default(1),
    // Who recorded the current version when it is a correction (null: the original entry).
    correctedByUserId: uuid("corrected_by_user_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("glucose_readings_patient_time_idx").on(table.patientId, table.effectiveAt.desc()),
    uniqueIndex("glucose_readings_dedupe_unique").on(table.patientId, table.dedupeKey).where(sql`${table.dedupeKey} is not null`),
  ],
);

/** Every earlier version of a corrected reading: who recorded it, when, and what it said. */
export const glucoseReadingVersions = pgTable(
  "glucose_reading_versions",
  {
    readingId: bigint("reading_id", { mode: "number" })
      .notNull()
      .references(() => glucoseReadings.id),
    version: integer("version").notNull(),
    valueAsReceived: numeric("value_as_received", { precision: 8, scale: 3, mode: "number" }).notNull(),
    unit: glucoseUnit("unit").notNull(),
    valueMgdl: numeric("value_mgdl", { precision: 8, scale: 3, mode: "number" }).notNull(),
    effectiveAt: timestamp("effective_at", { withTimezone: true }).notNull(),
    utcOffsetMinutes: smallint("utc_offset_minutes").notNull(),
    mealContext: mealContext("meal_context"),
    note: text("note"),
    recordedByUserId: uuid("recorded_by_user_id").references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
    supersededByUserId: uuid("superseded_by_user_id").references(() => users.id),
    supersededAt: timestamp("superseded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.readingId, table.version] })],
);
