import "server-only";
import { and, desc, eq, gte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { glucoseReadings } from "@/db/schema";
import type { GlucoseUnit, ReadingSource, Specimen } from "@/db/schema/readings-enums";
import { assertCan, type Actor } from "@/lib/auth/actor";
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
}

/** The latest readings of a patient the actor may see, newest first, optionally of the last few days. */
export async function listRecentReadings(
  actor: Actor,
  patientId: string,
  { limit = 50, lastDays }: { limit?: number; lastDays?: number } = {},
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
    })
    .from(glucoseReadings)
    .where(and(eq(glucoseReadings.patientId, patient.id), since ? gte(glucoseReadings.effectiveAt, since) : undefined))
    .orderBy(desc(glucoseReadings.effectiveAt))
    .limit(limit);
  return rows.map((row) => ({ ...row, valueAsReceived: Number(row.valueAsReceived), valueMgdl: Number(row.valueMgdl) }));
}
