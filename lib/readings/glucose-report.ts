import "server-only";
import { and, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { rowsOf, type Transaction } from "@/db/client";
import { alerts } from "@/db/schema";
import type { Censoring, MealContext, Specimen } from "@/db/schema/readings-enums";
import type { Actor } from "@/lib/access/actor";
import { authorizePatient, type AuthorizedPatient } from "@/lib/access/authorize";
import { computeGlucoseReport, type GlucoseReportData, type StoredEpisodeStart } from "@/lib/alerts/glucose-report";
import type { TargetPresetId, ReportTargets } from "@/lib/alerts/targets";
import { TARGET_PRESETS } from "@/lib/alerts/targets";
import { audited } from "@/lib/audit/record";
import type { GlycemicReading } from "@/lib/metrics/glycemic";
import { targetsOf } from "@/lib/monitoring/targets";
import { localCalendarPeriod, type LocalCalendarPeriod } from "@/lib/time/calendar";
import { nowInZone } from "@/lib/time/zones";
import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS } from "./glucose-report-query";

/**
 * The standard glucose report of one patient (docs/glucose-report.md): the JSON the API returns,
 * the data the report pages draw, and the numbers FHIR `$cgm-summary` carries. Values in mg/dL,
 * percentages unrounded.
 */
export interface GlucoseReport extends GlucoseReportData {
  patientId: string;
  /** The patient's IANA time zone: `from`, `to`, days and AGP minutes are on its calendar and clock. */
  timezone: string;
  /** The targets in force: the preset whose goals the report is judged against, and the thresholds its events use. */
  targets: {
    preset: TargetPresetId;
    label: string;
    thresholds: { hypoLevel1: number; hypoLevel2: number; hyperLevel1: number; hyperLevel2: number };
    goals: ReportTargets;
  };
}

export interface GlucoseReportRequest {
  /** First local date, YYYY-MM-DD; default: the last `days` days up to and including the patient's today. */
  from?: string;
  /** Local calendar days, 1-366; default 14. */
  days?: number;
}

/** The patient's local period asked for: from `from`, or ending on the patient's today. */
export function reportPeriodOf(timeZone: string, request: GlucoseReportRequest, now: Date): LocalCalendarPeriod {
  const days = request.days ?? DEFAULT_REPORT_DAYS;
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_REPORT_DAYS) throw new RangeError(`days must be a whole number from 1 to ${MAX_REPORT_DAYS}`);
  if (request.from) return localCalendarPeriod(timeZone, request.from, days);
  const today = localCalendarPeriod(timeZone, nowInZone(timeZone, now).slice(0, 10), 1);
  // The first of the `days` local dates ending today: found by date arithmetic, not 24-hour steps.
  const first = new Date(Date.parse(`${today.startDate}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return localCalendarPeriod(timeZone, first, days);
}

/**
 * The counted readings of the period, oldest first. The caller has authorized the patient. 90 days
 * of CGM are 25,920 readings: they travel as one text row, a reading per `;`-separated record of
 * `epoch ms,mg/dL,censoring,specimen,meal context` (absent values empty), sorted once by one
 * ordered aggregate. Mapping 25,920 rows, or parsing five array columns, cost the driver several
 * times what PostgreSQL spends (bench:dashboards).
 */
export async function readingsForReport(tx: Transaction, patient: AuthorizedPatient, period: LocalCalendarPeriod): Promise<GlycemicReading[]> {
  const [row] = rowsOf<{ readings: string | null }>(
    await tx.execute(sql`
      select string_agg(concat_ws(',', (extract(epoch from effective_at) * 1000)::float8, value_mgdl::float8, coalesce(censored::text, ''),
          specimen::text, coalesce(meal_context::text, '')), ';' order by effective_at, id) as readings
      from glucose_readings
      where patient_id = ${patient.id}::uuid and duplicate_of_id is null
        and effective_at >= ${period.start.toISOString()}::timestamptz and effective_at < ${period.end.toISOString()}::timestamptz`),
  );
  if (!row?.readings) return [];
  return row.readings.split(";").map((record) => {
    const [epochMs, mgdl, censored, specimen, meal] = record.split(",") as [string, string, Censoring | "", Specimen, MealContext | ""];
    return { effectiveAt: new Date(Number(epochMs)), valueMgdl: Number(mgdl), censored: censored || null, specimen, mealContext: meal || null };
  });
}

/**
 * The patient's live episodes beginning in the period: the alerts table, which the write path keeps
 * equal to THE episode function over the stored readings (docs/decisions/006-episodes.md), so the
 * report's events are the episodes the alert inbox shows, and 90 days need no second search.
 */
async function episodesBeginningIn(tx: Transaction, patient: AuthorizedPatient, period: LocalCalendarPeriod): Promise<StoredEpisodeStart[]> {
  const rows = await tx
    .select({ kind: alerts.kind, specimen: alerts.specimen, startedAt: alerts.startedAt })
    .from(alerts)
    .where(and(eq(alerts.patientId, patient.id), isNull(alerts.mergedIntoId), isNull(alerts.withdrawnAt), gte(alerts.startedAt, period.start), lt(alerts.startedAt, period.end)));
  return rows.map((row) => ({ kind: row.kind, specimen: row.specimen, start: row.startedAt.getTime() }));
}

/** The report of an authorized patient for a local period, inside the caller's audited transaction. */
export async function reportOfAuthorizedPatient(tx: Transaction, patient: AuthorizedPatient, period: LocalCalendarPeriod, now: Date): Promise<GlucoseReport> {
  const [targets, readings, storedEpisodes] = await Promise.all([targetsOf(tx, patient, now), readingsForReport(tx, patient, period), episodesBeginningIn(tx, patient, period)]);
  const data = computeGlucoseReport(readings, period, { thresholds: targets.thresholds, cgmIntervalMinutes: targets.cgmIntervalMinutes, storedEpisodes });
  return {
    patientId: patient.id,
    timezone: period.timeZone,
    ...data,
    targets: { preset: targets.preset, label: targets.label, thresholds: targets.thresholds, goals: TARGET_PRESETS[targets.preset].report },
  };
}

/**
 * THE glucose report of a patient the actor may see (reading:search): 404 for anyone else, one
 * audited read. `from`/`days` as in GlucoseReportRequest; a RangeError-free period is guaranteed by
 * the caller's parsing (parseGlucoseReportQuery) or by passing valid values.
 */
export async function glucoseReport(actor: Actor, patientId: string, request: GlucoseReportRequest = {}, now = new Date()): Promise<GlucoseReport> {
  return audited(actor, { action: "read", resourceType: "GlucoseReport" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "reading:search", patientId);
    trail.touch(patient.id);
    const period = reportPeriodOf(patient.timezone, request, now);
    trail.resourceId = `${period.startDate}/${period.days}`;
    return reportOfAuthorizedPatient(tx, patient, period, now);
  });
}
