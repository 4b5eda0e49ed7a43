import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/access/actor";
import type { AppError } from "@/lib/errors";
import { listVisiblePatients } from "@/lib/patients/queries";
import { ingestForTest, insertCareTeam, insertOrganization, insertPatientWithAccount, insertUser } from "@/test/factories";
import { listReadingsPage } from "./queries";

const NOW = new Date("2026-11-20T12:00:00Z");
const HOUR = 3_600_000;

let patient: { actor: UserActor; patientId: string };
let clinician: UserActor;
let outsider: UserActor;
let admin: UserActor;
const storedTimes: number[] = [];

beforeAll(async () => {
  const organization = await insertOrganization();
  patient = await insertPatientWithAccount(organization.id, { timezone: "America/New_York" });
  clinician = await insertUser(organization.id, "clinician");
  outsider = await insertUser(organization.id, "clinician");
  admin = await insertUser(organization.id, "admin");
  await insertCareTeam(organization.id, { clinicianUserIds: [clinician.userId], patientIds: [patient.patientId] });
  // 250 readings an hour apart (about ten days), then three at one same instant, the newest.
  const candidates = Array.from({ length: 250 }, (_, index) => {
    const effectiveAt = new Date(NOW.getTime() - (index + 1) * HOUR);
    storedTimes.push(effectiveAt.getTime());
    return { position: index, value: 100 + (index % 50), unit: "mg/dL" as const, censored: null, effectiveAt, utcOffsetMinutes: -300, specimen: "interstitial" as const, dedupeKey: `page-test-${index}` };
  });
  await ingestForTest(patient.patientId, candidates, NOW);
  const sameInstant = new Date(NOW.getTime() - 10 * 60_000);
  for (const value of [150, 160, 170]) {
    await ingestForTest(patient.patientId, [{ position: 0, value, unit: "mg/dL", censored: null, effectiveAt: sameInstant, utcOffsetMinutes: -300, specimen: "capillary", dedupeKey: null }], NOW, "manual");
  }
});

async function walkAll(actor: UserActor, query: Record<string, string>, pageSize: number) {
  const ids: number[] = [];
  let before: string | null = null;
  let pages = 0;
  do {
    const page = await listReadingsPage(actor, patient.patientId, { ...query, before: before ?? "" }, { pageSize });
    ids.push(...page.readings.map((reading) => reading.id));
    expect(page.readings.length).toBeLessThanOrEqual(pageSize);
    before = page.olderCursor;
    pages++;
  } while (before);
  return { ids, pages };
}

describe("listReadingsPage", () => {
  it("reaches every reading exactly once by paging, newest first", async () => {
    const { ids, pages } = await walkAll(clinician, {}, 40);
    expect(ids).toHaveLength(253);
    expect(new Set(ids).size).toBe(253);
    expect(pages).toBe(7);
  });

  it("keeps readings taken at one instant in one order, newest entry first, on every load and across a page break", async () => {
    const first = await listReadingsPage(clinician, patient.patientId, {}, { pageSize: 2 });
    const again = await listReadingsPage(clinician, patient.patientId, {}, { pageSize: 2 });
    expect(first.readings.map((reading) => reading.id)).toEqual(again.readings.map((reading) => reading.id));
    expect(first.readings.map((reading) => reading.valueMgdl)).toEqual([170, 160]);
    const next = await listReadingsPage(clinician, patient.patientId, { before: first.olderCursor }, { pageSize: 2 });
    expect(next.readings.map((reading) => reading.valueMgdl)[0]).toBe(150);
    const [listed] = await listVisiblePatients(clinician);
    expect(listed!.lastReading!.valueMgdl).toBe(170);
  });

  it("limits the list to the patient's local calendar days, both ends included", async () => {
    // New York is UTC-5 in November: 2026-11-15 runs from 05:00Z to 05:00Z the next day.
    const { ids } = await walkAll(clinician, { from: "2026-11-15", to: "2026-11-16" }, 30);
    const expected = storedTimes.filter((time) => time >= Date.parse("2026-11-15T05:00:00Z") && time < Date.parse("2026-11-17T05:00:00Z"));
    expect(ids).toHaveLength(expected.length);
    expect(expected.length).toBe(48);
  });

  it.each([
    [{ from: "2026-11-16", to: "2026-11-15" }, "to", /before the start date/],
    [{ from: "2026-02-30" }, "from", /does not exist/],
    [{ to: "15/11/2026" }, "to", /YYYY-MM-DD/],
    [{ before: "yesterday" }, "before", /damaged/],
  ])("refuses %j with a sentence on %s", async (query, field, message) => {
    const refusal = listReadingsPage(clinician, patient.patientId, query);
    await expect(refusal).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { [field]: [expect.stringMatching(message)] } } as Partial<AppError>);
  });

  it("answers not_found to a clinician of another team and to an admin", async () => {
    await expect(listReadingsPage(outsider, patient.patientId, {})).rejects.toMatchObject({ code: "not_found" });
    await expect(listReadingsPage(admin, patient.patientId, {})).rejects.toMatchObject({ code: "not_found" });
  });
});
