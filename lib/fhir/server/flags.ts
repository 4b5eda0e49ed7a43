import "server-only";
import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { alerts, patients } from "@/db/schema";
import type { Actor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { AccessDenied } from "@/lib/errors";
import type { FhirAlertInput } from "@/lib/fhir/flag";
import { flagCursor, type FlagSearch } from "./flag-search";
import type { Page } from "./paging";

/** An alert with what its FHIR Flag needs (lib/fhir/flag.ts). */
export type FlagRow = FhirAlertInput;

/** Alerts shown as live or history: merged and withdrawn ones are records of a correction, never Flags. */
export const renderedAlert: SQL = and(isNull(alerts.mergedIntoId), isNull(alerts.withdrawnAt))!;

/**
 * The columns of a Flag. Its evidence is the episode's worst reading: the counted reading of the
 * patient's feed at the worst value's instant (none for a silent feed).
 */
export const flagColumns = {
  id: alerts.id,
  patientId: alerts.patientId,
  kind: alerts.kind,
  status: alerts.status,
  startedAt: alerts.startedAt,
  endedAt: alerts.endedAt,
  updatedAt: alerts.updatedAt,
  historical: alerts.historical,
  retracted: sql<boolean>`(${alerts.mergedIntoId} is not null or ${alerts.withdrawnAt} is not null)`,
  worstReadingId: sql<number | null>`(select r.id from glucose_readings r where r.patient_id = ${alerts.patientId} and r.specimen = ${alerts.specimen}
    and r.effective_at = ${alerts.worstAt} and r.duplicate_of_id is null order by r.id limit 1)`.mapWith(Number),
};

/** One Flag by id, when its patient is visible; not_found otherwise, exactly as for a missing id. */
export async function readFlag(actor: Actor, id: string): Promise<FlagRow> {
  return audited(actor, { action: "read", resourceType: "Flag" }, async (tx, trail) => {
    assertCan(actor, "alert:read", "Flag");
    trail.resourceId = id;
    if (!/^\d{1,15}$/.test(id)) throw new AccessDenied("Flag");
    const [row] = await tx
      .select(flagColumns)
      .from(alerts)
      .innerJoin(patients, eq(patients.id, alerts.patientId))
      .where(and(eq(alerts.id, Number(id)), patientVisibleTo(actor), renderedAlert));
    if (!row) throw new AccessDenied("Flag");
    trail.touch(row.patientId);
    return row;
  });
}

/**
 * One page of a Flag search in alert id order, with the total unless `_total=none`, audited as one
 * event naming the patients on the page. Keyset paging: a cursor names the last alert seen.
 */
export async function searchFlags(actor: Actor, search: FlagSearch): Promise<Page<FlagRow>> {
  return audited(actor, { action: "search", resourceType: "Flag" }, async (tx, trail) => {
    assertCan(actor, "alert:search");
    const filter = and(patientVisibleTo(actor), renderedAlert, ...search.conditions);
    const total = search.total
      ? ((await tx.select({ count: sql<number>`count(*)::int` }).from(alerts).innerJoin(patients, eq(patients.id, alerts.patientId)).where(filter))[0]?.count ?? 0)
      : null;
    if (search.count === 0 || search.summaryCount) return { rows: [], next: null, previous: null, total };
    const cursor = search.cursor;
    const backwards = cursor?.direction === "before";
    const keyset = cursor ? (backwards ? sql`${alerts.id} < ${cursor.key[0]}` : sql`${alerts.id} > ${cursor.key[0]}`) : undefined;
    const raw = await tx
      .select(flagColumns)
      .from(alerts)
      .innerJoin(patients, eq(patients.id, alerts.patientId))
      .where(and(filter, keyset))
      .orderBy(backwards ? desc(alerts.id) : asc(alerts.id))
      .limit(search.count + 1);
    const more = raw.length > search.count;
    const rows = raw.slice(0, search.count);
    if (backwards) rows.reverse();
    trail.touch(...rows.map((row) => row.patientId));
    const first = rows[0];
    const last = rows.at(-1);
    return {
      rows,
      next: last && (backwards || more) ? flagCursor("after", last) : null,
      previous: first && cursor && (!backwards || more) ? flagCursor("before", first) : null,
      total,
    };
  });
}
