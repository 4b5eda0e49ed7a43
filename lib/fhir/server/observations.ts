import "server-only";
import { and, asc, desc, eq, gte, inArray, lt, not, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { devices, glucoseReadings, glucoseReadingVersions, patients } from "@/db/schema";
import type { Censoring, GlucoseUnit, ReadingSource, Specimen } from "@/db/schema/readings-enums";
import type { DataReader } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { patientVisibleTo } from "@/lib/patients/visibility";
import { conditionBounds, type DateCondition } from "./date-search";
import type { ObservationCursor, ObservationQuery } from "./observation-search";

/** A reading with what its FHIR Observation needs. */
export interface ObservationRow {
  id: number;
  patientId: string;
  deviceId: string | null;
  valueAsReceived: number;
  unit: GlucoseUnit;
  valueMgdl: number;
  censored: Censoring | null;
  effectiveAt: Date;
  utcOffsetMinutes: number;
  specimen: Specimen;
  source: ReadingSource;
  version: number;
  updatedAt: Date;
}

const observationColumns = {
  id: glucoseReadings.id,
  patientId: glucoseReadings.patientId,
  deviceId: glucoseReadings.deviceId,
  valueAsReceived: glucoseReadings.valueAsReceived,
  unit: glucoseReadings.unit,
  valueMgdl: glucoseReadings.valueMgdl,
  censored: glucoseReadings.censored,
  effectiveAt: glucoseReadings.effectiveAt,
  utcOffsetMinutes: glucoseReadings.utcOffsetMinutes,
  specimen: glucoseReadings.specimen,
  source: glucoseReadings.source,
  version: glucoseReadings.version,
  updatedAt: glucoseReadings.updatedAt,
};

type RawRow = { [K in keyof ObservationRow]: K extends "valueAsReceived" | "valueMgdl" ? string : ObservationRow[K] };

function toRow(raw: RawRow): ObservationRow {
  return { ...raw, valueAsReceived: Number(raw.valueAsReceived), valueMgdl: Number(raw.valueMgdl) };
}

/** Users need `reading:read` (admins see who patients are, not their values); clients were scope-checked at the door. */
function mayReadReadings(reader: DataReader): boolean {
  return reader.kind === "backend-client" || can(reader.role, "reading:read");
}

function timeConditions(column: typeof glucoseReadings.effectiveAt | typeof glucoseReadings.updatedAt, conditions: DateCondition[]): SQL[] {
  return conditions.map((condition) => {
    const bounds = conditionBounds(condition);
    if (bounds.exclude) {
      return not(and(gte(column, new Date(bounds.exclude.from)), lt(column, new Date(bounds.exclude.to)))!);
    }
    return and(bounds.from !== undefined ? gte(column, new Date(bounds.from)) : undefined, bounds.to !== undefined ? lt(column, new Date(bounds.to)) : undefined) ?? sql`true`;
  });
}

/** The filters of a search, the visibility rule included; never the paging. */
function searchFilter(reader: DataReader, query: ObservationQuery): SQL | undefined {
  if (!query.categoryMatches || query.patientIds?.length === 0 || query.codes?.length === 0 || query.ids?.length === 0 || query.deviceIds?.length === 0) {
    return sql`false`;
  }
  return and(
    patientVisibleTo(reader),
    query.patientIds ? inArray(glucoseReadings.patientId, query.patientIds) : undefined,
    query.ids ? inArray(glucoseReadings.id, query.ids) : undefined,
    query.deviceIds ? inArray(glucoseReadings.deviceId, query.deviceIds) : undefined,
    query.codes
      ? or(...query.codes.map((code) => and(eq(glucoseReadings.specimen, code.specimen), code.unit ? eq(glucoseReadings.unit, code.unit) : undefined)))
      : undefined,
    ...timeConditions(glucoseReadings.effectiveAt, query.dates),
    ...timeConditions(glucoseReadings.updatedAt, query.lastUpdated),
  );
}

export interface ObservationPage {
  rows: ObservationRow[];
  /** Cursors for the next and previous pages, when there are such pages. */
  next: ObservationCursor | null;
  previous: ObservationCursor | null;
}

/**
 * One page of a search, in (effective time, id) order. Paging is by keyset, not offset: a cursor
 * names the last row seen, so readings inserted meanwhile never shift or repeat a page.
 */
export async function searchObservations(reader: DataReader, query: ObservationQuery): Promise<ObservationPage> {
  if (!mayReadReadings(reader) || query.count === 0) return { rows: [], next: null, previous: null };
  const ascending = query.sort === "date";
  const backwards = query.cursor?.direction === "before";
  // Reading backwards (a "previous" link) walks the opposite order, then flips the page.
  const walkAscending = ascending !== backwards;
  const keyset = query.cursor
    ? walkAscending
      ? sql`(${glucoseReadings.effectiveAt}, ${glucoseReadings.id}) > (${query.cursor.effectiveAt}::timestamptz, ${query.cursor.id})`
      : sql`(${glucoseReadings.effectiveAt}, ${glucoseReadings.id}) < (${query.cursor.effectiveAt}::timestamptz, ${query.cursor.id})`
    : undefined;
  const order = walkAscending ? [asc(glucoseReadings.effectiveAt), asc(glucoseReadings.id)] : [desc(glucoseReadings.effectiveAt), desc(glucoseReadings.id)];
  const raw = await getDb()
    .select(observationColumns)
    .from(glucoseReadings)
    .innerJoin(patients, eq(patients.id, glucoseReadings.patientId))
    .where(and(searchFilter(reader, query), keyset))
    .orderBy(...order)
    .limit(query.count + 1);
  const more = raw.length > query.count;
  const page = raw.slice(0, query.count).map(toRow);
  if (backwards) page.reverse();
  const cursorOf = (row: ObservationRow | undefined, direction: "after" | "before"): ObservationCursor | null =>
    row ? { effectiveAt: row.effectiveAt.toISOString(), id: row.id, direction } : null;
  return {
    rows: page,
    next: backwards || more ? cursorOf(page.at(-1), "after") : null,
    previous: query.cursor && (!backwards || more) ? cursorOf(page[0], "before") : null,
  };
}

/** How many Observations match (for `_summary=count`): visible ones only, so totals leak nothing. */
export async function countObservations(reader: DataReader, query: ObservationQuery): Promise<number> {
  if (!mayReadReadings(reader)) return 0;
  const [row] = await getDb()
    .select({ count: sql<number>`count(*)::int` })
    .from(glucoseReadings)
    .innerJoin(patients, eq(patients.id, glucoseReadings.patientId))
    .where(searchFilter(reader, query));
  return row?.count ?? 0;
}

/** One Observation by id, current version; not_found when missing or not visible. */
export async function readObservation(reader: DataReader, id: string): Promise<ObservationRow> {
  const readingId = Number(id);
  if (!mayReadReadings(reader) || !/^\d{1,15}$/.test(id)) throw notFound("Observation");
  const [raw] = await getDb()
    .select(observationColumns)
    .from(glucoseReadings)
    .innerJoin(patients, eq(patients.id, glucoseReadings.patientId))
    .where(and(eq(glucoseReadings.id, readingId), patientVisibleTo(reader)));
  if (!raw) throw notFound("Observation");
  return toRow(raw);
}

/** Every version of an Observation, newest first: the current row, then the kept earlier ones. */
export async function observationHistory(reader: DataReader, id: string): Promise<ObservationRow[]> {
  const current = await readObservation(reader, id);
  const earlier = await getDb()
    .select({
      version: glucoseReadingVersions.version,
      valueAsReceived: glucoseReadingVersions.valueAsReceived,
      unit: glucoseReadingVersions.unit,
      valueMgdl: glucoseReadingVersions.valueMgdl,
      effectiveAt: glucoseReadingVersions.effectiveAt,
      utcOffsetMinutes: glucoseReadingVersions.utcOffsetMinutes,
      recordedAt: glucoseReadingVersions.recordedAt,
    })
    .from(glucoseReadingVersions)
    .where(eq(glucoseReadingVersions.readingId, current.id))
    .orderBy(desc(glucoseReadingVersions.version));
  return [
    current,
    ...earlier.map((version) => ({
      ...current,
      version: version.version,
      valueAsReceived: Number(version.valueAsReceived),
      unit: version.unit,
      valueMgdl: Number(version.valueMgdl),
      effectiveAt: version.effectiveAt,
      utcOffsetMinutes: version.utcOffsetMinutes,
      updatedAt: version.recordedAt,
    })),
  ];
}

/** Devices referenced by a page, for `_include=Observation:device` (visible patients' devices only). */
export async function devicesForInclude(reader: DataReader, deviceIds: string[]) {
  if (deviceIds.length === 0) return [];
  return getDb()
    .select({
      id: devices.id,
      patientId: devices.patientId,
      kind: devices.kind,
      model: devices.model,
      serialNumber: devices.serialNumber,
      firmwareVersion: devices.firmwareVersion,
      revokedAt: devices.revokedAt,
    })
    .from(devices)
    .innerJoin(patients, eq(patients.id, devices.patientId))
    .where(and(inArray(devices.id, deviceIds), patientVisibleTo(reader)));
}

/** A visible patient's readings in [start, end), for the metrics of a CGM summary. */
export async function readingsForSummary(reader: DataReader, patientId: string, start: Date, end: Date) {
  if (!mayReadReadings(reader) || !isUuid(patientId)) throw notFound("Patient");
  const [patient] = await getDb().select({ id: patients.id }).from(patients).where(and(eq(patients.id, patientId), patientVisibleTo(reader)));
  if (!patient) throw notFound("Patient");
  const rows = await getDb()
    .select({ valueMgdl: glucoseReadings.valueMgdl, censored: glucoseReadings.censored, effectiveAt: glucoseReadings.effectiveAt, specimen: glucoseReadings.specimen })
    .from(glucoseReadings)
    .where(and(eq(glucoseReadings.patientId, patient.id), gte(glucoseReadings.effectiveAt, start), lt(glucoseReadings.effectiveAt, end)));
  return rows.map((row) => ({ ...row, valueMgdl: Number(row.valueMgdl) }));
}
