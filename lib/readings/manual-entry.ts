import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { MealContext } from "@/db/schema/readings-enums";
import { glucoseReadings, glucoseReadingVersions, users } from "@/db/schema";
import type { Actor, UserActor } from "@/lib/access/actor";
import { authorizePatient, type AuthorizedPatient } from "@/lib/access/authorize";
import { audited, auditedRefusals } from "@/lib/audit/record";
import { notFound } from "@/lib/errors";
import { formatOffset } from "@/lib/time/offsets";
import { formatAtOffset, resolveLocalTime } from "@/lib/time/zones";
import { invalidFields, parseInput } from "@/lib/validation";
import { readingOrigin } from "./identity";
import { correctReading, ingestReadings } from "./ingest";
import { manualReadingSchema } from "./manual-entry-schema";
import { MAX_FUTURE_SKEW_MS } from "./validation";

interface StoredTime {
  effectiveAt: Date;
  utcOffsetMinutes: number;
}

/**
 * Parses the form and reads its local time in the patient's zone, with daylight saving explained.
 * A correction whose time is left as the form showed it (`YYYY-MM-DDTHH:mm` at the reading's own
 * offset) keeps the reading's instant: the form shows minutes, the reading may have seconds, the
 * hour may have happened twice, the patient may have moved zone since.
 */
function parseManualReading(patient: AuthorizedPatient, input: unknown, now: Date, stored?: StoredTime) {
  const form = parseInput(manualReadingSchema, input);
  if (stored && form.takenAt === formatAtOffset(stored.effectiveAt, stored.utcOffsetMinutes).replace(" ", "T")) {
    return { ...form, effectiveAt: stored.effectiveAt, utcOffsetMinutes: stored.utcOffsetMinutes };
  }
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

export async function addManualReading(actor: UserActor, patientId: string, input: unknown, now = new Date()): Promise<{ readingId: number }> {
  return auditedRefusals(actor, { action: "create", resourceType: "Observation" }, async () => {
    const patient = await authorizePatient(getDb(), actor, "reading:create", patientId);
    const reading = parseManualReading(patient, input, now);
    const outcome = await ingestReadings(
      getDb(),
      { actor, patient, source: "manual", origin: readingOrigin.manual(actor.userId), enteredByUserId: actor.userId },
      [{ ...reading, position: 0, censored: null, specimen: "capillary", dedupeKey: null }],
      now,
    );
    const [readingId] = outcome.insertedIds;
    if (readingId === undefined) throw invalidFields({ value: [outcome.rejected[0]?.reason ?? "This reading could not be stored."] });
    return { readingId };
  });
}

/**
 * A correction of a hand-entered reading, through the shared write path (lib/readings/ingest.ts
 * correctReading): the reading keeps its id and gains a version, the previous version is kept,
 * hospitals receive the new version. Measurements from devices, files and apps are not editable.
 * Saving the form unchanged creates no version.
 */
export async function correctManualReading(actor: UserActor, patientId: string, readingId: number, input: unknown, now = new Date()): Promise<{ version: number; changed: boolean }> {
  return audited(actor, { action: "update", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "reading:correct", patientId);
    trail.touch(patient.id);
    trail.resourceId = String(readingId);
    const [stored] = await tx
      .select({ effectiveAt: glucoseReadings.effectiveAt, utcOffsetMinutes: glucoseReadings.utcOffsetMinutes })
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.id, readingId), eq(glucoseReadings.patientId, patient.id)));
    if (!stored) throw notFound("reading");
    const corrected = parseManualReading(patient, input, now, stored);
    const outcome = await correctReading(
      tx,
      { patient },
      {
        readingId,
        value: corrected.value,
        unit: corrected.unit,
        effectiveAt: corrected.effectiveAt,
        utcOffsetMinutes: corrected.utcOffsetMinutes,
        mealContext: corrected.mealContext ?? null,
        note: corrected.note ?? null,
        correctedByUserId: actor.userId,
      },
      now,
    );
    if (!outcome) throw notFound("reading");
    return outcome;
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
  return audited(actor, { action: "read", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "reading:read", patientId);
    trail.touch(patient.id);
    trail.resourceId = String(readingId);
    return tx
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
  });
}
