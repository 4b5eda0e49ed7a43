import "server-only";
import { and, eq, gt, isNull, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { glucoseReadings } from "@/db/schema";
import { SYSTEM } from "@/lib/fhir/codes";
import { isUuid } from "@/lib/ids";
import { parseGlucoseUnit } from "@/lib/readings/units";
import { codeSelectionsOf } from "./glucose-codes";
import { encodeCursor, type Cursor } from "./paging";
import type { ParsedSearch, SearchDefinition } from "./search/types";
import { MGDL_PER, quantityMatch, scaled, type IntervalMatch } from "./search/intervals";
import { anyOf, idSql, instantSql, intervalSql, nothing, referenceSql } from "./search/sql";
import type { QuantityValue, TokenValue } from "./search/values";

/**
 * What Observation search supports (the declaration docs/fhir.md and the CapabilityStatement are
 * generated from) and how each parameter becomes a condition on `glucose_readings`. The data layer
 * adds the visibility rule and paging (lib/fhir/server/observations.ts).
 */

/** The sort key of an Observation page boundary: effective time (ISO) and reading id. */
const observationKey = z.tuple([z.iso.datetime(), z.number().int().positive().max(Number.MAX_SAFE_INTEGER)]);
export type ObservationSearch = ParsedSearch<SQL, z.infer<typeof observationKey>>;
export type ObservationCursor = Cursor<z.infer<typeof observationKey>>;

export function observationCursor(direction: ObservationCursor["direction"], row: { effectiveAt: Date; id: number }): string {
  return encodeCursor(direction, [row.effectiveAt.toISOString(), row.id]);
}

const readingId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : null);

/** A token names `code` (in `system`, when one is given). */
const isCode = (token: TokenValue, system: string, code: string) => token.system !== null && (token.system === undefined || token.system === system) && (token.code === undefined || token.code === code);

/** The value compared with an interval match: known exactly, or a LO/HI reading's limit. */
function valueSql(column: typeof glucoseReadings.valueAsReceived | typeof glucoseReadings.valueMgdl, match: ReturnType<typeof quantityMatch>): SQL {
  const { censored } = glucoseReadings;
  return anyOf([
    and(isNull(censored), intervalSql(column, match.exact)),
    match.aboveLimit ? and(eq(censored, "above"), intervalSql(column, match.aboveLimit)) : undefined,
    match.belowLimit ? and(eq(censored, "below"), intervalSql(column, match.belowLimit)) : undefined,
  ]);
}

/**
 * `value-quantity`: without a unit, the value as received in whatever unit; with mg/dL or mmol/L
 * (UCUM), readings in that unit by their value as received and the others by their mg/dL value,
 * so `gt250||mg/dL` also finds a reading of 15 mmol/L. Another system or unit matches nothing.
 */
function quantitySql(value: QuantityValue): SQL {
  if (value.system !== undefined && value.system !== SYSTEM.ucum) return nothing;
  const match = quantityMatch(value);
  if (value.code === undefined) return valueSql(glucoseReadings.valueAsReceived, match);
  const unit = parseGlucoseUnit(value.code);
  if (unit === null) return nothing;
  const inMgdl = (m: IntervalMatch | null) => (m === null ? null : scaled(m, MGDL_PER[unit]));
  return anyOf([
    and(eq(glucoseReadings.unit, unit), valueSql(glucoseReadings.valueAsReceived, match)),
    and(ne(glucoseReadings.unit, unit), valueSql(glucoseReadings.valueMgdl, { exact: inMgdl(match.exact)!, aboveLimit: inMgdl(match.aboveLimit), belowLimit: inMgdl(match.belowLimit) })),
  ]);
}

const OBSERVATION_STATUS = "http://hl7.org/fhir/observation-status";

export const observationSearch: SearchDefinition<SQL, z.infer<typeof observationKey>> = {
  resourceType: "Observation",
  parameters: {
    patient: {
      type: "reference",
      documentation: "The patient: `Patient/[id]` or `[id]`; comma-separate or repeat for several.",
      modifiers: ["Patient"],
      where: (values) => referenceSql(glucoseReadings.patientId, values, "Patient", isUuid),
    },
    subject: {
      type: "reference",
      documentation: "Same as `patient` (every subject is a Patient).",
      modifiers: ["Patient"],
      where: (values) => referenceSql(glucoseReadings.patientId, values, "Patient", isUuid),
    },
    code: {
      type: "token",
      documentation: "LOINC 41653-7, 14743-9, 99504-3, 105272-9; MDC 160184, 160212. `system|code`, `code`, or `system|` for every code of a system (`http://loinc.org|` is every reading).",
      where: (values) => anyOf(values.flatMap(codeSelectionsOf).map((code) => and(eq(glucoseReadings.specimen, code.specimen), code.unit ? eq(glucoseReadings.unit, code.unit) : undefined))),
    },
    category: {
      type: "token",
      documentation: "`laboratory`, the category of every reading.",
      where: (values) => (values.some((value) => isCode(value, SYSTEM.observationCategory, "laboratory")) ? sql`true` : nothing),
    },
    date: {
      type: "date",
      documentation: "`effectiveDateTime`; repeat for a range (`date=ge2026-11-01&date=lt2026-11-08`); a date without a time is the whole day in UTC; `ap` is the value ±1 day.",
      where: (values) => anyOf(values.map((value) => instantSql(glucoseReadings.effectiveAt, value))),
    },
    "value-quantity": {
      type: "quantity",
      documentation:
        "The value: `gt250||mg/dL` (or `|http://unitsofmeasure.org|mg/dL`) compares every reading in mg/dL, converting mmol/L; without a unit, the value as received. `eq` and `ne` use the number's precision (`250` is 249.5 to 250.5), `ap` ±10%. A LO or HI reading (`<40`, `>400`) matches only when every value beyond its limit would (`gt250` finds `>400`).",
      where: (values) => anyOf(values.map(quantitySql)),
    },
    device: {
      type: "reference",
      documentation: "The meter or sensor: `Device/[id]`.",
      modifiers: ["Device"],
      where: (values) => referenceSql(glucoseReadings.deviceId, values, "Device", isUuid),
    },
    status: {
      type: "token",
      documentation: "`final`, or `amended` for a reading corrected by hand.",
      where: (values) =>
        anyOf([
          values.some((value) => isCode(value, OBSERVATION_STATUS, "final")) ? eq(glucoseReadings.version, 1) : undefined,
          values.some((value) => isCode(value, OBSERVATION_STATUS, "amended")) ? gt(glucoseReadings.version, 1) : undefined,
        ]),
    },
    _id: {
      type: "token",
      documentation: "The Observation id.",
      where: (values) => idSql(glucoseReadings.id, values, readingId),
    },
    _lastUpdated: {
      type: "date",
      documentation: "`meta.lastUpdated`, as `date`: `_lastUpdated=gt2026-11-24T00:00:00Z`.",
      where: (values) => anyOf(values.map((value) => instantSql(glucoseReadings.updatedAt, value))),
    },
  },
  sorts: ["date", "-date"],
  includes: ["Observation:subject", "Observation:patient", "Observation:device"],
  elements: { elements: ["status", "category", "code", "subject", "effective[x]", "value[x]", "interpretation", "device"], mandatory: ["status", "code"] },
  totalByDefault: false,
  cursorKey: observationKey,
};
