import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { glucoseReadings, glucoseReadingVersions, patients } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { formatAtOffset } from "@/lib/time/zones";
import { ingestForTest, insertOrganization, insertPatientWithAccount } from "@/test/factories";
import { correctManualReading } from "./manual-entry";

const NOW = new Date("2026-11-20T12:00:00Z");

let patient: { actor: UserActor; patientId: string };

beforeAll(async () => {
  const organization = await insertOrganization();
  patient = await insertPatientWithAccount(organization.id, { timezone: "Europe/London" });
});

/** A hand-entered reading stored through the write path at an exact instant and offset. */
async function manualReadingAt(effectiveAt: Date, utcOffsetMinutes: number, value = 5.4): Promise<number> {
  const outcome = await ingestForTest(patient.patientId, [{ position: 0, value, unit: "mmol/L", censored: null, effectiveAt, utcOffsetMinutes, specimen: "capillary", dedupeKey: null }], NOW, "manual");
  return outcome.insertedIds[0]!;
}

/** What the correction form shows for a reading, submitted as it is. */
async function saveUnchanged(readingId: number, value = "5.4") {
  const [row] = await getDb().select().from(glucoseReadings).where(eq(glucoseReadings.id, readingId));
  const takenAt = formatAtOffset(row!.effectiveAt, row!.utcOffsetMinutes).replace(" ", "T");
  return correctManualReading(patient.actor, patient.patientId, readingId, { value, unit: "mmol/L", takenAt, mealContext: "", note: "" }, NOW);
}

async function versionsOf(readingId: number) {
  const [row] = await getDb().select().from(glucoseReadings).where(eq(glucoseReadings.id, readingId));
  const earlier = await getDb().select().from(glucoseReadingVersions).where(eq(glucoseReadingVersions.readingId, readingId));
  return { version: row!.version, effectiveAt: row!.effectiveAt, earlier: earlier.length };
}

describe("saving a correction form unchanged creates no version", () => {
  it("when the reading was taken at seconds past the minute the form does not show", async () => {
    const at = new Date("2026-11-19T08:05:37.250Z");
    const readingId = await manualReadingAt(at, 0);
    expect(await saveUnchanged(readingId)).toEqual({ version: 1, changed: false });
    expect(await versionsOf(readingId)).toEqual({ version: 1, effectiveAt: at, earlier: 0 });
  });

  it("when it was taken in the second 01:30 of the night the clocks went back", async () => {
    const secondHalfPast = new Date("2026-10-25T01:30:00Z"); // 01:30 GMT, after 01:30 BST
    const readingId = await manualReadingAt(secondHalfPast, 0);
    expect(await saveUnchanged(readingId)).toEqual({ version: 1, changed: false });
    expect((await versionsOf(readingId)).effectiveAt).toEqual(secondHalfPast);
  });

  it("when the patient has moved time zone since", async () => {
    const at = new Date("2026-11-18T07:00:00Z");
    const readingId = await manualReadingAt(at, 0);
    await getDb().update(patients).set({ timezone: "America/New_York" }).where(eq(patients.id, patient.patientId));
    try {
      expect(await saveUnchanged(readingId)).toEqual({ version: 1, changed: false });
    } finally {
      await getDb().update(patients).set({ timezone: "Europe/London" }).where(eq(patients.id, patient.patientId));
    }
  });

  it("when the value is typed with a decimal comma", async () => {
    const readingId = await manualReadingAt(new Date("2026-11-17T07:00:00Z"), 0);
    expect(await saveUnchanged(readingId, "5,4")).toEqual({ version: 1, changed: false });
  });

  it("but a changed value is a new version, the earlier one kept", async () => {
    const readingId = await manualReadingAt(new Date("2026-11-16T07:00:00Z"), 0);
    expect(await saveUnchanged(readingId, "5.8")).toEqual({ version: 2, changed: true });
    expect(await versionsOf(readingId)).toMatchObject({ version: 2, earlier: 1 });
  });
});
