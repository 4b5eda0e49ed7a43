import "server-only";
import { and, desc, eq, gte, lt, or } from "drizzle-orm";
import { glucoseReadings } from "@/db/schema";
import type { Censoring, GlucoseUnit, MealContext, ReadingSource, Specimen, TrendDirection } from "@/db/schema/readings-enums";
import type { Actor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { countedReading } from "./ingest";
import { notFound } from "@/lib/errors";
import { localCalendarPeriod } from "@/lib/time/calendar";
import { parseInput } from "@/lib/validation";
import { parseReadingCursor, readingCursor, readingsRangeSchema, type ReadingsRange } from "./readings-range-schema";

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

export interface ReadingsPage {
  readings: ReadingRow[];
  /** The cursor of the next (older) page, or null on the last page. */
  olderCursor: string | null;
  /** The range as read, with the instants its local days start and end at. */
  range: Pick<ReadingsRange, "from" | "to"> & { start: Date | null; end: Date | null };
}

/**
 * One page of a patient's readings, newest first, within an optional range of the patient's local
 * calendar days, paged by keyset (time, then id: two readings at one instant keep their order), so
 * every reading is reachable however many there are, at the same cost on every page.
 */
export async function listReadingsPage(actor: Actor, patientId: string, query: unknown, { pageSize = 100 }: { pageSize?: number } = {}): Promise<ReadingsPage> {
  const { from, to, before } = parseInput(readingsRangeSchema, query);
  return audited(actor, { action: "search", resourceType: "Observation" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "reading:search", patientId);
    trail.touch(patient.id);
    const start = from ? localCalendarPeriod(patient.timezone, from, 1).start : null;
    const end = to ? localCalendarPeriod(patient.timezone, to, 1).end : null;
    const cursor = before ? parseReadingCursor(before) : null;
    const rows = await tx
      .select(readingColumns)
      .from(glucoseReadings)
      .where(
        and(
          eq(glucoseReadings.patientId, patient.id),
          countedReading,
          start ? gte(glucoseReadings.effectiveAt, start) : undefined,
          end ? lt(glucoseReadings.effectiveAt, end) : undefined,
          cursor
            ? or(lt(glucoseReadings.effectiveAt, cursor.effectiveAt), and(eq(glucoseReadings.effectiveAt, cursor.effectiveAt), lt(glucoseReadings.id, cursor.id)))
            : undefined,
        ),
      )
      .orderBy(desc(glucoseReadings.effectiveAt), desc(glucoseReadings.id))
      .limit(pageSize + 1);
    const readings = rows.slice(0, pageSize);
    return { readings, olderCursor: rows.length > pageSize ? readingCursor(readings.at(-1)!) : null, range: { from, to, start, end } };
  });
}
