import { and, desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { databaseHandle, getDb, rowsOf } from "@/db/client";
import { alerts, auditEvents } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { ALERTS_CHANNEL } from "./live-channel";
import { acknowledgeAlert, findVisibleAlert, listInbox, listPatientAlerts, openGlucoseAlerts, resolveAlert } from "./inbox";
import { INBOX_PAGE_SIZE } from "./inbox-schema";
import { ingestForTest, insertCareTeam, insertGuardianLink, insertOrganization, insertPatient, insertPatientWithAccount, insertUser, type InsertedUser } from "@/test/factories";

/**
 * Issue 9, "Clinician inbox": a clinician sees the alerts of their care teams' patients and no
 * one else's, filters, sorts and pages them, acknowledges and resolves them (each audited with
 * the change), and the patient and their guardians see whether and when a clinician did.
 */
const MINUTE = 60_000;
const NOW = new Date();

/** A CGM trace every 5 minutes ending `endMinutesAgo` before NOW. */
function cgmTrace(values: readonly number[], endMinutesAgo = 0): ReadingCandidate[] {
  const end = NOW.getTime() - endMinutesAgo * MINUTE;
  return values.map((value, i) => {
    const at = end - (values.length - 1 - i) * 5 * MINUTE;
    return { position: i, value, unit: "mg/dL", censored: null, effectiveAt: new Date(at), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `cgm:${at}` };
  });
}

const URGENT_LOW = [110, 52, 50, 48, 47, 49]; // 20 minutes below 54: hypo-level-2 (urgent) and hypo-level-1 (high)
const HIGH = [150, 200, 210, 220, 215, 205]; // 20 minutes above 180: hyper-level-1 (low severity)

let organizationId: string;
let clinician: InsertedUser;
let otherClinician: InsertedUser;
let lowPatient: { actor: InsertedUser; patientId: string };
let highPatientId: string;
let otherTeamPatientId: string;

async function lastAuditEvent(actorId: string) {
  const [event] = await getDb().select().from(auditEvents).where(eq(auditEvents.actorId, actorId)).orderBy(desc(auditEvents.seq)).limit(1);
  return event!;
}

async function alertIdOf(patientId: string, kind: "hypo-level-2" | "hyper-level-1") {
  const [row] = await getDb().select({ id: alerts.id }).from(alerts).where(and(eq(alerts.patientId, patientId), eq(alerts.kind, kind)));
  return row!.id;
}

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  clinician = await insertUser(organizationId, "clinician");
  otherClinician = await insertUser(organizationId, "clinician");
  lowPatient = await insertPatientWithAccount(organizationId);
  highPatientId = (await insertPatient(organizationId)).id;
  otherTeamPatientId = (await insertPatient(organizationId)).id;
  await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId], patientIds: [lowPatient.patientId, highPatientId] });
  await insertCareTeam(organizationId, { clinicianUserIds: [otherClinician.userId], patientIds: [otherTeamPatientId] });
  await ingestForTest(lowPatient.patientId, cgmTrace(URGENT_LOW));
  await ingestForTest(highPatientId, cgmTrace(HIGH, 30));
  await ingestForTest(otherTeamPatientId, cgmTrace(URGENT_LOW));
});

describe("the clinician's inbox", () => {
  it("lists the alerts of the care teams' patients only, most severe first, with the targets preset in force", async () => {
    const page = await listInbox(clinician, {});
    expect(page.items.map((item) => [item.patient.id, item.kind, item.severity])).toEqual([
      [lowPatient.patientId, "hypo-level-2", "urgent"],
      [lowPatient.patientId, "hypo-level-1", "high"],
      [highPatientId, "hyper-level-1", "low"],
    ]);
    expect(page.total).toBe(3);
    expect(page.items[0]).toMatchObject({ status: "open", endedAt: null, worst: { mgdl: 47 }, targets: { preset: "standard-adult", label: "Standard adult" }, acknowledged: null });
    expect(page.items.some((item) => item.patient.id === otherTeamPatientId)).toBe(false);
    expect(await lastAuditEvent(clinician.userId)).toMatchObject({ action: "search", resourceType: "Alert", outcome: "success" });
  });

  it("filters by severity, kind, patient and status, and sorts by start and duration", async () => {
    expect((await listInbox(clinician, { severity: "urgent" })).items.map((item) => item.kind)).toEqual(["hypo-level-2"]);
    expect((await listInbox(clinician, { kind: "hyper-level-1" })).items.map((item) => item.patient.id)).toEqual([highPatientId]);
    expect((await listInbox(clinician, { patient: highPatientId })).total).toBe(1);
    expect((await listInbox(clinician, { patient: otherTeamPatientId })).total).toBe(0);
    expect((await listInbox(clinician, { status: "resolved" })).total).toBe(0);
    // The high started 30 minutes before the lows.
    expect((await listInbox(clinician, { sort: "start" })).items.at(-1)!.kind).toBe("hyper-level-1");
    const byDuration = (await listInbox(clinician, { sort: "duration" })).items.map((item) => item.durationMinutes);
    expect(byDuration).toEqual([...byDuration].sort((a, b) => b - a));
  });

  it("refuses a filter it cannot read with a sentence naming the field", async () => {
    await expect(listInbox(clinician, { severity: "catastrophic" })).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { severity: [expect.stringContaining("urgent")] } });
    await expect(listInbox(clinician, { page: "0" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("pages the list", async () => {
    const organization = (await insertOrganization()).id;
    const busy = await insertUser(organization, "clinician");
    const patientIds = [];
    for (let i = 0; i < 14; i++) patientIds.push((await insertPatient(organization)).id);
    await insertCareTeam(organization, { clinicianUserIds: [busy.userId], patientIds });
    for (const patientId of patientIds) await ingestForTest(patientId, cgmTrace(URGENT_LOW));
    const first = await listInbox(busy, {});
    const second = await listInbox(busy, { page: "2" });
    expect(first.total).toBe(28);
    expect(first.pageCount).toBe(2);
    expect(first.items).toHaveLength(INBOX_PAGE_SIZE);
    expect(second.items).toHaveLength(28 - INBOX_PAGE_SIZE);
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(28);
  });

  it("leaves out alerts merged into another or withdrawn", async () => {
    const organization = (await insertOrganization()).id;
    const reader = await insertUser(organization, "clinician");
    const { id: patientId } = await insertPatient(organization);
    await insertCareTeam(organization, { clinicianUserIds: [reader.userId], patientIds: [patientId] });
    await ingestForTest(patientId, cgmTrace(URGENT_LOW));
    const [level2, level1] = [await alertIdOf(patientId, "hypo-level-2"), (await listInbox(reader, { kind: "hypo-level-1" })).items[0]!.id];
    await getDb().update(alerts).set({ withdrawnAt: new Date() }).where(eq(alerts.id, level2));
    await getDb().update(alerts).set({ mergedIntoId: level2 }).where(eq(alerts.id, level1));
    expect((await listInbox(reader, { status: "all" })).total).toBe(0);
    expect(await listPatientAlerts(reader, patientId)).toEqual([]);
    expect(await findVisibleAlert(reader, level2)).toBeNull();
  });

  it("is refused to an admin, who does not read glucose, and recorded as denied", async () => {
    const admin = await insertUser(organizationId, "admin");
    await expect(listInbox(admin, {})).rejects.toMatchObject({ code: "not_found" });
    expect(await lastAuditEvent(admin.userId)).toMatchObject({ resourceType: "Alert", outcome: "denied" });
  });
});

describe("acknowledging and resolving", () => {
  it("acknowledges with a note, audited in the same transaction, and tells the patient who did and when", async () => {
    const alertId = await alertIdOf(lowPatient.patientId, "hypo-level-2");
    const item = await acknowledgeAlert(clinician, alertId, { note: "  Called the patient; eating glucose tablets.  " });
    expect(item).toMatchObject({ status: "acknowledged", acknowledged: { displayName: clinician.displayName, note: "Called the patient; eating glucose tablets.", at: expect.any(Date) } });
    expect(await lastAuditEvent(clinician.userId)).toMatchObject({ action: "update", resourceType: "Alert", resourceId: String(alertId), patientIds: [lowPatient.patientId], outcome: "success" });

    const seenByPatient = await listPatientAlerts(lowPatient.actor, lowPatient.patientId);
    expect(seenByPatient.find((alert) => alert.id === alertId)).toMatchObject({ status: "acknowledged", acknowledged: { displayName: clinician.displayName } });
    await expect(acknowledgeAlert(clinician, alertId, {})).rejects.toMatchObject({ code: "conflict" });
  });

  it("resolves, counting an unacknowledged alert as acknowledged by the same clinician", async () => {
    const alertId = await alertIdOf(highPatientId, "hyper-level-1");
    const item = await resolveAlert(clinician, alertId);
    expect(item).toMatchObject({ status: "resolved", resolved: { displayName: clinician.displayName }, acknowledged: { displayName: clinician.displayName, note: null } });
    expect((await listInbox(clinician, {})).items.map((alert) => alert.id)).not.toContain(alertId);
    expect((await listInbox(clinician, { status: "resolved" })).items.map((alert) => alert.id)).toEqual([alertId]);
    await expect(resolveAlert(clinician, alertId)).rejects.toMatchObject({ code: "conflict" });
  });

  it("answers 404 for another care team's alert, an unknown id, a patient or a guardian, and records the denial", async () => {
    const othersAlert = await alertIdOf(otherTeamPatientId, "hypo-level-2");
    await expect(acknowledgeAlert(clinician, othersAlert, {})).rejects.toMatchObject({ code: "not_found" });
    await expect(resolveAlert(clinician, othersAlert)).rejects.toMatchObject({ code: "not_found" });
    await expect(acknowledgeAlert(clinician, 999_999_999, {})).rejects.toMatchObject({ code: "not_found" });
    expect(await lastAuditEvent(clinician.userId)).toMatchObject({ resourceType: "Alert", outcome: "denied" });
    const [row] = await getDb().select().from(alerts).where(eq(alerts.id, othersAlert));
    expect(row!.status).toBe("open");

    const ownAlert = await alertIdOf(lowPatient.patientId, "hypo-level-2");
    await expect(resolveAlert(lowPatient.actor, ownAlert)).rejects.toMatchObject({ code: "not_found" });
    expect(await findVisibleAlert(clinician, othersAlert)).toBeNull();
  });

  it("refuses a note that is too long, changing nothing", async () => {
    const alertId = await alertIdOf(otherTeamPatientId, "hypo-level-2");
    await expect(acknowledgeAlert(otherClinician, alertId, { note: "x".repeat(1001) })).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { note: [expect.any(String)] } });
    const [row] = await getDb().select().from(alerts).where(eq(alerts.id, alertId));
    expect(row!.status).toBe("open");
  });
});

describe("what patients and guardians see", () => {
  it("shows a guardian their child's alerts and nobody else's", async () => {
    const guardian = await insertUser(organizationId, "guardian");
    // An adult patient: the link counts only because a clinician renewed it past the 18th birthday.
    await insertGuardianLink(guardian.userId, lowPatient.patientId, { renewedUntil: "2099-12-31" });
    expect((await listPatientAlerts(guardian, lowPatient.patientId)).map((alert) => alert.kind).sort()).toEqual(["hypo-level-1", "hypo-level-2"]);
    await expect(listPatientAlerts(guardian, highPatientId)).rejects.toMatchObject({ code: "not_found" });
    await expect(listPatientAlerts(lowPatient.actor, highPatientId)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("triage marks", () => {
  it("marks each patient's most severe open low and high", async () => {
    const organization = (await insertOrganization()).id;
    const reader = await insertUser(organization, "clinician");
    const low = (await insertPatient(organization)).id;
    const high = (await insertPatient(organization)).id;
    const calm = (await insertPatient(organization)).id;
    const elsewhere = (await insertPatient(organization)).id;
    await insertCareTeam(organization, { clinicianUserIds: [reader.userId], patientIds: [low, high, calm] });
    await ingestForTest(low, cgmTrace(URGENT_LOW));
    await ingestForTest(high, cgmTrace(HIGH));
    await ingestForTest(calm, cgmTrace([100, 110, 120]));
    await ingestForTest(elsewhere, cgmTrace(URGENT_LOW));
    const marks = await openGlucoseAlerts(reader, [low, high, calm, elsewhere]);
    expect(Object.fromEntries(marks)).toEqual({ [low]: { low: "urgent", high: null }, [high]: { low: null, high: "low" } });
  });
});

describe("the live channel", () => {
  it("announces a new live alert on LISTEN/NOTIFY once the readings commit", async () => {
    const payloads: string[] = [];
    const unlisten = await databaseHandle().listen(ALERTS_CHANNEL, (payload) => payloads.push(payload));
    try {
      const { id: patientId } = await insertPatient(organizationId);
      await ingestForTest(patientId, cgmTrace(URGENT_LOW));
      await expect.poll(() => payloads.length).toBeGreaterThanOrEqual(2);
      const announced = payloads.map((payload) => JSON.parse(payload) as { alertId: number; patientId: string });
      expect(new Set(announced.map((entry) => entry.patientId))).toEqual(new Set([patientId]));
      const [counted] = rowsOf<{ total: number }>(await getDb().execute(sql`select count(*)::int as total from alerts where patient_id = ${patientId}`));
      expect(announced).toHaveLength(counted!.total);
    } finally {
      await unlisten();
    }
  });
});

