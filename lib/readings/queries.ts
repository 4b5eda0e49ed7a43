import "server-only";
import { and, desc, eq, gte } from "drizzle-orm";
import { glucoseReadings } from "@/db/schema";
import type { Censoring, GlucoseUnit, MealContext, ReadingSource, Specimen, TrendDirection } from "@/db/schema/readings-enums";
import type { Actor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { countedReading } from "./ingest";
import { notFound } from "@/lib/errors";

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
  /** A CGM's trend arrow, when the sender gave one. */
  trend: TrendDirection | null;
  version: number;
}

const readingColumns = {
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
  trend: glucoseReadings.trend,
  version: glucoseReadings.version,
};

/** The latest readings of a patient the actor may see, newest first, optionally of the last few days. */
export async function listRecentReadings(actor: Actor, patientId: string, { limit = 50, lastDays }: { limit?: number; lastDays?: number } = {}): Promise<ReadingRow[]> {
  const since = lastDays === undefined ? undefined : new Date(Date.now() - lastDays * 86_400_000);
  return audited(actor, { action: "search", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "reading:search", patientId);
    trail.touch(patient.id);
    return tx
      .select(readingColumns)
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.patientId, patient.id), countedReading, since ? gte(glucoseReadings.effectiveAt, since) : undefined))
      .orderBy(desc(glucoseReadings.effectiveAt), desc(glucoseReadings.id))
      .limit(limit);
  });
}

/** One reading of a visible patient, for its correction page. */
export async function getReading(actor: Actor, patientId: string, readingId: number): Promise<ReadingRow> {
  return audited(actor, { action: "read", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "reading:read", patientId);
    trail.touch(patient.id);
    trail.resourceId = String(readingId);
    const [reading] = await tx
      .select(readingColumns)
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.patientId, patient.id), eq(glucoseReadings.id, readingId)));
    if (!reading) throw notFound("reading");
    return reading;
  });
}
