import "server-only";
import { eq, isNull, sql, type SQL } from "drizzle-orm";
import { inTransaction, rowsOf, type Database, type Transaction } from "@/db/client";
import { glucoseReadings, glucoseReadingVersions } from "@/db/schema";
import type { Censoring, GlucoseUnit, MealContext, ReadingSource, Specimen, TrendDirection } from "@/db/schema/readings-enums";
import type { Actor } from "@/lib/access/actor";
import type { AuthorizedPatient } from "@/lib/access/authorize";
import { auditInsert } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { AccessDenied, AppError } from "@/lib/errors";
import { evaluateAfterWrite, NEAR_EPISODES_SECONDS, type AlertJson, type StoredTargets, type TouchedSeries } from "@/lib/monitoring/evaluate";
import { normalizedMgdl } from "./units";
import { clockProblemOf, whatIsUnacceptable, whyUnacceptable, type TimeBounds, type UnacceptableKind } from "./validation";

/** One reading as a door parsed it, before the shared checks. */
export interface ReadingCandidate {
  /** Where it came from, for rejections: the index in a request, the row in a file. */
  position: number;
  value: number;
  unit: GlucoseUnit;
  censored: Censoring | null;
  effectiveAt: Date;
  utcOffsetMinutes: number;
  specimen: Specimen;
  mealContext?: MealContext | null;
  note?: string | null;
  /** The CGM's trend arrow and noise level, when the sender gives them (uploader apps). */
  trend?: TrendDirection | null;
  noise?: number | null;
  /** Where this reading came from when it differs within one batch (an uploader's app, a file's serial); else the target's. */
  origin?: string;
  /** Same key for the same patient means the same reading: a replay is a duplicate. */
  dedupeKey: string | null;
}

export interface IngestTarget {
  actor: Actor;
  /** Only lib/access/authorize.ts makes one: the door has authorized this patient for the actor. */
  patient: AuthorizedPatient;
  source: ReadingSource;
  /** The default origin of the batch's readings: `device:<id>`, `fhir:<sender>`, `manual:<user>`... */
  origin: string;
  deviceId?: string | null;
  enteredByUserId?: string | null;
  /** A device's report, recorded by the same statement as its readings (last contact, firmware, battery). */
  deviceReport?: { firmwareVersion?: string; battery?: number };
}

export interface Rejection {
  index: number;
  reason: string;
  /** Which shared check failed, when it was one of them (a door's own parse failures have none). */
  kind?: UnacceptableKind;
}

export interface IngestOutcome {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  insertedIds: number[];
}

/**
 * Announces changed readings to the organization's hospital FHIR endpoints through the durable
 * outbox (lib/fhir/push/outbox.ts). `readingIds` is an SQL expression giving a bigint[]; nothing is
 * queued when it is empty. Shared by new readings and corrections: a correction reaches the
 * hospital as a new version of the same Observation.
 */
function announceToHospitals(patientId: string, readingIds: SQL): SQL {
  return sql`insert into push_outbox (endpoint_id, patient_id, reading_ids)
    select endpoint.id, patient.id, ids.reading_ids
    from (select ${readingIds} as reading_ids) ids
    join patients patient on patient.id = ${patientId}::uuid
    join hospital_endpoints endpoint on endpoint.organization_id = patient.organization_id
    where endpoint.enabled and coalesce(cardinality(ids.reading_ids), 0) > 0`;
}

/** Readings counted in lists, reports, alerts, FHIR searches and pushes: not a duplicate of another origin's. */
export const countedReading = isNull(glucoseReadings.duplicateOfId);

/** How close in time two origins' readings of one sensor must be to be the same reading. */
export const SAME_READING_WINDOW_SECONDS = 30;

/**
 * Serializes writes of one patient's readings across transactions and server processes, so the
 * cross-origin duplicate check (and the alert evaluation that joins the write path) sees every
 * reading committed before it. Taken in its own statement: a statement's snapshot is taken when
 * it starts, so a lock taken inside the write statement would not let it see what it waited for.
 * Patients' locks use the two-key space, apart from the audit chain's single key.
 */
export async function lockPatientReadings(tx: Transaction, patientIds: readonly string[]): Promise<void> {
  await tx.execute(lockStatement(patientIds));
}

/** Sorted: two transactions locking the same patients lock them in the same order, so never in a cycle. */
function lockStatement(patientIds: readonly string[]): SQL {
  const ids = [...new Set(patientIds)].sort();
  return sql`select pg_advisory_xact_lock(1, hashtext(id)) from unnest(${sql.param(ids)}::text[]) as id order by id`;
}

/** The floor and birth date every door's readings are checked against (docs/decisions/007). */
export function timeBoundsOf(patient: AuthorizedPatient): TimeBounds {
  return { floor: new Date(`${environment().LANTERN_READINGS_FLOOR}T00:00:00Z`), birthDate: patient.birthDate };
}

/**
 * THE write path for new glucose readings. Every door (manual form, devices, files, uploader
 * apps, FHIR) parses its own input into candidates, authorizes the patient, then calls this.
 * Invalid candidates are rejected with their reason; the rest are written in one statement,
 * inside one transaction holding the patient's lock, together with the device report, the outbox
 * entries for hospitals and the audit event. A candidate whose dedupe key the patient already has
 * is a duplicate and stores nothing (device retries, file re-uploads); a reading another origin
 * already brought (the same sensor through a meter and an uploader app) is stored with its
 * provenance but marked as a duplicate of the first, and counted once everywhere.
 */
export async function ingestReadings(db: Database | Transaction, target: IngestTarget, candidates: readonly ReadingCandidate[], now = new Date()): Promise<IngestOutcome> {
  const { patient } = target;
  if (patient.via !== "reading:create") throw new AccessDenied("patient");
  const bounds = timeBoundsOf(patient);
  const rejected: Rejection[] = [];
  const valid: ReadingCandidate[] = [];
  for (const candidate of candidates) {
    const unacceptable = whatIsUnacceptable(candidate, now, bounds);
    if (unacceptable) rejected.push({ index: candidate.position, ...unacceptable });
    else valid.push(candidate);
  }
  const report = target.deviceReport;
  // The meter's clock state as this batch shows it: the first clock problem, or none.
  const clockProblem = report ? (candidates.map((candidate) => clockProblemOf(candidate, now, bounds)).find((problem) => problem !== null) ?? null) : null;
  const touchDevice =
    target.deviceId && report
      ? sql`, device_contact as (update devices set last_contact_at = ${now.toISOString()}::timestamptz,
          firmware_version = coalesce(${report.firmwareVersion ?? null}::text, firmware_version),
          battery_percent = coalesce(${report.battery ?? null}::smallint, battery_percent),
          clock_problem = ${clockProblem}::text,
          clock_problem_at = case when ${clockProblem}::text is null then null else ${now.toISOString()}::timestamptz end
          where id = ${target.deviceId}::uuid)`
      : sql``;
  const audit = auditInsert(target.actor, { action: "create", resourceType: "Observation", patientIds: [patient.id], outcome: "success" });

  // The batch travels as one JSON parameter that PostgreSQL unpacks with json_to_recordset: one
  // round trip, and far less work in Node than binding thousands of parameters (bench:ingest).
  const rows = valid.map((c) => ({
    v: c.value,
    u: c.unit,
    m: normalizedMgdl(c.value, c.unit),
    c: c.censored,
    t: c.effectiveAt.toISOString(),
    o: c.utcOffsetMinutes,
    s: c.specimen,
    mc: c.mealContext ?? null,
    n: c.note ?? null,
    k: c.dedupeKey,
    g: c.origin ?? target.origin,
    tr: c.trend ?? null,
    nz: c.noise ?? null,
  }));
  const insertedIds = await inTransaction(db, async (tx) => {
    // The readings, the device report, the outbox entries announcing the new counted readings to
    // the organization's hospital FHIR endpoints and the patient's feeds: one statement, so none
    // exists without the others. It also reads what alert evaluation needs (the feeds as they
    // were, the open episodes, the targets), so a feed in range costs nothing more. Sent with the
    // lock in one flight: the statement runs, with a fresh snapshot, once the lock is held.
    const statement = sql`
      with incoming as (
        select r.*, (
          select earlier.id from glucose_readings earlier
          where earlier.patient_id = ${patient.id}::uuid and earlier.specimen = r.s::specimen and earlier.duplicate_of_id is null
            and earlier.origin <> r.g and round(earlier.value_mgdl) = round(r.m)
            and earlier.effective_at between r.t - make_interval(secs => ${SAME_READING_WINDOW_SECONDS}) and r.t + make_interval(secs => ${SAME_READING_WINDOW_SECONDS})
          order by abs(extract(epoch from earlier.effective_at - r.t)), earlier.id
          limit 1) as duplicate_of
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as r(v numeric, u text, m numeric, c text, t timestamptz, o smallint, s text, mc text, n text, k text, g text, tr text, nz smallint)
      ),
      inserted as (
        insert into glucose_readings (patient_id, source, device_id, entered_by_user_id, value_as_received, unit, value_mgdl, censored,
          effective_at, utc_offset_minutes, specimen, meal_context, note, dedupe_key, origin, duplicate_of_id, trend, noise)
        select ${patient.id}::uuid, ${target.source}::reading_source, ${target.deviceId ?? null}::uuid, ${target.enteredByUserId ?? null}::uuid,
          i.v, i.u::glucose_unit, i.m, i.c::censoring, i.t, i.o, i.s::specimen, i.mc::meal_context, i.n, i.k, i.g, i.duplicate_of, i.tr::trend_direction, i.nz
        from incoming i
        on conflict (patient_id, dedupe_key) where dedupe_key is not null do nothing
        returning id, duplicate_of_id, specimen, effective_at, value_mgdl, censored
      )${touchDevice},
      announced as (${announceToHospitals(patient.id, sql`(select array_agg(id order by id) from inserted where duplicate_of_id is null)`)}),
      latest as (
        select distinct on (specimen) specimen, effective_at, value_mgdl, censored from inserted
        where duplicate_of_id is null order by specimen, effective_at desc
      ),
      fed as (
        insert into patient_feeds (patient_id, specimen, first_reading_at, last_reading_at, last_value_mgdl, last_censored)
        select ${patient.id}::uuid, latest.specimen, (select min(effective_at) from inserted i where i.specimen = latest.specimen and i.duplicate_of_id is null),
          latest.effective_at, latest.value_mgdl, latest.censored
        from latest
        on conflict (patient_id, specimen) do update set
          first_reading_at = least(patient_feeds.first_reading_at, excluded.first_reading_at),
          last_value_mgdl = case when excluded.last_reading_at > patient_feeds.last_reading_at then excluded.last_value_mgdl else patient_feeds.last_value_mgdl end,
          last_censored = case when excluded.last_reading_at > patient_feeds.last_reading_at then excluded.last_censored else patient_feeds.last_censored end,
          last_reading_at = greatest(patient_feeds.last_reading_at, excluded.last_reading_at)
      )
      select
        (select coalesce(json_agg(json_build_array(id, duplicate_of_id, specimen, extract(epoch from effective_at) * 1000, value_mgdl, censored)), '[]') from inserted) as inserted,
        (select coalesce(json_agg(json_build_array(specimen, extract(epoch from last_reading_at) * 1000, last_value_mgdl, last_censored)), '[]')
          from patient_feeds where patient_id = ${patient.id}::uuid) as feeds_before,
        (select coalesce(json_agg(a), '[]') from alerts a
          where a.patient_id = ${patient.id}::uuid and a.merged_into_id is null and a.withdrawn_at is null
            and (a.ended_at is null or a.ended_at >= (select min(t) from incoming) - make_interval(secs => ${NEAR_EPISODES_SECONDS}))) as near_alerts,
        (select row_to_json(t) from patient_targets t where t.patient_id = ${patient.id}::uuid) as targets`;
    const [, result] = await Promise.all([tx.execute(lockStatement([patient.id])), tx.execute(statement)]);
    const [row] = rowsOf<WriteResult>(result);
    const inserted = parseJsonColumn<InsertedRow[]>(row!.inserted);
    // The alert rules see every counted reading in the transaction that stores it.
    await evaluateAfterWrite(tx, patient, seriesOf(inserted), now, {
      feedsBefore: parseJsonColumn<FeedRow[]>(row!.feeds_before),
      nearAlerts: parseJsonColumn<AlertJson[]>(row!.near_alerts),
      targets: parseJsonColumn<StoredTargets | null>(row!.targets),
    });
    await refreshDailyAggregates(tx, patient.id, countedOf(inserted));
    // Last: the audit chain serializes every audited transaction from its insert until commit
    // (docs/decisions/008), so it is held for the commit alone, not for the write and evaluation.
    await tx.execute(audit);
    return inserted.map(([id]) => Number(id));
  });
  return { accepted: insertedIds.length, duplicates: valid.length - insertedIds.length, rejected, insertedIds };
}

interface WriteResult {
  inserted: unknown;
  feeds_before: unknown;
  near_alerts: unknown;
  targets: unknown;
}

/** postgres.js parses json columns; PGlite too, but a text column may come back as text: accept both. */
function parseJsonColumn<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** [id, duplicate_of_id, specimen, epoch ms, mg/dL, censoring] of a row just inserted. */
type InsertedRow = [number | string, number | string | null, Specimen, number, number | string, Censoring | null];
type FeedRow = [Specimen, number, number | string, Censoring | null];

/** The specimen and instant of each counted reading just stored (duplicates of another origin's count nowhere). */
function countedOf(rows: readonly InsertedRow[]): TouchedInstant[] {
  return rows.filter(([, duplicateOf]) => duplicateOf === null).map(([, , specimen, at]) => ({ specimen, at: new Date(Number(at)).toISOString() }));
}

interface TouchedInstant {
  specimen: Specimen;
  /** ISO instant. */
  at: string;
}

/**
 * Keeps glucose_daily_aggregates equal to the raw readings: the local days (the patient's zone)
 * holding `touched` instants are recomputed from the counted readings by refresh_glucose_days (the
 * dashboards_data migration), in the caller's transaction, under the patient's lock. Recomputing
 * the day, rather than adding to it, makes any order, replay or correction give the same rows.
 */
async function refreshDailyAggregates(tx: Transaction, patientId: string, touched: readonly TouchedInstant[]): Promise<void> {
  if (touched.length === 0) return;
  await tx.execute(sql`
    select refresh_glucose_days(${patientId}::uuid, t.specimen::specimen, array_agg(distinct (t.at at time zone p.timezone)::date))
    from json_to_recordset(${JSON.stringify(touched)}::json) as t(specimen text, at timestamptz)
    join patients p on p.id = ${patientId}::uuid
    group by t.specimen`);
}

/** The counted readings just stored, as the episode engine's series per specimen. */
function seriesOf(rows: readonly InsertedRow[]): TouchedSeries[] {
  const bySpecimen = new Map<Specimen, TouchedSeries>();
  for (const [, duplicateOf, specimen, at, mgdl, censored] of rows) {
    if (duplicateOf !== null) continue;
    const series = bySpecimen.get(specimen) ?? { specimen, points: [] };
    series.points.push({ at: Number(at), mgdl: Number(mgdl), censored });
    bySpecimen.set(specimen, series);
  }
  return [...bySpecimen.values()];
}

export interface ReadingCorrection {
  readingId: number;
  value: number;
  unit: GlucoseUnit;
  effectiveAt: Date;
  utcOffsetMinutes: number;
  mealContext: MealContext | null;
  note: string | null;
  correctedByUserId: string;
}

/**
 * A correction, through the same write path as new readings: the reading keeps its id and gains
 * a version, the previous version is kept in glucose_reading_versions, hospitals receive the new
 * version through the outbox, all in the caller's transaction (an `audited` unit, which records it).
 * Returns null when the patient has no such correctable reading; the unchanged version when the
 * correction changes nothing (saving an unchanged form creates no version).
 */
export async function correctReading(
  tx: Transaction,
  target: Pick<IngestTarget, "patient">,
  correction: ReadingCorrection,
  now = new Date(),
): Promise<{ version: number; changed: boolean } | null> {
  const { patient } = target;
  if (patient.via !== "reading:correct") throw new AccessDenied("patient");
  await lockPatientReadings(tx, [patient.id]);
  const [current] = await tx
    .select()
    .from(glucoseReadings)
    .where(sql`${glucoseReadings.id} = ${correction.readingId} and ${glucoseReadings.patientId} = ${patient.id} and ${glucoseReadings.source} = 'manual'`)
    .for("update");
  if (!current) return null;
  const valueMgdl = normalizedMgdl(correction.value, correction.unit);
  const unchanged =
    current.valueAsReceived === correction.value &&
    current.unit === correction.unit &&
    current.effectiveAt.getTime() === correction.effectiveAt.getTime() &&
    current.utcOffsetMinutes === correction.utcOffsetMinutes &&
    current.mealContext === correction.mealContext &&
    current.note === correction.note;
  if (unchanged) return { version: current.version, changed: false };
  const reason = whyUnacceptable({ ...correction, censored: null }, now, timeBoundsOf(patient));
  if (reason) throw new AppError("invalid_input", reason, { value: [reason] });
  await tx.insert(glucoseReadingVersions).values({
    readingId: current.id,
    version: current.version,
    valueAsReceived: current.valueAsReceived,
    unit: current.unit,
    valueMgdl: current.valueMgdl,
    effectiveAt: current.effectiveAt,
    utcOffsetMinutes: current.utcOffsetMinutes,
    mealContext: current.mealContext,
    note: current.note,
    recordedByUserId: current.correctedByUserId ?? current.enteredByUserId,
    recordedAt: current.updatedAt,
    supersededByUserId: correction.correctedByUserId,
    supersededAt: now,
  });
  const [updated] = await tx
    .update(glucoseReadings)
    .set({
      valueAsReceived: correction.value,
      unit: correction.unit,
      valueMgdl,
      effectiveAt: correction.effectiveAt,
      utcOffsetMinutes: correction.utcOffsetMinutes,
      mealContext: correction.mealContext,
      note: correction.note,
      correctedByUserId: correction.correctedByUserId,
      version: sql`${glucoseReadings.version} + 1`,
      updatedAt: now,
    })
    .where(eq(glucoseReadings.id, current.id))
    .returning({ version: glucoseReadings.version });
  if (current.duplicateOfId === null) {
    await tx.execute(announceToHospitals(patient.id, sql`array[${current.id}]::bigint[]`));
    // The reading moved or changed value: both its old and its new place are re-evaluated.
    const points = [
      { at: current.effectiveAt.getTime(), mgdl: current.valueMgdl, censored: current.censored },
      { at: correction.effectiveAt.getTime(), mgdl: valueMgdl, censored: current.censored },
    ];
    await evaluateAfterWrite(tx, patient, [{ specimen: current.specimen, points }], now);
    await refreshDailyAggregates(tx, patient.id, [
      { specimen: current.specimen, at: current.effectiveAt.toISOString() },
      { specimen: current.specimen, at: correction.effectiveAt.toISOString() },
    ]);
  }
  return { version: updated!.version, changed: true };
}
