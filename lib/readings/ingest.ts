import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "@/db/client";
import type { Censoring, GlucoseUnit, MealContext, ReadingSource, Specimen } from "@/db/schema/readings-enums";
import { normalizedMgdl } from "./units";
import { whyUnacceptable } from "./validation";

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
  /** Same key for the same patient means the same reading: a replay is a duplicate. */
  dedupeKey: string | null;
}

export interface IngestTarget {
  patientId: string;
  source: ReadingSource;
  deviceId?: string | null;
  enteredByUserId?: string | null;
  /** A device's report, recorded by the same statement as its readings (last contact, firmware, battery). */
  deviceReport?: { firmwareVersion?: string; battery?: number };
}

export interface Rejection {
  index: number;
  reason: string;
}

export interface IngestOutcome {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  insertedIds: number[];
}

/**
 * THE write path for glucose readings. Every door (manual form, devices, files, uploader apps,
 * FHIR) parses its own input into candidates, authorizes the patient, then calls this inside its
 * transaction (or alone: its writes are one statement, atomic by itself). Invalid candidates are
 * rejected with their reason; the rest are written in one statement, and a candidate whose dedupe
 * key the patient already has is counted as a duplicate and stores nothing, so device retries and
 * file re-uploads are harmless. Alert evaluation and audit will join this write (ROADMAP).
 */
export async function ingestReadings(db: Database, target: IngestTarget, candidates: readonly ReadingCandidate[], now = new Date()): Promise<IngestOutcome> {
  const rejected: Rejection[] = [];
  const valid: ReadingCandidate[] = [];
  for (const candidate of candidates) {
    const reason = whyUnacceptable(candidate, now);
    if (reason) rejected.push({ index: candidate.position, reason });
    else valid.push(candidate);
  }
  const report = target.deviceReport;
  const touchDevice =
    target.deviceId && report
      ? sql`, device_contact as (update devices set last_contact_at = ${now.toISOString()}::timestamptz,
          firmware_version = coalesce(${report.firmwareVersion ?? null}::text, firmware_version),
          battery_percent = coalesce(${report.battery ?? null}::smallint, battery_percent)
          where id = ${target.deviceId}::uuid)`
      : sql``;
  if (valid.length === 0) {
    await db.execute(sql`with nothing as (select 1)${touchDevice} select 1`);
    return { accepted: 0, duplicates: 0, rejected, insertedIds: [] };
  }

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
  }));
  // The readings, the device report and the outbox entries announcing the new readings to the
  // organization's hospital FHIR endpoints: one statement, so none exists without the others.
  const result = await db.execute(sql`
    with inserted as (
      insert into glucose_readings (patient_id, source, device_id, entered_by_user_id,
        value_as_received, unit, value_mgdl, censored, effective_at, utc_offset_minutes, specimen, meal_context, note, dedupe_key)
      select ${target.patientId}::uuid, ${target.source}::reading_source, ${target.deviceId ?? null}::uuid, ${target.enteredByUserId ?? null}::uuid,
        r.v, r.u::glucose_unit, r.m, r.c::censoring, r.t, r.o, r.s::specimen, r.mc::meal_context, r.n, r.k
      from json_to_recordset(${JSON.stringify(rows)}::json)
        as r(v numeric, u text, m numeric, c text, t timestamptz, o smallint, s text, mc text, n text, k text)
      on conflict (patient_id, dedupe_key) where dedupe_key is not null do nothing
      returning id
    )${touchDevice},
    announced as (
      insert into push_outbox (endpoint_id, patient_id, reading_ids)
      select endpoint.id, ${target.patientId}::uuid, (select array_agg(id order by id) from inserted)
      from hospital_endpoints endpoint
      join patients patient on patient.organization_id = endpoint.organization_id and patient.id = ${target.patientId}::uuid
      where endpoint.enabled and exists (select 1 from inserted)
    )
    select id from inserted`);
  const insertedIds = rowsOf<{ id: string | number }>(result).map((row) => Number(row.id));
  return { accepted: insertedIds.length, duplicates: valid.length - insertedIds.length, rejected, insertedIds };
}
