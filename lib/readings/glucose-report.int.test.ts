import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { computeGlucoseReport } from "@/lib/alerts/glucose-report";
import { londonAutumnFortnight } from "@/lib/metrics/reference-series";
import { localCalendarPeriod } from "@/lib/time/calendar";
import { ingestForTest, insertCareTeam, insertGuardianLink, insertOrganization, insertPatient, insertUser } from "@/test/factories";
import { glucoseReport, reportPeriodOf } from "./glucose-report";
import type { ReadingCandidate } from "./ingest";

const AFTER_THE_FORTNIGHT = new Date("2026-11-02T12:00:00Z");

let clinician: UserActor;
let guardian: UserActor;
let otherClinicClinician: UserActor;
let sameClinicOtherTeam: UserActor;
let londonPatientId: string;

function candidatesOf(readings: typeof londonAutumnFortnight.readings): ReadingCandidate[] {
  return readings.map((reading, position) => ({
    position,
    value: reading.valueMgdl,
    unit: "mg/dL",
    censored: reading.censored,
    effectiveAt: reading.effectiveAt,
    utcOffsetMinutes: 0,
    specimen: reading.specimen,
    mealContext: reading.mealContext ?? null,
    dedupeKey: `ref:${reading.effectiveAt.toISOString()}:${reading.specimen}`,
  }));
}

beforeAll(async () => {
  const organization = await insertOrganization();
  const otherOrganization = await insertOrganization();
  londonPatientId = (await insertPatient(organization.id, { timezone: "Europe/London", birthDate: "2012-05-01" })).id;
  clinician = await insertUser(organization.id, "clinician");
  sameClinicOtherTeam = await insertUser(organization.id, "clinician");
  guardian = await insertUser(organization.id, "guardian");
  otherClinicClinician = await insertUser(otherOrganization.id, "clinician");
  await insertCareTeam(organization.id, { clinicianUserIds: [clinician.userId], patientIds: [londonPatientId] });
  await insertCareTeam(organization.id, { clinicianUserIds: [sameClinicOtherTeam.userId] });
  await insertGuardianLink(guardian.userId, londonPatientId);
  const outcome = await ingestForTest(londonPatientId, candidatesOf(londonAutumnFortnight.readings), AFTER_THE_FORTNIGHT);
  expect(outcome.accepted).toBe(4044);
}, 120_000);

describe("glucoseReport", () => {
  it("gives the London fortnight across the October change as 14 local days, equal to the pure report of the same readings", async () => {
    const report = await glucoseReport(clinician, londonPatientId, { from: "2026-10-18", days: 14 }, AFTER_THE_FORTNIGHT);
    const period = localCalendarPeriod("Europe/London", "2026-10-18", 14);
    const expected = computeGlucoseReport(londonAutumnFortnight.readings, period);
    expect(report).toMatchObject({ patientId: londonPatientId, timezone: "Europe/London", from: "2026-10-18", to: "2026-10-31", days: 14 });
    expect(report.cgm).toEqual(expected.cgm);
    expect(report.cgm).toMatchObject({ readings: 4044, expectedReadings: 4044, daysWithData: 14, sensorActivePercent: 100, sufficient: true });
    expect(report.cgm.meanMgdl).toBe(londonAutumnFortnight.expected.cgm.meanMgdl);
    expect(report.cgm.timeInRanges).toEqual(londonAutumnFortnight.expected.cgm.timeInRanges);
    expect(report.cgm.agp).toEqual(londonAutumnFortnight.expected.agp);
    expect(report.cgm.events).toEqual({ hypoLevel1: 0, hypoLevel2: 0, hypoExtended: 0, hyperLevel1: 14, hyperLevel2: 14 });
    expect(report.fingerstick.readings).toBe(0);
    // No targets set: the preset of a 14-year-old.
    expect(report.targets.preset).toBe("paediatric");
    // A JSON round trip keeps every number (no Dates, no undefined).
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("is audited as one read of the patient", async () => {
    await glucoseReport(guardian, londonPatientId, { from: "2026-10-18", days: 7 }, AFTER_THE_FORTNIGHT);
    const events = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, guardian.userId), eq(auditEvents.resourceType, "GlucoseReport")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "read", outcome: "success", patientIds: [londonPatientId], resourceId: "2026-10-18/7" });
  });

  it("defaults to the last 14 local days up to the patient's today", async () => {
    const report = await glucoseReport(clinician, londonPatientId, {}, new Date("2026-10-31T23:30:00Z"));
    expect([report.from, report.to, report.days]).toEqual(["2026-10-18", "2026-10-31", 14]);
    // 23:30Z on the 31st is already 1 November in Auckland: the patient's zone decides the day.
    expect(reportPeriodOf("Pacific/Auckland", { days: 2 }, new Date("2026-10-31T23:30:00Z"))).toMatchObject({ startDate: "2026-10-31", lastDate: "2026-11-01" });
  });

  it("is a 404 (not_found) for another clinic's clinician and for a clinician outside the patient's care teams, recorded as denied", async () => {
    for (const outsider of [otherClinicClinician, sameClinicOtherTeam]) {
      await expect(glucoseReport(outsider, londonPatientId, { days: 14 }, AFTER_THE_FORTNIGHT)).rejects.toMatchObject({ code: "not_found" });
    }
    await expect(glucoseReport(clinician, crypto.randomUUID(), {}, AFTER_THE_FORTNIGHT)).rejects.toMatchObject({ code: "not_found" });
    const denied = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, otherClinicClinician.userId), eq(auditEvents.outcome, "denied")));
    expect(denied).toHaveLength(1);
  });
});
