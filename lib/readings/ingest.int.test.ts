import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { glucoseReadings } from "@/db/schema";
import { authorizePatient } from "@/lib/access/authorize";
import { countReadingsOf, insertOrganization, insertPatient, meterOf } from "@/test/factories";
import { ingestReadings, type ReadingCandidate } from "./ingest";

const now = new Date("2026-11-25T10:00:00Z");

function candidate(position: number, change: Partial<ReadingCandidate> = {}): ReadingCandidate {
  return {
    position,
    value: 100 + position,
    unit: "mg/dL",
    censored: null,
    effectiveAt: new Date(now.getTime() - (position + 1) * 300_000),
    utcOffsetMinutes: 60,
    specimen: "interstitial",
    dedupeKey: `test:${position}`,
    ...change,
  };
}

describe("ingestReadings, the single write path", () => {
  let patientId: string;
  beforeAll(async () => {
    const organization = await insertOrganization();
    patientId = (await insertPatient(organization.id)).id;
  });

  const ingest = async (candidates: ReadingCandidate[]) => {
    const meter = await meterOf(patientId);
    return getDb().transaction(async (tx) => {
      const patient = await authorizePatient(tx, meter, "reading:create", patientId);
      return ingestReadings(tx, { actor: meter, patient, source: "device", origin: "test:meter" }, candidates, now);
    });
  };

  it("stores value and unit as received, the normalized value, the offset and the censoring", async () => {
    const outcome = await ingest([
      candidate(0, { value: 5.4, unit: "mmol/L", dedupeKey: "exact:1", mealContext: "before-meal", note: "after a walk" }),
      candidate(1, { value: 20, censored: "below", dedupeKey: "exact:2", specimen: "capillary" }),
    ]);
    expect(outcome).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    const rows = await getDb()
      .select()
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.patientId, patientId)))
      .orderBy(glucoseReadings.id);
    const byKey = new Map(rows.map((row) => [row.dedupeKey, row]));
    expect(byKey.get("exact:1")).toMatchObject({
      valueAsReceived: 5.4, unit: "mmol/L", valueMgdl: 97.284, censored: null, utcOffsetMinutes: 60,
      specimen: "interstitial", source: "device", mealContext: "before-meal", note: "after a walk", version: 1,
      effectiveAt: new Date(now.getTime() - 300_000),
    });
    expect(byKey.get("exact:2")).toMatchObject({ valueAsReceived: 20, censored: "below", specimen: "capillary" });
  });

  it("counts a replayed batch as duplicates and stores nothing new", async () => {
    const batch = Array.from({ length: 288 }, (_, i) => candidate(i, { dedupeKey: `replay:${i}` }));
    expect(await ingest(batch)).toMatchObject({ accepted: 288, duplicates: 0 });
    const before = await countReadingsOf(patientId);
    expect(await ingest(batch)).toMatchObject({ accepted: 0, duplicates: 288, rejected: [] });
    expect(await countReadingsOf(patientId)).toBe(before);
  });

  it("stores one of two identical readings inside one batch, and half-overlapping batches add only what is new", async () => {
    expect(await ingest([candidate(0, { dedupeKey: "twin" }), candidate(1, { dedupeKey: "twin" })])).toMatchObject({ accepted: 1, duplicates: 1 });
    const first = Array.from({ length: 10 }, (_, i) => candidate(i, { dedupeKey: `overlap:${i}` }));
    const second = Array.from({ length: 10 }, (_, i) => candidate(i + 5, { dedupeKey: `overlap:${i + 5}` }));
    await ingest(first);
    expect(await ingest(second)).toMatchObject({ accepted: 5, duplicates: 5 });
  });

  it("rejects what no meter reports with the position and the reason, and stores the valid rest", async () => {
    const before = await countReadingsOf(patientId);
    const outcome = await ingest([
      candidate(0, { dedupeKey: "mixed:0" }),
      candidate(1, { dedupeKey: "mixed:1", value: 5 }),
      candidate(2, { dedupeKey: "mixed:2", effectiveAt: new Date(now.getTime() + 11 * 60_000) }),
      candidate(3, { dedupeKey: "mixed:3", value: 140, unit: "mmol/L" }),
    ]);
    expect(outcome.accepted).toBe(1);
    expect(outcome.rejected).toEqual([
      { index: 1, kind: "implausible-value", reason: expect.stringContaining("outside what any meter reports") },
      { index: 2, kind: "future-time", reason: expect.stringContaining("more than 10 minutes in the future") },
      { index: 3, kind: "implausible-value", reason: expect.stringContaining("0.6 to 55.5 mmol/L") },
    ]);
    expect(await countReadingsOf(patientId)).toBe(before + 1);
  });

  it("never deduplicates readings without a key (hand entries)", async () => {
    const same = candidate(0, { dedupeKey: null, specimen: "capillary" });
    expect(await ingest([same, same])).toMatchObject({ accepted: 2, duplicates: 0 });
  });

  it("writes nothing when the transaction fails after the insert", async () => {
    const before = await countReadingsOf(patientId);
    const meter = await meterOf(patientId);
    await expect(
      getDb().transaction(async (tx) => {
        const patient = await authorizePatient(tx, meter, "reading:create", patientId);
        await ingestReadings(tx, { actor: meter, patient, source: "device", origin: "test:meter" }, [candidate(0, { dedupeKey: "rolled-back" })], now);
        throw new Error("the caller failed after the insert");
      }),
    ).rejects.toThrow("the caller failed");
    expect(await countReadingsOf(patientId)).toBe(before);
  });
});
