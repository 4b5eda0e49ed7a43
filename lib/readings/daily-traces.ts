import "server-only";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { glucoseReadings } from "@/db/schema";
import type { Censoring, MealContext } from "@/db/schema/readings-enums";
import type { Actor } from "@/lib/access/actor";
import { authorizePatient } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { countedReading } from "./ingest";
import { reportPeriodOf, type GlucoseReportRequest } from "./glucose-report";

/** Minutes per bin of a daily CGM trace: 96 points a day, whatever the sensor's interval. */
export const TRACE_BIN_MINUTES = 15;
const BINS_PER_DAY = (24 * 60) / TRACE_BIN_MINUTES;

export interface FingerstickDot {
  /** Minutes after local midnight. */
  minute: number;
  valueMgdl: number;
  censored: Censoring | null;
  mealContext: MealContext | null;
}

export interface DailyTrace {
  /** The local date, YYYY-MM-DD. */
  date: string;
  /** TRACE_BIN_MINUTES bins from local midnight: the mean CGM value of the bin, null where the sensor sent nothing (a gap). */
  cgm: (number | null)[];
  fingersticks: FingerstickDot[];
}

/**
 * One small trace per local day of the report's period, aggregated on the server: CGM readings as
 * 15-minute means on the patient's local clock (a 90-day report sends 8,640 points, not 25,920
 * readings), fingersticks as they are. Days follow the glucose report's period exactly.
 */
export async function dailyTraces(actor: Actor, patientId: string, request: GlucoseReportRequest = {}, now = new Date()): Promise<DailyTrace[]> {
  return audited(actor, { action: "read", resourceType: "GlucoseReport" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "reading:search", patientId);
    trail.touch(patient.id);
    const period = reportPeriodOf(patient.timezone, request, now);
    trail.resourceId = `${period.startDate}/${period.days}/traces`;
    const local = sql`(${glucoseReadings.effectiveAt} at time zone ${patient.timezone})`;
    const day = sql<string>`to_char(${local}, 'YYYY-MM-DD')`;
    const minute = sql<number>`(extract(hour from ${local}) * 60 + extract(minute from ${local}))::int`;
    const inPeriod = and(eq(glucoseReadings.patientId, patient.id), countedReading, gte(glucoseReadings.effectiveAt, period.start), lt(glucoseReadings.effectiveAt, period.end));
    const bin = sql<number>`(floor((extract(hour from ${local}) * 60 + extract(minute from ${local})) / ${TRACE_BIN_MINUTES}))::int`;
    const [bins, dots] = await Promise.all([
      tx
        .select({ day, bin, meanMgdl: sql<number>`avg(${glucoseReadings.valueMgdl})::float8` })
        .from(glucoseReadings)
        .where(and(inPeriod, eq(glucoseReadings.specimen, "interstitial")))
        // By position: the zone is a bound parameter, so the expressions are not textually equal.
        .groupBy(sql`1, 2`),
      tx
        .select({ day, minute, valueMgdl: glucoseReadings.valueMgdl, censored: glucoseReadings.censored, mealContext: glucoseReadings.mealContext })
        .from(glucoseReadings)
        .where(and(inPeriod, eq(glucoseReadings.specimen, "capillary")))
        .orderBy(asc(glucoseReadings.effectiveAt), asc(glucoseReadings.id)),
    ]);
    const traces = new Map<string, DailyTrace>(period.localDays.map((localDay) => [localDay.date, { date: localDay.date, cgm: Array<number | null>(BINS_PER_DAY).fill(null), fingersticks: [] }]));
    for (const row of bins) {
      const trace = traces.get(row.day);
      if (trace && row.bin >= 0 && row.bin < BINS_PER_DAY) trace.cgm[row.bin] = row.meanMgdl;
    }
    for (const { day: date, ...dot } of dots) traces.get(date)?.fingersticks.push(dot);
    return [...traces.values()];
  });
}
