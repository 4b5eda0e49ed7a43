import { beforeAll, describe, expect, it } from "vitest";
import { LIBREVIEW_US } from "@/lib/readings/import/fixtures";
import { isAppError } from "@/lib/errors";
import { countReadingsOf, insertCareTeam, insertOrganization, insertPatient, insertPatientWithAccount, insertUser, type InsertedUser } from "@/test/factories";
import { POST as importRoute } from "@/app/api/patients/[patientId]/imports/route";
import { authorizeImport, importReadingsFile, type ImportProgress } from "./file-import";
import { PREVIEW_BYTES } from "./limits";

/** A file as the browser streams it, in chunks that split lines (and UTF-8 characters) anywhere. */
function streamOf(text: string, chunkSize = 97): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

const now = new Date("2026-11-25T10:00:00Z");

function genericFile(startIso: string, count: number, stepMinutes = 5): string {
  const start = Date.parse(startIso);
  // The value follows from the time, as in two overlapping exports of one sensor.
  const lines = Array.from({ length: count }, (_, i) => {
    const time = start + i * stepMinutes * 60_000;
    return `${new Date(time).toISOString()},${100 + (Math.floor(time / 300_000) % 60)},mg/dL,interstitial`;
  });
  return `time,value,unit,specimen\n${lines.join("\n")}\n`;
}

describe("meter export files", () => {
  let owner: InsertedUser;
  let patientId: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    const patient = await insertPatientWithAccount(organization.id, { timezone: "America/New_York" });
    owner = patient.actor;
    patientId = patient.patientId;
  });

  it("previews a LibreView file without writing: format, readings, period, skipped rows", async () => {
    const before = await countReadingsOf(patientId);
    const summary = await importReadingsFile(owner, patientId, streamOf(LIBREVIEW_US), "preview", undefined, now);
    expect(summary).toMatchObject({ format: "libreview", readings: 7, skippedRows: 3, rejectedRows: 0 });
    // 11-09-2026 11:52 PM in New York (UTC-05:00).
    expect(summary.firstTime).toBe("2026-11-10T04:52:00.000Z");
    expect(summary.accepted).toBeUndefined();
    expect(await countReadingsOf(patientId)).toBe(before);
  });

  it("imports a file once; the same file again adds nothing, and an overlapping one only what is new", async () => {
    const before = await countReadingsOf(patientId);
    const first = await importReadingsFile(owner, patientId, streamOf(genericFile("2026-11-20T00:00:00Z", 100)), "commit", undefined, now);
    expect(first).toMatchObject({ readings: 100, accepted: 100, duplicates: 0 });
    const again = await importReadingsFile(owner, patientId, streamOf(genericFile("2026-11-20T00:00:00Z", 100), 4096), "commit", undefined, now);
    expect(again).toMatchObject({ accepted: 0, duplicates: 100 });
    const overlapping = await importReadingsFile(owner, patientId, streamOf(genericFile("2026-11-20T04:10:00Z", 100)), "commit", undefined, now);
    expect(overlapping).toMatchObject({ accepted: 50, duplicates: 50 });
    expect(await countReadingsOf(patientId)).toBe(before + 150);
  });

  it("lists rejected rows with their row number and reason and imports the rest", async () => {
    const file = ["time,value,unit", "2026-11-21T08:00:00Z,112,mg/dL", "2026-11-21T08:05:00Z,abc,mg/dL", "2026-11-21T08:10:00Z,5,mg/dL", "2027-01-01T00:00:00Z,100,mg/dL", "2026-11-21T08:15:00Z,6.1,mmol/L"].join("\n");
    const summary = await importReadingsFile(owner, patientId, streamOf(file), "commit", undefined, now);
    expect(summary).toMatchObject({ readings: 2, accepted: 2, rejectedRows: 3 });
    expect(summary.rejections.map((r) => r.row)).toEqual([3, 4, 5]);
    expect(summary.rejections[1]!.reason).toMatch(/^Row 4: 5 mg\/dL is outside what any meter reports/);
    expect(summary.rejections[2]!.reason).toMatch(/^Row 5: .*more than 10 minutes in the future/);
  });

  it("reads local times in the patient's zone and explains the hour repeated when clocks go back", async () => {
    const file = ["time,value,unit,specimen", "2026-11-01T00:45,100,mg/dL,interstitial", "2026-11-01T01:15,101,mg/dL,interstitial", "2026-11-01T01:45,102,mg/dL,interstitial", "2026-11-01T01:15,103,mg/dL,interstitial", "2026-11-01T01:45,104,mg/dL,interstitial", "2026-03-08T02:30,105,mg/dL,interstitial"].join("\n");
    const summary = await importReadingsFile(owner, patientId, streamOf(file), "commit", undefined, now);
    expect(summary).toMatchObject({ readings: 5, accepted: 5, rejectedRows: 1 });
    expect(summary.rejections[0]!.reason).toBe("Row 7: 2026-03-08 02:30 did not happen in America/New_York (the clocks went forward)");
    expect(summary.timeNotes).toEqual([
      expect.stringContaining("On 2026-11-01 the clocks went back in America/New_York"),
      expect.stringContaining("On 2026-03-08 the clocks went forward"),
    ]);
  });

  it("refuses an unknown format with a clear error and writes nothing", async () => {
    const before = await countReadingsOf(patientId);
    const error = await importReadingsFile(owner, patientId, streamOf("Date;Glucose\n2026-11-01;100\n"), "commit", undefined, now).catch((e: unknown) => e);
    expect(isAppError(error, "invalid_input")).toBe(true);
    expect((error as Error).message).toMatch(/LibreView|Clarity|time,value,unit/);
    expect(await countReadingsOf(patientId)).toBe(before);
  });

  it("previews a large file from its first megabyte only, estimating the rest, and writes nothing", async () => {
    const text = genericFile("2025-01-01T00:00:00Z", 60_000);
    const before = await countReadingsOf(patientId);
    let pulled = 0;
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(pulled, pulled + 65_536));
        pulled += 65_536;
      },
    });
    const run = await authorizeImport(owner, patientId);
    const summary = await run(stream, "preview", { now, fileBytes: bytes.length });
    expect(pulled).toBeLessThanOrEqual(PREVIEW_BYTES + 65_536);
    expect(summary.sampled).toMatchObject({ fileBytes: bytes.length });
    expect(summary.sampled!.estimatedReadings! / 60_000).toBeCloseTo(1, 1);
    expect(summary.rejectedRows).toBe(0);
    expect(await countReadingsOf(patientId)).toBe(before);
  });

  it("reports progress while committing a large file in batches", async () => {
    const progress: ImportProgress[] = [];
    const summary = await importReadingsFile(owner, patientId, streamOf(genericFile("2025-09-01T00:00:00Z", 12_000), 65_536), "commit", (p) => progress.push(p), now);
    expect(summary.accepted).toBe(12_000);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)!.rows).toBe(12_000);
  });

  it("answers not found for a patient the actor may not see, and writes nothing", async () => {
    const organization = await insertOrganization();
    const clinician = await insertUser(organization.id, "clinician");
    const ownPatient = await insertPatient(organization.id);
    await insertCareTeam(organization.id, { clinicianUserIds: [clinician.userId], patientIds: [ownPatient.id] });
    const before = await countReadingsOf(patientId);
    const error = await importReadingsFile(clinician, patientId, streamOf(genericFile("2026-11-22T00:00:00Z", 3)), "commit", undefined, now).catch((e: unknown) => e);
    expect(isAppError(error, "not_found")).toBe(true);
    expect(await countReadingsOf(patientId)).toBe(before);
    await expect(importReadingsFile(clinician, ownPatient.id, streamOf(genericFile("2026-11-22T00:00:00Z", 3)), "commit", undefined, now)).resolves.toMatchObject({ accepted: 3 });
  });
});

describe("the import endpoint refuses what a page on another site could send", () => {
  it.each([
    ["a foreign Origin", { origin: "https://evil.example", "content-type": "application/octet-stream" }],
    ["a cross-site fetch", { "sec-fetch-site": "cross-site", "content-type": "application/octet-stream" }],
  ])("%s is 403 before anything is read or imported", async (_label, headers) => {
    const patientId = "6f1c2d4e-0000-4000-8000-000000000001";
    const response = await importRoute(
      new Request(`http://lantern.test/api/patients/${patientId}/imports?mode=commit`, { method: "POST", headers, body: "time,value,unit\n" }),
      { params: Promise.resolve({ patientId }) },
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "forbidden" });
  });
});
