import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { MealContext } from "@/db/schema/readings-enums";
import { glucoseReadings, glucoseReadingVersions, users } from "@/db/schema";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import { getVisiblePatient, type PatientSummary } from "@/lib/patients/queries";
import { invalidFields, parseInput } from "@/lib/validation";
import { ingestReadings } from "./ingest";
import { formatOffset } from "@/lib/time/offsets";
import { resolveLocalTime } from "@/lib/time/zones";
import { manualReadingSchema } from "./manual-entry-schema";
import { normalizedMgdl } from "./units";
import { MAX_FUTURE_SKEW_MS, whyUnacceptable } from "./validation";

/** Parses the form and reads its local time in the patient's zone, with daylight saving explained. */
function parseManualReading(patient: PatientSummary, input: unknown, now: Date) {
  const form = parseInput(manualReadingSchema, input);
  const time = resolveLocalTime(form.takenAt, patient.timezone);
  const timeError = (message: string) => invalidFields({ takenAt: [message] });
  switch (time.kind) {
    case "invalid":
      throw timeError("That date does not exist; check the day and month.");
    case "skipped":
      throw timeError(`${form.takenAt.replace("T", " ")} did not happen in ${patient.timezone}: the clocks went forward. Enter the time your meter shows after the change.`);
    case "exact":
    case "repeated":
      break;
  }
  if (time.instant.getTime() - now.getTime() > MAX_FUTURE_SKEW_MS) {
    throw timeError(`That time is in the future (${patient.timezone}, UTC${formatOffset(time.utcOffsetMinutes)}). Enter when the reading was taken.`);
  }
  return { ...form, effectiveAt: time.instant, utcOffsetMinutes: time.utcOffsetMinutes };
}

export async function addManualReading(actor: Actor, patientId: string, input: unknown, now = new Date()): Promise<{ readingId: number }> {
  assertCan(actor, "reading:create", "patient");
  const patient = await getVisiblePatient(actor, patientId);
  const reading = parseManualReading(patient, input, now);
  return getDb().transaction(async (tx) => {
    const outcome = await ingestReadings(
      tx,
      { patientId: patient.id, source: "manual", enteredByUserId: actor.userId },
      [{ ...reading, position: 0, censored: null, specimen: "capillary", dedupeKey: null }],
      now,
    );
    const [readingId] = outcome.insertedIds;
    if (readingId === undefined) throw invalidFields({ value: [outcome.rejected[0]?.reason ?? "This reading could not be stored."] });
    return { readingId };
  });
}

/**
 * A correction of a hand-entered reading. The reading keeps its id and gains a version; the
 * previous version is copied to glucose_reading_versions with who recorded it and who replaced
 * it, in the same transaction. Measurements from devices, files and apps are not editable.
 */
export async function correctManualReading(actor: Actor, patientId: string, readingId: number, input: unknown, now = new Date()): Promise<{ version: number }> {
  assertCan(actor, "reading:create", "reading");
  const patient = await getVisiblePatient(actor, patientId);
  const corrected = parseManualReading(patient, input, now);
  const reason = whyUnacceptable({ ...corrected, censored: null }, now);
  if (reason) throw invalidFields({ value: [reason] });

  return getDb().transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.id, readingId), eq(glucoseReadings.patientId, patient.id), eq(glucoseReadings.source, "manual")))
      .for("update");
    if (!current) throw notFound("reading");
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
      supersededByUserId: actor.userId,
      supersededAt: now,
    });
    const [updated] = await tx
      .update(glucoseReadings)
      .set({
        valueAsReceived: String(corrected.value),
        unit: corrected.unit,
        valueMgdl: String(normalizedMgdl(corrected.value, corrected.unit)),
        effectiveAt: corrected.effectiveAt,
        utcOffsetMinutes: corrected.utcOffsetMinutes,
        mealContext: corrected.mealContext ?? null,
        note: corrected.note ?? null,
        correctedByUserId: actor.userId,
        version: sql`${glucoseReadings.version} + 1`,
        updatedAt: now,
      })
      .where(eq(glucoseReadings.id, current.id))
      .returning({ version: glucoseReadings.version });
    return { version: updated!.version };
  });
}

export interface ReadingVersion {
  version: number;
  valueAsReceived: number;
  unit: "mg/dL" | "mmol/L";
  effectiveAt: Date;
  utcOffsetMinutes: number;
  mealContext: MealContext | null;
  note: string | null;
  recordedBy: string | null;
  recordedAt: Date;
}

/** Earlier versions of a reading, oldest first (the current one is the reading itself). */
export async function listReadingVersions(actor: Actor, patientId: string, readingId: number): Promise<ReadingVersion[]> {
  assertCan(actor, "reading:read", "reading");
  const patient = await getVisiblePatient(actor, patientId);
  const rows = await getDb()
    .select({
      version: glucoseReadingVersions.version,
      valueAsReceived: glucoseReadingVersions.valueAsReceived,
      unit: glucoseReadingVersions.unit,
      effectiveAt: glucoseReadingVersions.effectiveAt,
      utcOffsetMinutes: glucoseReadingVersions.utcOffsetMinutes,
      mealContext: glucoseReadingVersions.mealContext,
      note: glucoseReadingVersions.note,
      recordedBy: users.displayName,
      recordedAt: glucoseReadingVersions.recordedAt,
    })
    .from(glucoseReadingVersions)
    .innerJoin(glucoseReadings, eq(glucoseReadings.id, glucoseReadingVersions.readingId))
    .leftJoin(users, eq(users.id, glucoseReadingVersions.recordedByUserId))
    .where(and(eq(glucoseReadingVersions.readingId, readingId), eq(glucoseReadings.patientId, patient.id)))
    .orderBy(asc(glucoseReadingVersions.version));
  return rows.map((row) => ({ ...row, valueAsReceived: Number(row.valueAsReceived) }));
}
