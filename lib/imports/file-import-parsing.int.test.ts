import { beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { libreHeader, libreRow } from "@/lib/readings/import/test-helpers";
import { insertOrganization, insertPatientWithAccount, type InsertedUser } from "@/test/factories";
import { importReadingsFile } from "./file-import";

// The pure layer of the file door (reading identity, decoding) as the import service uses it.

function streamOf(bytes: Uint8Array, chunkSize = 97): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}
const utf8 = (text: string) => new TextEncoder().encode(text);
const utf16le = (text: string) => new Uint8Array([0xff, 0xfe, ...Buffer.from(text, "utf16le")]);

const now = new Date("2026-11-25T10:00:00Z");

describe("file import: reading identity", () => {
  let owner: InsertedUser;
  let patientId: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    const patient = await insertPatientWithAccount(organization.id, { timezone: "Europe/London" });
    owner = patient.actor;
    patientId = patient.patientId;
  });

  it("stores a LibreView historic reading and a scan from one serial at the same minute as two readings", async () => {
    const file = [
      libreHeader(),
      libreRow({ ts: "11-13-2026 08:00 AM", type: 0, historic: "104" }),
      libreRow({ ts: "11-13-2026 08:00 AM", type: 1, scan: "110" }),
    ].join("\n");
    const first = await importReadingsFile(owner, patientId, streamOf(utf8(file)), "commit", undefined, now);
    expect(first).toMatchObject({ readings: 2, accepted: 2, duplicates: 0 });
    const again = await importReadingsFile(owner, patientId, streamOf(utf8(file)), "commit", undefined, now);
    expect(again).toMatchObject({ readings: 2, accepted: 0, duplicates: 2 });
  });

  it("rejects a row dated by a reset clock, saying so", async () => {
    const file = ["time,value,unit", "1970-01-01T00:00,112,mg/dL", "1999-06-01T08:00,113,mg/dL", "2026-11-20T08:00,114,mg/dL"].join("\n");
    const summary = await importReadingsFile(owner, patientId, streamOf(utf8(file)), "preview", undefined, now);
    expect(summary).toMatchObject({ readings: 1, rejectedRows: 2 });
    expect(summary.rejections.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^Row 2: the meter's clock looks unset: 1970-01-01/),
      expect.stringMatching(/^Row 3: the time 1999-06-01T07:00:00.000Z is before 2005-01-01/),
    ]);
  });
});

describe("file import: text encodings", () => {
  let owner: InsertedUser;
  let patientId: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    const patient = await insertPatientWithAccount(organization.id, { timezone: "Europe/London" });
    owner = patient.actor;
    patientId = patient.patientId;
  });

  it("reads Excel's Unicode text (UTF-16 LE, tab-separated) and says so in the preview", async () => {
    const file = "time\tvalue\tunit\r\n2026-11-20T08:00\t5,4\tmmol/L\r\n2026-11-20T08:05\t5,6\tmmol/L\r\n";
    const summary = await importReadingsFile(owner, patientId, streamOf(utf16le(file), 33), "preview", undefined, now);
    expect(summary).toMatchObject({ format: "generic", readings: 2, rejectedRows: 0, encoding: "UTF-16 LE (Excel Unicode text)" });
    expect((await importReadingsFile(owner, patientId, streamOf(utf8(file)), "preview", undefined, now)).encoding).toBe("UTF-8");
  });

  it("refuses a Windows-1252 file with an error naming the encoding and how to export again", async () => {
    const file = new Uint8Array([...utf8("time,value,unit\n2026-11-20T08:00,100,mg/dL\n2026-11-20T08:05,"), 0xb5, ...utf8(",mg/dL\n")]);
    const error = await importReadingsFile(owner, patientId, streamOf(file), "preview", undefined, now).catch((e: unknown) => e);
    expect(isAppError(error, "invalid_input")).toBe(true);
    expect((error as Error).message).toMatch(/looks like Windows-1252.*CSV UTF-8/);
  });
});
