import { beforeAll, describe, expect, it } from "vitest";
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
});
