import "server-only";
import { aliasedTable, and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { alerts, patients, users } from "@/db/schema";
import type { GlucoseUnit } from "@/db/schema/readings-enums";
import type { Actor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { patientVisibleTo } from "@/lib/access/visibility";
import type { AlertKind, AlertSeverity } from "@/lib/alerts/kinds";
import { audited } from "@/lib/audit/record";
import { AccessDenied, AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { announceAlertsToHospitals } from "./evaluate";
import { acknowledgementSchema, INBOX_PAGE_SIZE, inboxQuerySchema, type InboxQuery } from "./inbox-schema";

/**
 * The alert inbox and the handling of alerts (issue 9): every visible patient's alerts for a
 * clinician, one patient's alerts for the patient, their guardians and their clinicians, and a
 * clinician's acknowledgement and resolution. Alerts are reached only through their patient's
 * visibility; an alert of a patient the actor may not see does not exist for them (404). Merged
 * and withdrawn alerts (late readings showed they were part of another episode, or none) are
 * never shown.
 */

export interface AlertPerson {
  displayName: string;
  at: Date;
}

export interface AlertItem {
  id: number;
  patient: { id: string; givenName: string; familyName: string; preferredUnit: GlucoseUnit };
  kind: AlertKind;
  severity: AlertSeverity;
  specimen: "interstitial" | "capillary" | "venous" | null;
  startedAt: Date;
  /** Null while the episode goes on. */
  endedAt: Date | null;
  worst: { mgdl: number; censored: "below" | "above" | null; at: Date } | null;
  durationMinutes: number;
  /** The targets preset in force when the episode was found (label shown with the alert). */
  targets: { preset: string; label: string; customized: boolean };
  historical: boolean;
  status: "open" | "acknowledged" | "resolved";
  acknowledged: (AlertPerson & { note: string | null }) | null;
  resolved: AlertPerson | null;
}

export interface InboxPage {
  query: InboxQuery;
  items: AlertItem[];
  total: number;
  pageCount: number;
}

const acknowledger = aliasedTable(users, "acknowledger");
const resolver = aliasedTable(users, "resolver");

/** Alerts still standing as episodes: not merged into another, not withdrawn. */
const shownAlert = and(isNull(alerts.mergedIntoId), isNull(alerts.withdrawnAt));

const itemColumns = {
  id: alerts.id,
  patientId: patients.id,
  givenName: patients.givenName,
  familyName: patients.familyName,
  preferredUnit: patients.preferredUnit,
  kind: alerts.kind,
  severity: alerts.severity,
  specimen: alerts.specimen,
  startedAt: alerts.startedAt,
  endedAt: alerts.endedAt,
  worstMgdl: alerts.worstMgdl,
  worstCensored: alerts.worstCensored,
  worstAt: alerts.worstAt,
  durationMinutes: alerts.durationMinutes,
  targets: alerts.targets,
  historical: alerts.historical,
  status: alerts.status,
  acknowledgedBy: acknowledger.displayName,
  acknowledgedAt: alerts.acknowledgedAt,
  acknowledgementNote: alerts.acknowledgementNote,
  resolvedBy: resolver.displayName,
  resolvedAt: alerts.resolvedAt,
};

function selectItems(tx: Transaction) {
  return tx
    .select(itemColumns)
    .from(alerts)
    .innerJoin(patients, eq(patients.id, alerts.patientId))
    .leftJoin(acknowledger, eq(acknowledger.id, alerts.acknowledgedByUserId))
    .leftJoin(resolver, eq(resolver.id, alerts.resolvedByUserId));
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof selectItems>["execute"]>>[number];

function toItem(row: ItemRow): AlertItem {
  const targets = row.targets as { preset: string; label: string; customized?: boolean };
  return {
    id: row.id,
    patient: { id: row.patientId, givenName: row.givenName, familyName: row.familyName, preferredUnit: row.preferredUnit },
    kind: row.kind,
    severity: row.severity,
    specimen: row.specimen,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    worst: row.worstMgdl !== null && row.worstAt !== null ? { mgdl: row.worstMgdl, censored: row.worstCensored, at: row.worstAt } : null,
    durationMinutes: row.durationMinutes,
    targets: { preset: targets.preset, label: targets.label, customized: targets.customized ?? false },
    historical: row.historical,
    status: row.status,
    acknowledged: row.acknowledgedAt ? { displayName: row.acknowledgedBy ?? "A former clinician", at: row.acknowledgedAt, note: row.acknowledgementNote } : null,
    resolved: row.resolvedAt ? { displayName: row.resolvedBy ?? "A former clinician", at: row.resolvedAt } : null,
  };
}

function statusCondition(status: InboxQuery["status"]): SQL | undefined {
  switch (status) {
    case "active":
      return sql`${alerts.status} <> 'resolved'`;
    case "all":
      return undefined;
    case "open":
    case "acknowledged":
    case "resolved":
      return eq(alerts.status, status);
  }
}

function ordering(sort: InboxQuery["sort"]): SQL[] {
  // Enum order is urgent, high, moderate, low: ascending is most urgent first.
  switch (sort) {
    case "severity":
      return [asc(alerts.severity), desc(alerts.startedAt), desc(alerts.id)];
    case "start":
      return [desc(alerts.startedAt), asc(alerts.severity), desc(alerts.id)];
    case "duration":
      return [desc(alerts.durationMinutes), asc(alerts.severity), desc(alerts.id)];
  }
}

/**
 * The inbox: the alerts of every patient the actor sees (a clinician's care teams), filtered,
 * sorted and paged as `input` asks (inboxQuerySchema; an empty object is the first page of
 * active alerts, most severe first).
 */
export async function listInbox(actor: Actor, input: unknown): Promise<InboxPage> {
  const query = parseInput(inboxQuerySchema, input);
  return audited(actor, { action: "search", resourceType: "Alert" }, async (tx, trail) => {
    assertCan(actor, "alert:search", "alert");
    const where = and(
      patientVisibleTo(actor),
      shownAlert,
      statusCondition(query.status),
      query.severity ? eq(alerts.severity, query.severity) : undefined,
      query.kind ? eq(alerts.kind, query.kind) : undefined,
      query.patient ? eq(alerts.patientId, query.patient) : undefined,
    );
    const [rows, [counted]] = await Promise.all([
      selectItems(tx)
        .where(where)
        .orderBy(...ordering(query.sort))
        .limit(INBOX_PAGE_SIZE)
        .offset((query.page - 1) * INBOX_PAGE_SIZE),
      tx.select({ total: count() }).from(alerts).innerJoin(patients, eq(patients.id, alerts.patientId)).where(where),
    ]);
    const items = rows.map(toItem);
    trail.touch(...items.map((item) => item.patient.id));
    const total = counted!.total;
    return { query, items, total, pageCount: Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE)) };
  });
}

/** One patient's alerts, newest first: what the patient, their guardians and clinicians see. */
export async function listPatientAlerts(actor: Actor, patientId: string, options: { limit?: number } = {}): Promise<AlertItem[]> {
  return audited(actor, { action: "search", resourceType: "Alert" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "alert:search", patientId);
    trail.touch(patient.id);
    const rows = await selectItems(tx)
      .where(and(eq(alerts.patientId, patient.id), shownAlert))
      .orderBy(desc(alerts.startedAt), desc(alerts.id))
      .limit(options.limit ?? 50);
    return rows.map(toItem);
  });
}

/**
 * One alert, when the actor may see its patient; null otherwise (the live channel asks for each
 * announced alert, so it never passes on another care team's). Recorded as a read.
 */
export async function findVisibleAlert(actor: Actor, alertId: number): Promise<AlertItem | null> {
  return audited(actor, { action: "read", resourceType: "Alert" }, async (tx, trail) => {
    assertCan(actor, "alert:read", "alert");
    const [row] = await selectItems(tx).where(and(eq(alerts.id, alertId), patientVisibleTo(actor), shownAlert));
    if (!row) return null;
    trail.resourceId = String(row.id);
    trail.touch(row.patientId);
    return toItem(row);
  });
}

/** The alert, locked for handling, when the actor may handle it; else AccessDenied (404). */
async function alertToHandle(tx: Transaction, actor: Actor, alertId: number): Promise<{ id: number; patientId: string; status: AlertItem["status"] }> {
  assertCan(actor, "alert:handle", "alert");
  if (!Number.isSafeInteger(alertId) || alertId < 1) throw new AccessDenied("alert");
  const [row] = await tx
    .select({ id: alerts.id, patientId: alerts.patientId, status: alerts.status })
    .from(alerts)
    .innerJoin(patients, eq(patients.id, alerts.patientId))
    .where(and(eq(alerts.id, alertId), patientVisibleTo(actor), shownAlert))
    .for("update", { of: alerts });
  if (!row) throw new AccessDenied("alert");
  return row;
}

function userIdOf(actor: Actor): string {
  // Only clinicians hold alert:handle (lib/access/permissions.ts).
  if (actor.kind !== "user") throw new AccessDenied("alert");
  return actor.userId;
}

/** A clinician has seen the alert and is acting on it, with an optional note. */
export async function acknowledgeAlert(actor: Actor, alertId: number, input: unknown): Promise<AlertItem> {
  return audited(actor, { action: "update", resourceType: "Alert" }, async (tx, trail) => {
    const alert = await alertToHandle(tx, actor, alertId);
    trail.resourceId = String(alert.id);
    trail.touch(alert.patientId);
    const { note } = parseInput(acknowledgementSchema, input);
    if (alert.status !== "open") {
      throw new AppError("conflict", alert.status === "acknowledged" ? "This alert was already acknowledged." : "This alert is resolved; it cannot be acknowledged any more.");
    }
    await tx
      .update(alerts)
      .set({ status: "acknowledged", acknowledgedByUserId: userIdOf(actor), acknowledgedAt: sql`now()`, acknowledgementNote: note ?? null, updatedAt: sql`now()` })
      .where(eq(alerts.id, alert.id));
    const [row] = await selectItems(tx).where(eq(alerts.id, alert.id));
    return toItem(row!);
  });
}

/**
 * A clinician closes the alert: nothing more to do about it. An alert resolved before it was
 * acknowledged counts as acknowledged by the same clinician at the same time (someone saw it).
 */
export async function resolveAlert(actor: Actor, alertId: number): Promise<AlertItem> {
  return audited(actor, { action: "update", resourceType: "Alert" }, async (tx, trail) => {
    const alert = await alertToHandle(tx, actor, alertId);
    trail.resourceId = String(alert.id);
    trail.touch(alert.patientId);
    if (alert.status === "resolved") throw new AppError("conflict", "This alert is already resolved.");
    const userId = userIdOf(actor);
    await tx
      .update(alerts)
      .set({
        status: "resolved",
        resolvedByUserId: userId,
        resolvedAt: sql`now()`,
        acknowledgedByUserId: sql`coalesce(${alerts.acknowledgedByUserId}, ${userId}::uuid)`,
        acknowledgedAt: sql`coalesce(${alerts.acknowledgedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(eq(alerts.id, alert.id));
    // A resolved alert whose episode has ended is an inactive Flag: hospitals receive the change.
    await announceAlertsToHospitals(tx, alert.patientId, [alert.id]);
    const [row] = await selectItems(tx).where(eq(alerts.id, alert.id));
    return toItem(row!);
  });
}

/** Lows and highs open (not ended, not resolved) for the visible patients of the list: the triage marks. */
export interface OpenGlucoseAlerts {
  low: AlertSeverity | null;
  high: AlertSeverity | null;
}

const LOW_KINDS: readonly AlertKind[] = ["hypo-level-2", "hypo-extended", "hypo-level-1", "rapid-fall"];
const HIGH_KINDS: readonly AlertKind[] = ["hyper-level-2", "hyper-level-1"];

/** The most severe open low and high of each of `patientIds` the actor may see (absent: none). */
export async function openGlucoseAlerts(actor: Actor, patientIds: readonly string[]): Promise<Map<string, OpenGlucoseAlerts>> {
  return audited(actor, { action: "search", resourceType: "Alert" }, async (tx, trail) => {
    assertCan(actor, "alert:search", "alert");
    if (patientIds.length === 0) return new Map<string, OpenGlucoseAlerts>();
    const rows = await tx
      .select({ patientId: alerts.patientId, kind: alerts.kind, severity: alerts.severity })
      .from(alerts)
      .innerJoin(patients, eq(patients.id, alerts.patientId))
      .where(
        and(
          patientVisibleTo(actor),
          inArray(alerts.patientId, [...patientIds]),
          shownAlert,
          isNull(alerts.endedAt),
          sql`${alerts.status} <> 'resolved'`,
          eq(alerts.historical, false),
          inArray(alerts.kind, [...LOW_KINDS, ...HIGH_KINDS]),
        ),
      )
      .orderBy(asc(alerts.severity));
    const marks = new Map<string, OpenGlucoseAlerts>();
    for (const row of rows) {
      const mark = marks.get(row.patientId) ?? { low: null, high: null };
      const side = LOW_KINDS.includes(row.kind) ? "low" : "high";
      mark[side] ??= row.severity;
      marks.set(row.patientId, mark);
    }
    trail.touch(...marks.keys());
    return marks;
  });
}
