import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alerts, auditEvents, patients, patientTargets } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { glucoseReport } from "@/lib/readings/glucose-report";
import { ingestForTest, insertCareTeam, insertOrganization, insertPatient, insertUser, uniqueSuffix } from "@/test/factories";
import { triageList } from "./triage";
import { sealedRecordNumber } from "@/lib/security/sealed-columns";

const NOW = new Date("2026-11-15T12:00:00Z");
const MINUTE = 60_000;

let clinician: UserActor;
let admin: UserActor;
let secondTeamId: string;
const ids: Record<string, string> = {};
const family = `Triage${uniqueSuffix()}`;

function cgmSeries(fromMs: number, toMs: number, valueOf: (i: number) => number): ReadingCandidate[] {
  const readings: ReadingCandidate[] = [];
  for (let t = fromMs, i = 0; t < toMs; t += 5 * MINUTE, i += 1) {
    readings.push({ position: i, value: valueOf(i), unit: "mg/dL", censored: null, effectiveAt: new Date(t), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: `c${t}` });
  }
  return readings;
}

beforeAll(async () => {
  const organization = await insertOrganization();
  const otherOrganization = await insertOrganization();
  clinician = await insertUser(organization.id, "clinician");
  admin = await insertUser(organization.id, "admin");
  const colleague = await insertUser(organization.id, "clinician");
  const patient = async (key: string, familyName: string, extra: { medicalRecordNumber?: string } = {}) => {
    ids[key] = (await insertPatient(organization.id, { familyName, givenName: key, timezone: "Europe/London" })).id;
    if (extra.medicalRecordNumber) await getDb().update(patients).set(sealedRecordNumber(extra.medicalRecordNumber)).where(eq(patients.id, ids[key]!));
  };
  await patient("urgent", `${family} A`);
  await patient("low", `${family} B`);
  await patient("stale", `${family} C`);
  await patient("high", `${family} D`);
  await patient("none", `${family} E`);
  await patient("meter", `${family} F`);
  await patient("second", `${family} G`, { medicalRecordNumber: `MRN-${family}-777` });
  ids.notMine = (await insertPatient(organization.id, { familyName: `${family} X` })).id;
  ids.otherClinic = (await insertPatient(otherOrganization.id, { familyName: `${family} Y` })).id;
  await insertCareTeam(organization.id, { clinicianUserIds: [clinician.userId], patientIds: ["urgent", "low", "stale", "high", "none", "meter"].map((key) => ids[key]!) });
  secondTeamId = (await insertCareTeam(organization.id, { clinicianUserIds: [clinician.userId], patientIds: [ids.second!] })).id;
  await insertCareTeam(organization.id, { clinicianUserIds: [colleague.userId], patientIds: [ids.notMine!] });

  const start = Date.parse("2026-11-02T00:00:00Z");
  const now = NOW.getTime();
  // 13.5 days of CGM, one reading in ten at 60: 10% below 70, sensor active 3888 / 4032.
  await ingestForTest(ids.low!, cgmSeries(start, now, (i) => (i % 10 === 0 ? 60 : 120)), NOW);
  await ingestForTest(ids.urgent!, cgmSeries(now - 3 * 3_600_000, now, () => 130), NOW);
  await getDb().insert(alerts).values({ patientId: ids.urgent!, kind: "hypo-level-2", severity: "urgent", specimen: "interstitial", startedAt: new Date(now - 3_600_000), targets: {} });
  await ingestForTest(ids.stale!, cgmSeries(now - 2 * 86_400_000, now - 10 * 3_600_000, () => 110), NOW);
  await ingestForTest(ids.high!, cgmSeries(now - 2 * 86_400_000, now, (i) => (i % 10 < 3 ? 200 : 150)), NOW);
  await getDb().insert(patientTargets).values({ patientId: ids.high!, preset: "pregnancy", hypoLevel1: 63, hypoLevel2: 54, hyperLevel1: 140, hyperLevel2: 180, reason: "Pregnant" });
  await ingestForTest(ids.second!, cgmSeries(now - 2 * 86_400_000, now, () => 120), NOW);
  const fingersticks: ReadingCandidate[] = [];
  for (let day = 0; day < 14; day += 1) {
    for (const hour of [7, 12, 18]) {
      const at = start + day * 86_400_000 + hour * 3_600_000;
      if (at < now) fingersticks.push({ position: fingersticks.length, value: 100 + hour, unit: "mg/dL", censored: null, effectiveAt: new Date(at), utcOffsetMinutes: 0, specimen: "capillary", dedupeKey: `f${at}` });
    }
  }
  await ingestForTest(ids.meter!, fingersticks, NOW);
}, 180_000);

const mine = (list: Awaited<ReturnType<typeof triageList>>) => list.rows.map((row) => row.givenName);

describe("triageList", () => {
  it("lists every patient of the clinician's care teams once, in the documented priority, with a reason each", async () => {
    const list = await triageList(clinician, { search: family }, NOW);
    expect(mine(list)).toEqual(["urgent", "low", "stale", "high", "none", "second", "meter"]);
    expect(list.total).toBe(7);
    expect(list.rows.map((row) => row.priority.key)).toEqual(["urgentAlert", "belowRange", "staleFeed", "aboveRange", "insufficientData", "insufficientData", "onTarget"]);
    const [urgent, low, stale, high, none, , meter] = list.rows;
    expect(urgent!.priority.reason).toBe("Urgent alert open (1 open alert)");
    expect(urgent!.openAlerts).toEqual({ count: 1, worstSeverity: "urgent" });
    expect(low!.priority.reason).toBe("Time below 70 mg/dL 10.0% (goal under 4%)");
    expect(stale!).toMatchObject({ staleFeed: true, silentMinutes: 600 + 5 });
    expect(stale!.priority.reason).toBe("No readings for 10 h");
    // 2 days of 5-minute readings: 576, of which 3 in 10 (174) at 200: 30.2%.
    expect(high!.priority.reason).toBe("Time above 180 mg/dL 30.2% (goal under 25%)");
    expect(high!.targetPreset).toBe("pregnancy");
    expect(none!).toMatchObject({ basis: null, readings: 0, lastReading: null, staleFeed: false, sufficient: false });
    expect(none!.priority.reason).toBe("No readings in the last 14 days");
    expect(meter!).toMatchObject({ basis: "fingerstick", gmiPercent: null, sensorActivePercent: null, staleFeed: false });
    expect(meter!.priority.reason).toBe("Fingersticks within the goals");
  });

  it("computes the metrics from the daily aggregates equal to the glucose report of the same local days", async () => {
    const list = await triageList(clinician, { search: `${family} B` }, NOW);
    const row = list.rows[0]!;
    const report = await glucoseReport(clinician, ids.low!, { from: "2026-11-02", days: 14 }, NOW);
    expect(row).toMatchObject({ basis: "cgm", readings: report.cgm.readings, daysWithData: report.cgm.daysWithData, sufficient: report.cgm.sufficient });
    expect(row.readings).toBe(3888);
    expect(row.below70Percent).toBeCloseTo(report.cgm.timeInRanges!.veryLow + report.cgm.timeInRanges!.low, 9);
    expect(row.inRangePercent).toBeCloseTo(report.cgm.timeInRanges!.inRange, 9);
    expect(row.meanMgdl).toBeCloseTo(report.cgm.meanMgdl!, 9);
    expect(row.gmiPercent).toBeCloseTo(report.cgm.gmiPercent!, 9);
    expect(row.cvPercent).toBeCloseTo(report.cgm.cvPercent!, 9);
    expect(row.sensorActivePercent).toBeCloseTo(report.cgm.sensorActivePercent, 9);
    expect(row.lastReading).toMatchObject({ specimen: "interstitial", at: new Date(NOW.getTime() - 5 * MINUTE) });
  });

  it("sorts, filters by care team, target preset and insufficient data, searches by record number and paginates", async () => {
    expect(mine(await triageList(clinician, { search: family, sort: "below70" }, NOW))[0]).toBe("low");
    expect(mine(await triageList(clinician, { search: family, sort: "name", direction: "desc" }, NOW))).toEqual(["second", "meter", "none", "high", "stale", "low", "urgent"]);
    expect(mine(await triageList(clinician, { careTeamId: secondTeamId }, NOW))).toEqual(["second"]);
    expect(mine(await triageList(clinician, { search: `mrn-${family}-777`.toLowerCase() }, NOW))).toEqual(["second"]);
    expect(mine(await triageList(clinician, { search: family, targetPreset: "pregnancy" }, NOW))).toEqual(["high"]);
    const insufficient = mine(await triageList(clinician, { search: family, insufficientOnly: true }, NOW));
    expect(insufficient).not.toContain("low");
    expect(insufficient).toContain("none");
    const page = await triageList(clinician, { search: family, pageSize: 2, page: 2 }, NOW);
    expect(mine(page)).toEqual(["stale", "high"]);
    expect(page).toMatchObject({ total: 7, pageCount: 4, page: 2 });
    const pastTheEnd = await triageList(clinician, { search: family, pageSize: 2, page: 9 }, NOW);
    expect(pastTheEnd).toMatchObject({ rows: [], total: 7 });
  });

  it("shows no one outside the clinician's care teams, refuses admins (no glucose values) and bad options, and audits the page", async () => {
    const names = mine(await triageList(clinician, { search: family, pageSize: 100 }, NOW));
    expect(names).not.toContain("notMine");
    expect(names).toHaveLength(7);
    await expect(triageList(admin, {}, NOW)).rejects.toMatchObject({ code: "not_found" });
    await expect(triageList(clinician, { windowDays: 0 }, NOW)).rejects.toMatchObject({ code: "invalid_input", message: expect.stringMatching(/windowDays/) });
    await expect(triageList(clinician, { sort: "age" as never }, NOW)).rejects.toMatchObject({ code: "invalid_input" });
    const events = await getDb().select().from(auditEvents).where(and(eq(auditEvents.actorId, clinician.userId), eq(auditEvents.resourceType, "Patient")));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.action === "search")).toBe(true);
  });
});
