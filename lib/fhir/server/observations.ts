import "server-only";
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { devices, glucoseReadings, glucoseReadingVersions, patients } from "@/db/schema";
import type { Censoring, GlucoseUnit, ReadingSource, Specimen } from "@/db/schema/readings-enums";
import type { AlertThresholds } from "@/lib/alerts/targets";
import type { Actor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { can } from "@/lib/access/permissions";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { computeGlycemicSummary } from "@/lib/metrics/glycemic";
import { reportOfAuthorizedPatient } from "@/lib/readings/glucose-report";
import { countedReading } from "@/lib/readings/ingest";
import { cgmSummaryFiguresOf } from "@/lib/fhir/cgm-summary";
import { AccessDenied } from "@/lib/errors";
import { observationCursor, type ObservationSearch } from "./observation-search";
import type { Page } from "./paging";
import { patientColumns, type FhirPatientRow } from "./patients";
import { resolveSummaryPeriod, type SummaryRequest } from "./summary-period";
import { withThresholds } from "./thresholds";
import { withRecordNumber } from "@/lib/security/sealed-columns";

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

/** A reading with the patient's alert thresholds in force: what its Observation is rendered from. */
export type FhirObservationRow = ObservationRow & { thresholds: AlertThresholds };

export const observationColumns = {
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

export type FhirDeviceRow = Awaited<ReturnType<typeof visibleDevices>>[number];

export const deviceColumns = {
  id: devices.id,
  patientId: devices.patientId,
  kind: devices.kind,
  model: devices.model,
  serialNumber: devices.serialNumber,
  firmwareVersion: devices.firmwareVersion,
  revokedAt: devices.revokedAt,
  // What a Device shows changes when it is made, paired (model, firmware) or revoked.
  changedAt: sql<Date>`greatest(${devices.createdAt}, ${devices.tokenIssuedAt}, ${devices.revokedAt})`.mapWith(devices.createdAt),
};

/** The filters of a search, the visibility rule included; never the paging. */
function searchFilter(actor: Actor, search: ObservationSearch): SQL | undefined {
  return and(patientVisibleTo(actor), countedReading, ...search.conditions);
}

/** How many readings match, visible ones only, so totals leak nothing. */
async function countMatches(tx: Transaction, actor: Actor, search: ObservationSearch): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(glucoseReadings)
    .innerJoin(patients, eq(patients.id, glucoseReadings.patientId))
    .where(searchFilter(actor, search));
  return row?.count ?? 0;
}

export interface ObservationPage extends Page<FhirObservationRow> {
  /** `_include` results the actor may see: subjects and devices of the page's readings. */
  subjects: FhirPatientRow[];
  devices: FhirDeviceRow[];
}

/**
 * One page of an Observation search with its includes, in (effective time, id) order, and the
 * total when asked, audited as one event naming the patients on the page. Paging is by keyset: a
 * cursor names the last row seen, so readings inserted meanwhile never shift or repeat a page.
 */
export async function searchObservations(actor: Actor, search: ObservationSearch): Promise<ObservationPage> {
  return audited(actor, { action: "search", resourceType: "Observation" }, async (tx, trail) => {
    assertCan(actor, "reading:search");
    const total = search.total ? await countMatches(tx, actor, search) : null;
    if (search.count === 0 || search.summaryCount) return { rows: [], next: null, previous: null, total, subjects: [], devices: [] };
    const ascending = search.sort !== "-date";
    const cursor = search.cursor;
    const backwards = cursor?.direction === "before";
    // Reading backwards (a "previous" link) walks the opposite order, then flips the page.
    const walkAscending = ascending !== backwards;
    const keyset = cursor
      ? sql`(${glucoseReadings.effectiveAt}, ${glucoseReadings.id}) ${walkAscending ? sql`>` : sql`<`} (${cursor.key[0]}::timestamptz, ${cursor.key[1]})`
      : undefined;
    const order = walkAscending ? [asc(glucoseReadings.effectiveAt), asc(glucoseReadings.id)] : [desc(glucoseReadings.effectiveAt), desc(glucoseReadings.id)];
    const raw = await tx
      .select(observationColumns)
      .from(glucoseReadings)
      .innerJoin(patients, eq(patients.id, glucoseReadings.patientId))
      .where(and(searchFilter(actor, search), keyset))
      .orderBy(...order)
      .limit(search.count + 1);
    const more = raw.length > search.count;
    const rows = await withThresholds(tx, raw.slice(0, search.count), new Date());
    if (backwards) rows.reverse();
    trail.touch(...rows.map((row) => row.patientId));
    const first = rows[0];
    const last = rows.at(-1);
    const includesSubject = search.include.includes("Observation:subject") || search.include.includes("Observation:patient");
    const subjects = includesSubject && can(actor, "patient:search") ? await visiblePatients(tx, actor, [...new Set(rows.map((row) => row.patientId))]) : [];
    const deviceIds = [...new Set(rows.flatMap((row) => (row.deviceId ? [row.deviceId] : [])))];
    const includedDevices = search.include.includes("Observation:device") && can(actor, "device:search") ? await visibleDevices(tx, actor, deviceIds) : [];
    return {
      rows,
      next: last && (backwards || more) ? observationCursor("after", last) : null,
      previous: first && cursor && (!backwards || more) ? observationCursor("before", first) : null,
      total,
      subjects,
      devices: includedDevices,
    };
  });
}

/** One reading as the actor may see it, inside an audited unit. */
async function visibleReading(tx: Transaction, actor: Actor, id: string): Promise<FhirObservationRow> {
  assertCan(actor, "reading:read", "Observation");
  if (!/^\d{1,15}$/.test(id)) throw new AccessDenied("Observation");
  const [row] = await tx
    .select(observationColumns)
    .from(glucoseReadings)
    .innerJoin(patients, eq(patients.id, glucoseReadings.patientId))
    .where(and(eq(glucoseReadings.id, Number(id)), patientVisibleTo(actor)));
  if (!row) throw new AccessDenied("Observation");
  const [rendered] = await withThresholds(tx, [row], new Date());
  return rendered!;
}

/** One Observation by id, current version; not_found when missing or not visible. */
export async function readObservation(actor: Actor, id: string): Promise<FhirObservationRow> {
  return audited(actor, { action: "read", resourceType: "Observation" }, async (tx, trail) => {
    trail.resourceId = id;
    const row = await visibleReading(tx, actor, id);
    trail.touch(row.patientId);
    return row;
  });
}

/** Every version of an Observation, newest first: the current row, then the kept earlier ones. */
export async function observationHistory(actor: Actor, id: string): Promise<FhirObservationRow[]> {
  return audited(actor, { action: "read", resourceType: "Observation" }, async (tx, trail) => {
    trail.resourceId = id;
    const current = await visibleReading(tx, actor, id);
    trail.touch(current.patientId);
    const earlier = await tx
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
    return [current, ...earlier.map(({ recordedAt, ...version }) => ({ ...current, ...version, updatedAt: recordedAt }))];
  });
}

/** Visible patients among `ids` (the subjects of a page). */
async function visiblePatients(tx: Transaction, actor: Actor, ids: string[]): Promise<FhirPatientRow[]> {
  if (ids.length === 0) return [];
  return (await tx.select(patientColumns).from(patients).where(and(inArray(patients.id, ids), patientVisibleTo(actor)))).map(withRecordNumber);
}

/** Devices among `ids` whose patient is visible. */
export async function visibleDevices(tx: Transaction, actor: Actor, ids: string[]) {
  if (ids.length === 0) return [];
  return tx
    .select(deviceColumns)
    .from(devices)
    .innerJoin(patients, eq(patients.id, devices.patientId))
    .where(and(inArray(devices.id, ids), patientVisibleTo(actor)));
}

/**
 * The figures of a visible patient's `$cgm-summary`, one audited read. A period of local calendar
 * days (dates, or instants at the patient's local midnights) is summarized by THE glucose report
 * (lib/readings/glucose-report), so FHIR, the JSON API and the pages give the same numbers and the
 * same local days of wear; an exact span of other instants by the glycemic summary of that span.
 */
export async function cgmSummaryOf(actor: Actor, patientId: string, request: SummaryRequest, now = new Date()) {
  return audited(actor, { action: "search", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "reading:search", patientId);
    trail.touch(patient.id);
    const period = resolveSummaryPeriod(request, patient.timezone);
    if ("localDays" in period) {
      const report = await reportOfAuthorizedPatient(tx, patient, period, now);
      return { period, figures: cgmSummaryFiguresOf(report.cgm, period), readingCount: report.cgm.readings };
    }
    const readings = await tx
      .select({ valueMgdl: glucoseReadings.valueMgdl, censored: glucoseReadings.censored, effectiveAt: glucoseReadings.effectiveAt, specimen: glucoseReadings.specimen })
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.patientId, patient.id), countedReading, gte(glucoseReadings.effectiveAt, period.start), lt(glucoseReadings.effectiveAt, period.end)));
    const summary = computeGlycemicSummary(readings, period);
    return { period, figures: summary, readingCount: summary.readingCount };
  });
}

/**
 * A visible patient's CGM summary period, built on their calendar (./summary-period), and their
 * readings in it, for the metrics of a CGM summary: one audited read.
 */
export async function readingsForSummary(actor: Actor, patientId: string, request: SummaryRequest) {
  return audited(actor, { action: "search", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "reading:search", patientId);
    trail.touch(patient.id);
    const period = resolveSummaryPeriod(request, patient.timezone);
    const readings = await tx
      .select({ valueMgdl: glucoseReadings.valueMgdl, censored: glucoseReadings.censored, effectiveAt: glucoseReadings.effectiveAt, specimen: glucoseReadings.specimen })
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.patientId, patient.id), countedReading, gte(glucoseReadings.effectiveAt, period.start), lt(glucoseReadings.effectiveAt, period.end)));
    return { period, readings };
  });
}
