import { bigint, index, numeric, pgEnum, pgTable, smallint, timestamp, uuid } from "drizzle-orm/pg-core";
import { glucoseUnit, patients } from "./patients";
import { readingSources, specimens } from "./readings-enums";
import { users } from "./users";

export const specimen = pgEnum("specimen", specimens);
export const readingSource = pgEnum("reading_source", readingSources);

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
    valueAsReceived: numeric("value_as_received", { precision: 8, scale: 3 }).notNull(),
    unit: glucoseUnit("unit").notNull(),
    valueMgdl: numeric("value_mgdl", { precision: 8, scale: 3 }).notNull(),
    effectiveAt: timestamp("effective_at", { withTimezone: true }).notNull(),
    // The UTC offset the reading was taken at, so "08:05 local" stays 08:05 for the patient.
    utcOffsetMinutes: smallint("utc_offset_minutes").notNull(),
    specimen: specimen("specimen").notNull(),
    source: readingSource("source").notNull(),
    // Devices arrive with the ingest issue; the foreign key is added with their table.
    deviceId: uuid("device_id"),
    enteredByUserId: uuid("entered_by_user_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("glucose_readings_patient_time_idx").on(table.patientId, table.effectiveAt.desc())],
);
