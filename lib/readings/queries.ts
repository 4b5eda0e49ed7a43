import "server-only";
import { and, desc, eq, gte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { glucoseReadings } from "@/db/schema";
import type { Censoring, GlucoseUnit, MealContext, ReadingSource, Specimen } from "@/db/schema/readings-enums";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import { getVisiblePatient } from "@/lib/patients/queries";

export interface ReadingRow {
  id: number;
  valueAsReceived: number;
  unit: GlucoseUnit;
  valueMgdl: number;
  effectiveAt: Date;
  utcOffsetMinutes: number;
  specimen: Specimen;
  source: ReadingSource;
  censored: Censoring | null;
  mealContext: MealContext | null;
  note: string | null;
  version: number;
}

/** The latest readings of a patient the actor may see, newest first, optionally of the last few days. */
export async function listRecentReadings(
  actor: Actor,
  patientId: string,
  { limit = 50, lastDays, readingId }: { limit?: number; lastDays?: number; readingId?: number } = {},
): Promise<ReadingRow[]> {
  const since = lastDays === undefined ? undefined : new Date(Date.now() - lastDays * 86_400_000);
  assertCan(actor, "reading:read", "patient");
  const patient = await getVisiblePatient(actor, patientId);
  const rows = await getDb()
    .select({
      id: glucoseReadings.id,
      valueAsReceived: glucoseReadings.valueAsReceived,
      unit: glucoseReadings.unit,
      valueMgdl: glucoseReadings.valueMgdl,
      effectiveAt: glucoseReadings.effectiveAt,
      utcOffsetMinutes: glucoseReadings.utcOffsetMinutes,
      specimen: glucoseReadings.specimen,
      source: glucoseReadings.source,
      censored: glucoseReadings.censored,
      mealContext: glucoseReadings.mealContext,
      note: glucoseReadings.note,
      version: glucoseReadings.version,
    })
    .from(glucoseReadings)
    .where(
      and(
        eq(glucoseReadings.patientId, patient.id),
        since ? gte(glucoseReadings.effectiveAt, since) : undefined,
        readingId !== undefined ? eq(glucoseReadings.id, readingId) : undefined,
      ),
    )
    .orderBy(desc(glucoseReadings.effectiveAt))
    .limit(limit);
  return rows.map((row) => ({ ...row, valueAsReceived: Number(row.valueAsReceived), valueMgdl: Number(row.valueMgdl) }));
}

/** One reading of a visible patient, for its correction page. */
export async function getReading(actor: Actor, patientId: string, readingId: number): Promise<ReadingRow> {
  const [reading] = await listRecentReadings(actor, patientId, { limit: 1, readingId });
  if (!reading) throw notFound("reading");
  return reading;
}
