import { date, integer, numeric, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { patients } from "./patients";
import { specimen } from "./readings";

/**
 * One row per patient, specimen and LOCAL calendar day (the patient's time zone) with counted
 * readings: the day's counts per consensus range (lib/metrics/glycemic classifyGlucose: the value
 * rounded to whole mg/dL, LO below and HI above everything), count, sum, sum of squares, min and
 * max of mg/dL. Kept equal to a recomputation from the raw readings by the write path
 * (lib/readings/ingest.ts calls refresh_glucose_days, hand-written in the dashboards_data
 * migration, in the transaction that stores or corrects readings), so the triage list reads days,
 * never readings (docs/decisions/012-dashboards-data-daily-aggregates.md).
 */
export const glucoseDailyAggregates = pgTable(
  "glucose_daily_aggregates",
  {
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id),
    specimen: specimen("specimen").notNull(),
    localDate: date("local_date", { mode: "string" }).notNull(),
    readings: integer("readings").notNull(),
    veryLow: integer("very_low").notNull(),
    low: integer("low").notNull(),
    inRange: integer("in_range").notNull(),
    high: integer("high").notNull(),
    veryHigh: integer("very_high").notNull(),
    // Exact (numeric) so that any order of ingest gives the same sums to the last digit.
    sumMgdl: numeric("sum_mgdl", { mode: "number" }).notNull(),
    sumSquaresMgdl: numeric("sum_squares_mgdl", { mode: "number" }).notNull(),
    minMgdl: numeric("min_mgdl", { precision: 8, scale: 3, mode: "number" }).notNull(),
    maxMgdl: numeric("max_mgdl", { precision: 8, scale: 3, mode: "number" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.patientId, table.specimen, table.localDate] })],
);
