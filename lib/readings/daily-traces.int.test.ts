import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/access/actor";
import type { ReadingCandidate } from "./ingest";
import { ingestForTest, insertCareTeam, insertOrganization, insertPatientWithAccount, insertUser } from "@/test/factories";
import { dailyTraces, TRACE_BIN_MINUTES } from "./daily-traces";

const NOW = new Date("2026-11-05T12:00:00Z");
const MINUTE = 60_000;

let patient: { actor: UserActor; patientId: string };
let outsider: UserActor;

beforeAll(async () => {
  const organization = await insertOrganization();
  patient = await insertPatientWithAccount(organization.id, { timezone: "Europe/London" });
  outsider = await insertUser(organization.id, "clinician");
  await insertCareTeam(organization.id, { clinicianUserIds: [], patientIds: [patient.patientId] });
  // 2026-10-25 in London: the clocks go back at 02:00 BST (01:00Z), so the day lasts 25 hours.
  // CGM every 5 minutes from 00:00 BST (2026-10-24T23:00Z) to 03:00 GMT, then nothing until 06:00 GMT.
  const cgm: ReadingCandidate[] = [];
  for (let at = Date.parse("2026-10-24T23:00:00Z"), index = 0; at < Date.parse("2026-10-25T03:00:00Z"); at += 5 * MINUTE, index++) {
    cgm.push({ position: index, value: 100 + (index % 3) * 6, unit: "mg/dL" as const, censored: null, effectiveAt: new Date(at), utcOffsetMinutes: at < Date.parse("2026-10-25T01:00:00Z") ? 60 : 0, specimen: "interstitial" as const, dedupeKey: `trace-${index}` });
  }
  cgm.push({ position: 999, value: 200, unit: "mg/dL", censored: null, effectiveAt: new Date("2026-10-25T06:02:00Z"), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: "trace-late" });
  await ingestForTest(patient.patientId, cgm, NOW);
  await ingestForTest(patient.patientId, [{ position: 0, value: 5.5, unit: "mmol/L", censored: null, effectiveAt: new Date("2026-10-26T07:40:00Z"), utcOffsetMinutes: 0, specimen: "capillary", dedupeKey: null, mealContext: "fasting" }], NOW, "manual");
});

describe("dailyTraces", () => {
  it("gives one trace per local day of the report period, CGM as 15-minute means on the local clock, with gaps left empty", async () => {
    const traces = await dailyTraces(patient.actor, patient.patientId, { from: "2026-10-25", days: 2 }, NOW);
    expect(traces.map((trace) => trace.date)).toEqual(["2026-10-25", "2026-10-26"]);
    const [autumnDay, nextDay] = traces;
    expect(autumnDay!.cgm).toHaveLength((24 * 60) / TRACE_BIN_MINUTES);
    // 00:00-00:15 local: readings of 100, 106, 112: mean 106.
    expect(autumnDay!.cgm[0]).toBeCloseTo(106, 6);
    // 01:00-01:15 local happened twice (BST, then GMT): both hours' readings share the bin.
    expect(autumnDay!.cgm[4]).toBeCloseTo(106, 6);
    // 03:00 to 06:00 GMT: no readings, a gap; 06:02 is in the 06:00 bin.
    expect(autumnDay!.cgm.slice(12, 24).every((value) => value === null)).toBe(true);
    expect(autumnDay!.cgm[24]).toBe(200);
    expect(nextDay!.cgm.every((value) => value === null)).toBe(true);
    expect(nextDay!.fingersticks).toEqual([{ minute: 7 * 60 + 40, valueMgdl: expect.closeTo(99.1, 0) as number, censored: null, mealContext: "fasting" }]);
  });

  it("answers not_found to a clinician outside the patient's teams", async () => {
    await expect(dailyTraces(outsider, patient.patientId, { from: "2026-10-25", days: 2 }, NOW)).rejects.toMatchObject({ code: "not_found" });
  });
});
