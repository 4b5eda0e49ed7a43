import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as readDeviceRoute } from "@/app/fhir/Device/[id]/route";
import { GET as readObservationRoute } from "@/app/fhir/Observation/[id]/route";
import { GET as vreadRoute } from "@/app/fhir/Observation/[id]/%5Fhistory/[vid]/route";
import { GET as readOrganizationRoute } from "@/app/fhir/Organization/[id]/route";
import { GET as readPatientRoute } from "@/app/fhir/Patient/[id]/route";
import { GET as readPractitionerRoute } from "@/app/fhir/Practitioner/[id]/route";
import { getDb } from "@/db/client";
import { devices } from "@/db/schema";
import { addManualReading, correctManualReading } from "@/lib/readings/manual-entry";
import { insertBackendClientToken, insertOrganization, insertPatient, insertPatientWithAccount, insertUser } from "@/test/factories";

type IdRoute = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const base = "http://lantern.test/fhir";
let token: string;

function read(route: IdRoute, path: string, params: Record<string, string>, ifNoneMatch?: string) {
  return route(new Request(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...(ifNoneMatch ? { "if-none-match": ifNoneMatch } : {}) } }), { params: Promise.resolve(params) });
}

describe("conditional read: ETag, Last-Modified and If-None-Match", () => {
  let organizationId: string;
  let patientId: string;
  let readingId: string;
  let patientActor: Awaited<ReturnType<typeof insertPatientWithAccount>>["actor"];

  beforeAll(async () => {
    organizationId = (await insertOrganization()).id;
    token = await insertBackendClientToken(organizationId, ["system/*.rs"]);
    ({ actor: patientActor, patientId } = await insertPatientWithAccount(organizationId));
    readingId = String((await addManualReading(patientActor, patientId, { value: "120", unit: "mg/dL", takenAt: "2026-11-20T08:00" })).readingId);
  });

  it("answers 304 with no body for an Observation's current version, and 200 once it is corrected", async () => {
    const first = await read(readObservationRoute, `/Observation/${readingId}`, { id: readingId });
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).toBe('W/"1"');
    expect(new Date(first.headers.get("last-modified")!).getTime()).toBeGreaterThan(0);
    for (const tag of ['W/"1"', '"1"', 'W/"7", W/"1"', "*"]) {
      const again = await read(readObservationRoute, `/Observation/${readingId}`, { id: readingId }, tag);
      expect([tag, again.status]).toEqual([tag, 304]);
      expect(again.headers.get("etag")).toBe('W/"1"');
      expect(await again.text()).toBe("");
    }
    await correctManualReading(patientActor, patientId, Number(readingId), { value: "121", unit: "mg/dL", takenAt: "2026-11-20T08:00" });
    const changed = await read(readObservationRoute, `/Observation/${readingId}`, { id: readingId }, 'W/"1"');
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).toBe('W/"2"');
    expect((await read(vreadRoute, `/Observation/${readingId}/_history/1`, { id: readingId, vid: "1" }, 'W/"1"')).status).toBe(304);
  });

  it("gives Patient, Device, Organization and Practitioner reads an ETag of what they show, and Last-Modified", async () => {
    const [device] = await getDb().insert(devices).values({ patientId, kind: "cgm", model: "G7", serialNumber: "ETAG-1" }).returning({ id: devices.id });
    const clinician = await insertUser(organizationId, "clinician");
    const cases: [IdRoute, string, string][] = [
      [readPatientRoute, "Patient", patientId],
      [readDeviceRoute, "Device", device!.id],
      [readOrganizationRoute, "Organization", organizationId],
      [readPractitionerRoute, "Practitioner", clinician.userId],
    ];
    for (const [route, type, id] of cases) {
      const first = await read(route, `/${type}/${id}`, { id });
      expect([type, first.status]).toEqual([type, 200]);
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{22}"$/);
      expect(Date.now() - new Date(first.headers.get("last-modified")!).getTime()).toBeLessThan(60_000);
      expect([type, (await read(route, `/${type}/${id}`, { id }, etag)).status]).toEqual([type, 304]);
      expect([type, (await read(route, `/${type}/${id}`, { id }, 'W/"something-else"')).status]).toEqual([type, 200]);
    }
  });

  it("changes a Device's ETag and Last-Modified when what it shows changes (revoked: inactive)", async () => {
    const [device] = await getDb().insert(devices).values({ patientId, kind: "cgm", model: "G7", serialNumber: "ETAG-2" }).returning({ id: devices.id });
    const before = await read(readDeviceRoute, `/Device/${device!.id}`, { id: device!.id });
    const revokedAt = new Date(Date.now() + 5_000);
    await getDb().update(devices).set({ revokedAt }).where(eq(devices.id, device!.id));
    const after = await read(readDeviceRoute, `/Device/${device!.id}`, { id: device!.id }, before.headers.get("etag")!);
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    expect(after.headers.get("last-modified")).toBe(revokedAt.toUTCString());
  });

  it("answers 404, not 304, for what the caller may not see, whatever If-None-Match says", async () => {
    const foreign = (await insertPatient((await insertOrganization()).id)).id;
    expect((await read(readPatientRoute, `/Patient/${foreign}`, { id: foreign }, "*")).status).toBe(404);
  });
});
