import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { glucoseReadings } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import type { AppError } from "@/lib/errors";
import {
  countReadingsOf,
  insertCareTeam,
  insertGuardianLink,
  insertOrganization,
  insertPatient,
  insertPatientWithAccount,
  insertUser,
} from "@/test/factories";
import { addManualReading } from "./manual-entry";
import { listRecentReadings } from "./queries";

const SUMMER_NOW = new Date("2026-07-14T09:00:00Z");

let patient: { actor: UserActor; patientId: string };
let otherPatient: { actor: UserActor; patientId: string };
let childPatientId: string;
let guardian: UserActor;
let teamClinician: UserActor;
let otherTeamClinician: UserActor;
let admin: UserActor;

beforeAll(async () => {
  const organization = await insertOrganization();
  patient = await insertPatientWithAccount(organization.id, { timezone: "Europe/London" });
  otherPatient = await insertPatientWithAccount(organization.id, { timezone: "Europe/London" });
  childPatientId = (await insertPatient(organization.id, { birthDate: "2018-02-02", timezone: "America/New_York" })).id;
  guardian = await insertUser(organization.id, "guardian");
  await insertGuardianLink(guardian.userId, childPatientId);
  teamClinician = await insertUser(organization.id, "clinician");
  otherTeamClinician = await insertUser(organization.id, "clinician");
  await insertCareTeam(organization.id, { clinicianUserIds: [teamClinician.userId], patientIds: [patient.patientId] });
  await insertCareTeam(organization.id, { clinicianUserIds: [otherTeamClinician.userId], patientIds: [otherPatient.patientId] });
  admin = await insertUser(organization.id, "admin");
});

const appError = (code: AppError["code"], fieldErrors?: Record<string, unknown>) =>
  expect.objectContaining({ name: "AppError", code, ...(fieldErrors ? { fieldErrors: expect.objectContaining(fieldErrors) } : {}) }) as AppError;

async function storedRow(readingId: number) {
  const [row] = await getDb().select().from(glucoseReadings).where(eq(glucoseReadings.id, readingId));
  return row!;
}

describe("addManualReading stores what was typed", () => {
  it("keeps the value and unit as received, normalizes to mg/dL and reads the time in the patient's zone", async () => {
    const { readingId } = await addManualReading(
      patient.actor,
      patient.patientId,
      { value: "5.4", unit: "mmol/L", takenAt: "2026-07-14T08:05" },
      SUMMER_NOW,
    );

    const row = await storedRow(readingId);
    expect(row).toMatchObject({
      patientId: patient.patientId,
      unit: "mmol/L",
      utcOffsetMinutes: 60,
      source: "manual",
      specimen: "capillary",
      enteredByUserId: patient.actor.userId,
      deviceId: null,
    });
    expect(Number(row.valueAsReceived)).toBe(5.4);
    expect(Number(row.valueMgdl)).toBe(97.284);
    expect(row.effectiveAt.toISOString()).toBe("2026-07-14T07:05:00.000Z");
  });

  it.each([
    { zone: "America/New_York in July", takenAt: "2026-07-01T12:00", instant: "2026-07-01T16:00:00.000Z", offset: -240 },
    { zone: "America/New_York in January", takenAt: "2026-01-10T12:00", instant: "2026-01-10T17:00:00.000Z", offset: -300 },
  ])("reads a guardian's entry for their child in the child's zone: $zone", async ({ takenAt, instant, offset }) => {
    const { readingId } = await addManualReading(guardian, childPatientId, { value: 112, unit: "mg/dL", takenAt }, SUMMER_NOW);

    const row = await storedRow(readingId);
    expect(row.effectiveAt.toISOString()).toBe(instant);
    expect(row.utcOffsetMinutes).toBe(offset);
    expect(Number(row.valueAsReceived)).toBe(112);
    expect(Number(row.valueMgdl)).toBe(112);
    expect(row.enteredByUserId).toBe(guardian.userId);
  });

  it("takes the first of a local time that happens twice when the clocks go back", async () => {
    const { readingId } = await addManualReading(
      teamClinician,
      patient.patientId,
      { value: 140, unit: "mg/dL", takenAt: "2026-10-25T01:30" },
      new Date("2026-10-26T00:00:00Z"),
    );

    const row = await storedRow(readingId);
    expect(row.effectiveAt.toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(row.utcOffsetMinutes).toBe(60);
  });
});

describe("listRecentReadings", () => {
  it("returns a patient's readings newest first, whatever order they were entered in", async () => {
    const { patientId } = await insertPatientWithAccount(patient.actor.organizationId);
    await insertCareTeam(patient.actor.organizationId, { clinicianUserIds: [teamClinician.userId], patientIds: [patientId] });
    const entries = [
      { value: 101, unit: "mg/dL", takenAt: "2026-07-12T07:00" },
      { value: 6.1, unit: "mmol/L", takenAt: "2026-07-14T07:30" },
      { value: 150, unit: "mg/dL", takenAt: "2026-07-13T19:45" },
    ] as const;
    for (const entry of entries) await addManualReading(teamClinician, patientId, entry, SUMMER_NOW);

    const readings = await listRecentReadings(teamClinician, patientId);

    expect(readings.map((reading) => [reading.valueAsReceived, reading.unit, reading.effectiveAt.toISOString()])).toEqual([
      [6.1, "mmol/L", "2026-07-14T06:30:00.000Z"],
      [150, "mg/dL", "2026-07-13T18:45:00.000Z"],
      [101, "mg/dL", "2026-07-12T06:00:00.000Z"],
    ]);
    expect(readings[0]).toMatchObject({ valueMgdl: 109.895, utcOffsetMinutes: 60, source: "manual", specimen: "capillary" });
  });

  it("answers not_found to a clinician of another team", async () => {
    await expect(listRecentReadings(otherTeamClinician, patient.patientId)).rejects.toEqual(appError("not_found"));
  });

  it("answers not_found to an admin, who does not read glucose values", async () => {
    await expect(listRecentReadings(admin, patient.patientId)).rejects.toEqual(appError("not_found"));
  });
});

describe("addManualReading refuses and writes nothing", () => {
  const validEntry = { value: 120, unit: "mg/dL", takenAt: "2026-07-14T08:00" };

  it.each([
    { who: "another patient", actor: () => otherPatient.actor },
    { who: "a clinician of another team", actor: () => otherTeamClinician },
    { who: "an admin", actor: () => admin },
    { who: "a guardian not linked to the patient", actor: () => guardian },
  ])("when $who adds a reading: not_found", async ({ actor }) => {
    const before = await countReadingsOf(patient.patientId);

    await expect(addManualReading(actor(), patient.patientId, validEntry, SUMMER_NOW)).rejects.toEqual(appError("not_found"));

    expect(await countReadingsOf(patient.patientId)).toBe(before);
  });

  it.each([
    { problem: "not a number", value: "abc", unit: "mg/dL" },
    { problem: "empty", value: "", unit: "mg/dL" },
    { problem: "below any meter", value: 5, unit: "mg/dL" },
    { problem: "above any meter", value: 1200, unit: "mg/dL" },
    { problem: "a mg/dL value typed as mmol/L", value: 120, unit: "mmol/L" },
  ])("when the value is $problem: invalid_input on value", async ({ value, unit }) => {
    const before = await countReadingsOf(patient.patientId);

    const attempt = addManualReading(patient.actor, patient.patientId, { value, unit, takenAt: "2026-07-14T08:00" }, SUMMER_NOW);

    await expect(attempt).rejects.toEqual(appError("invalid_input", { value: [expect.any(String)] }));
    expect(await countReadingsOf(patient.patientId)).toBe(before);
  });

  it.each([
    { problem: "a NUL character", note: "after\u0000a walk" },
    { problem: "half of a surrogate pair", note: "after a walk \ud83d" },
  ])("when the note holds $problem: invalid_input on note, never a database error", async ({ note }) => {
    const before = await countReadingsOf(patient.patientId);

    const attempt = addManualReading(patient.actor, patient.patientId, { ...validEntry, note }, SUMMER_NOW);

    await expect(attempt).rejects.toEqual(appError("invalid_input", { note: [expect.stringContaining("cannot be stored")] }));
    expect(await countReadingsOf(patient.patientId)).toBe(before);
  });

  it("when the time is more than 10 minutes ahead of now", async () => {
    const before = await countReadingsOf(patient.patientId);

    const attempt = addManualReading(patient.actor, patient.patientId, { ...validEntry, takenAt: "2026-07-14T10:11" }, SUMMER_NOW);

    await expect(attempt).rejects.toEqual(appError("invalid_input", { takenAt: [expect.stringContaining("in the future")] }));
    expect(await countReadingsOf(patient.patientId)).toBe(before);
  });

  it("but accepts a time a few minutes ahead, as clocks drift", async () => {
    const before = await countReadingsOf(patient.patientId);

    await addManualReading(patient.actor, patient.patientId, { ...validEntry, takenAt: "2026-07-14T10:09" }, SUMMER_NOW);

    expect(await countReadingsOf(patient.patientId)).toBe(before + 1);
  });

  it("when the local time fell in the spring-forward gap, saying the clocks went forward", async () => {
    const before = await countReadingsOf(patient.patientId);

    const attempt = addManualReading(
      patient.actor,
      patient.patientId,
      { ...validEntry, takenAt: "2026-03-29T01:30" },
      new Date("2026-03-30T12:00:00Z"),
    );

    await expect(attempt).rejects.toEqual(
      appError("invalid_input", { takenAt: [expect.stringMatching(/did not happen in Europe\/London: the clocks went forward/)] }),
    );
    expect(await countReadingsOf(patient.patientId)).toBe(before);
  });

  it("when the date does not exist", async () => {
    const before = await countReadingsOf(patient.patientId);

    const attempt = addManualReading(patient.actor, patient.patientId, { ...validEntry, takenAt: "2026-02-30T08:00" }, SUMMER_NOW);

    await expect(attempt).rejects.toEqual(appError("invalid_input", { takenAt: [expect.any(String)] }));
    expect(await countReadingsOf(patient.patientId)).toBe(before);
  });
});
