import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getDb, openPostgres, type DatabaseHandle } from "@/db/client";
import { alerts, auditEvents, devices } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { ingestForTest, insertOrganization, insertPatient, pairedMeter } from "@/test/factories";
import { openNoDataAlerts } from "./no-data";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function readingsAt(times: readonly number[], specimen: "interstitial" | "capillary", label: string): ReadingCandidate[] {
  return times.map((at, i) => ({
    position: i, value: 120, unit: "mg/dL", censored: null, effectiveAt: new Date(at), utcOffsetMinutes: 0, specimen, dedupeKey: `${label}:${at}`,
  }));
}

const noDataAlertsOf = (patientId: string) =>
  getDb().select().from(alerts).where(and(eq(alerts.patientId, patientId), eq(alerts.kind, "no-data"))).orderBy(asc(alerts.id));

let organizationId: string;
beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
});

describe("no-data alerts for monitored feeds gone silent", () => {
  it("opens one alert when a CGM is silent past 6 hours, closes it when data comes back, and opens a new one for the next silence", async () => {
    const patientId = (await insertPatient(organizationId)).id;
    await pairedMeter(patientId, "cgm");
    const last = Date.now();
    await ingestForTest(patientId, readingsAt([last - 10 * MINUTE, last - 5 * MINUTE, last], "interstitial", "first"));

    // The sweep covers every patient in the database (other files' too): count this one's alerts.
    await openNoDataAlerts(new Date(last + 6 * HOUR - MINUTE));
    expect(await noDataAlertsOf(patientId)).toHaveLength(0);
    expect(await openNoDataAlerts(new Date(last + 6 * HOUR + MINUTE))).toBeGreaterThanOrEqual(1);
    let open = await noDataAlertsOf(patientId);
    expect(open.map((alert) => ({ kind: alert.kind, severity: alert.severity, specimen: alert.specimen, startedAt: alert.startedAt.getTime(), endedAt: alert.endedAt })))
      .toEqual([{ kind: "no-data", severity: "moderate", specimen: "interstitial", startedAt: last, endedAt: null }]);
    const [event] = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "create"), eq(auditEvents.resourceId, String(open[0]!.id))));
    expect(event).toMatchObject({ actorRole: "alert-monitor", resourceType: "Flag", patientIds: [patientId] });

    // One per silence: later sweeps, and a clinician resolving it, open nothing more.
    await openNoDataAlerts(new Date(last + 7 * HOUR));
    await getDb().update(alerts).set({ status: "resolved", resolvedAt: new Date() }).where(eq(alerts.id, open[0]!.id));
    await openNoDataAlerts(new Date(last + 8 * HOUR));
    expect(await noDataAlertsOf(patientId)).toHaveLength(1);

    // The feed's next reading ends the silence, in the write path.
    const back = last + 8 * HOUR;
    await ingestForTest(patientId, readingsAt([back], "interstitial", "back"), new Date(back));
    open = await noDataAlertsOf(patientId);
    expect(open[0]!.endedAt?.getTime()).toBe(back);

    await openNoDataAlerts(new Date(back + 6 * HOUR + MINUTE));
    const both = await noDataAlertsOf(patientId);
    expect(both.map((alert) => [alert.startedAt.getTime(), alert.endedAt?.getTime() ?? null])).toEqual([
      [last, back],
      [back, null],
    ]);
  });

  it("gives a meter 3 days, counted from its pairing when it never sent anything", async () => {
    const patientId = (await insertPatient(organizationId)).id;
    const { deviceId } = await pairedMeter(patientId, "fingerstick-meter");
    const [device] = await getDb().select().from(devices).where(eq(devices.id, deviceId));
    const paired = device!.tokenIssuedAt!.getTime();
    await openNoDataAlerts(new Date(paired + 71 * HOUR));
    expect(await noDataAlertsOf(patientId)).toHaveLength(0);
    await openNoDataAlerts(new Date(paired + 73 * HOUR));
    const [alert] = await noDataAlertsOf(patientId);
    expect(alert).toMatchObject({ specimen: "capillary", startedAt: new Date(paired), endedAt: null });
  });

  it("leaves feeds alone that nobody monitors: no device, or a revoked one", async () => {
    const unmonitored = (await insertPatient(organizationId)).id;
    await ingestForTest(unmonitored, readingsAt([Date.now()], "interstitial", "unmonitored"));
    const revoked = (await insertPatient(organizationId)).id;
    const { deviceId } = await pairedMeter(revoked, "cgm");
    await getDb().update(devices).set({ revokedAt: new Date() }).where(eq(devices.id, deviceId));
    await openNoDataAlerts(new Date(Date.now() + 30 * 24 * HOUR));
    expect(await noDataAlertsOf(unmonitored)).toHaveLength(0);
    expect(await noDataAlertsOf(revoked)).toHaveLength(0);
  });
});

describe.runIf(process.env.LANTERN_TEST_DATABASE === "postgres")("two server processes sweeping at once", () => {
  let other: DatabaseHandle;
  beforeAll(() => {
    other = openPostgres(inject("testDatabaseUrl"));
  });
  afterAll(() => other.close());

  it("open each silence's alert exactly once", async () => {
    const patientIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const patientId = (await insertPatient(organizationId)).id;
      await pairedMeter(patientId, "cgm");
      patientIds.push(patientId);
    }
    const later = new Date(Date.now() + 7 * HOUR);
    await Promise.all([openNoDataAlerts(later, getDb()), openNoDataAlerts(later, other.db), openNoDataAlerts(later, getDb())]);
    for (const patientId of patientIds) expect(await noDataAlertsOf(patientId)).toHaveLength(1);
  });
});
