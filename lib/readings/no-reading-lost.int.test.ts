import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as deviceReadingsRoute } from "@/app/api/devices/readings/route";
import { POST as uploaderEntriesRoute } from "@/app/api/v1/entries/route";
import { POST as submitRoute } from "@/app/fhir/$submit-cgm-bundle/route";
import { GET as searchObservationsRoute, POST as createObservationRoute } from "@/app/fhir/Observation/route";
import { POST as bundleRoute } from "@/app/fhir/route";
import { getDb } from "@/db/client";
import { glucoseReadings } from "@/db/schema";
import { internalOrigin } from "@/lib/access/actor";
import { listPatientDevices } from "@/lib/devices/registry";
import { importReadingsFile } from "@/lib/imports/file-import";
import { computeGlycemicSummary } from "@/lib/metrics/glycemic";
import { readingsForSummary } from "@/lib/fhir/server/observations";
import { sha1Hex } from "@/lib/security/tokens";
import { createUploaderSecret } from "@/lib/uploader/credentials";
import { insertBackendClientToken, insertOrganization, insertPatientWithAccount, pairedMeter, type InsertedUser } from "@/test/factories";

/**
 * Issue 14's findings, each through the door that dropped a reading while answering success.
 * Every assertion is about what was stored, not only what was answered.
 */

const json = (body: unknown, headers: Record<string, string>) =>
  ({ method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }) as const;

const observation = (patientId: string, value: number, effective: string, identifier?: { system: string; value: string }) => ({
  resourceType: "Observation",
  status: "final",
  code: { coding: [{ system: "http://loinc.org", code: "99504-3" }] },
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: effective,
  valueQuantity: { value, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
  ...(identifier ? { identifier: [identifier] } : {}),
});

const transaction = (type: "transaction" | "batch", resources: object[]) => ({
  resourceType: "Bundle",
  type,
  entry: resources.map((resource) => ({ resource, request: { method: "POST", url: "Observation" } })),
});

async function storedValues(patientId: string): Promise<number[]> {
  const rows = await getDb().select({ value: glucoseReadings.valueAsReceived }).from(glucoseReadings).where(eq(glucoseReadings.patientId, patientId)).orderBy(asc(glucoseReadings.id));
  return rows.map((row) => row.value);
}

let organizationId: string;
let token: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  token = await insertBackendClientToken(organizationId, ["system/Observation.rs", "system/Observation.cu"]);
});

async function freshPatient(): Promise<{ patientId: string; owner: InsertedUser }> {
  const { patientId, actor } = await insertPatientWithAccount(organizationId, { timezone: "Europe/London" });
  return { patientId, owner: actor };
}

const fhir = (path: string, body: unknown) => new Request(`http://lantern.test/fhir${path}`, json(body, { authorization: `Bearer ${token}`, "content-type": "application/fhir+json" }));

describe("2. FHIR Bundles: two readings at one time, and one identifier at two times", () => {
  it("$submit-cgm-bundle stores 101 and 188 at the same time with no identifier, each at its own Location", async () => {
    const { patientId } = await freshPatient();
    const at = "2026-11-02T08:00:00+00:00";
    const response = await submitRoute(fhir("/$submit-cgm-bundle", transaction("transaction", [observation(patientId, 101, at), observation(patientId, 188, at)])));
    const body = (await response.json()) as { entry: { response: { status: string; location?: string } }[] };
    expect(body.entry.map((e) => e.response.status)).toEqual(["201 Created", "201 Created"]);
    expect(body.entry[0]!.response.location).not.toBe(body.entry[1]!.response.location);
    expect((await storedValues(patientId)).sort()).toEqual([101, 188]);
  });

  it("$submit-cgm-bundle refuses the same identifier at another time with a 409 that names the conflict, and never answers it with the other reading", async () => {
    const { patientId } = await freshPatient();
    const id = { system: "urn:hospital:obs", value: "obs-77" };
    const response = await submitRoute(
      fhir("/$submit-cgm-bundle", transaction("transaction", [observation(patientId, 102, "2026-11-02T08:00:00Z", id), observation(patientId, 177, "2026-11-02T09:00:00Z", id)])),
    );
    const body = (await response.json()) as { entry: { response: { status: string; location?: string; outcome?: { issue: { diagnostics: string }[] } } }[] };
    expect(body.entry[0]!.response.status).toBe("201 Created");
    expect(body.entry[1]!.response).toMatchObject({ status: "409 Conflict" });
    expect(body.entry[1]!.response.location).toBeUndefined();
    expect(body.entry[1]!.response.outcome!.issue[0]!.diagnostics).toMatch(/urn:hospital:obs\|obs-77 already names Bundle.entry\[0\]/);
    expect(await storedValues(patientId)).toEqual([102]);
  });

  it("a transaction Bundle with that conflict is refused whole, storing nothing", async () => {
    const { patientId } = await freshPatient();
    const id = { system: "urn:hospital:obs", value: "obs-88" };
    const response = await bundleRoute(fhir("", transaction("transaction", [observation(patientId, 102, "2026-11-02T08:00:00Z", id), observation(patientId, 177, "2026-11-02T09:00:00Z", id)])));
    expect(response.status).toBe(409);
    expect(await storedValues(patientId)).toEqual([]);
  });

  it("the same reading twice in one Bundle is 201 then 200 with the same Location", async () => {
    const { patientId } = await freshPatient();
    const same = observation(patientId, 140, "2026-11-02T10:00:00Z");
    const body = (await (await bundleRoute(fhir("", transaction("batch", [same, same])))).json()) as { entry: { response: { status: string; location?: string } }[] };
    expect(body.entry.map((e) => e.response.status)).toEqual(["201 Created", "200 OK"]);
    expect(body.entry[1]!.response.location).toBe(body.entry[0]!.response.location);
    expect(await storedValues(patientId)).toEqual([140]);
  });
});

describe("5. POST /fhir/Observation without an identifier", () => {
  it("stores 250 after 132 at the same time and specimen, and answers a resend of 132 with the stored 132", async () => {
    const { patientId } = await freshPatient();
    const at = "2026-11-03T08:00:00+00:00";
    const first = await createObservationRoute(fhir("/Observation", observation(patientId, 132, at)));
    const second = await createObservationRoute(fhir("/Observation", observation(patientId, 250, at)));
    const again = await createObservationRoute(fhir("/Observation", observation(patientId, 132, at)));
    expect([first.status, second.status, again.status]).toEqual([201, 201, 200]);
    const [a, b, c] = (await Promise.all([first.json(), second.json(), again.json()])) as { id: string; valueQuantity: { value: number } }[];
    expect(b!.id).not.toBe(a!.id);
    expect(c).toMatchObject({ id: a!.id, valueQuantity: { value: 132 } });
    expect((await storedValues(patientId)).sort()).toEqual([132, 250]);
  });

  it("answers the same identifier with another value as a conflict naming the stored Observation", async () => {
    const { patientId } = await freshPatient();
    const id = { system: "urn:hospital:obs", value: "single-1" };
    const first = await createObservationRoute(fhir("/Observation", observation(patientId, 90, "2026-11-03T08:00:00Z", id)));
    const stored = (await first.json()) as { id: string };
    const conflict = await createObservationRoute(fhir("/Observation", observation(patientId, 95, "2026-11-03T08:00:00Z", id)));
    expect(conflict.status).toBe(409);
    expect(JSON.stringify(await conflict.json())).toContain(`Observation/${stored.id}`);
    expect(await storedValues(patientId)).toEqual([90]);
  });
});

describe("4. A meter whose memory was reset re-uses a sequence number", () => {
  it("stores the new reading (seq 1042 at another time and value) and still answers a true resend as a duplicate", async () => {
    const { patientId } = await freshPatient();
    const meter = await pairedMeter(patientId, "fingerstick-meter");
    const post = (readings: object[]) => deviceReadingsRoute(new Request("http://lantern.test/api/devices/readings", json({ readings }, { authorization: `Bearer ${meter.token}` })));
    const before = { time: "2026-11-01T08:00:00+00:00", value: 110, unit: "mg/dL", seq: 1042 };
    expect(await (await post([before])).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await (await post([{ ...before, time: "2026-11-20T07:00:00+00:00", value: 250 }])).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await (await post([before])).json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await storedValues(patientId)).sort()).toEqual([110, 250]);
  });
});

describe("7. Times that cannot be right, at every door", () => {
  it("refuses a reset meter clock, 1970 and 1999 uploader dates, a 1970 CSV row and a 1990 FHIR Observation, saying why", async () => {
    const { patientId, owner } = await freshPatient();
    const meter = await pairedMeter(patientId);
    const device = await deviceReadingsRoute(
      new Request("http://lantern.test/api/devices/readings", json({ readings: [{ time: "2000-01-01T00:00:00Z", value: 120, unit: "mg/dL" }] }, { authorization: `Bearer ${meter.token}` })),
    );
    expect(await device.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: expect.stringContaining("the meter's clock looks unset: 2000-01-01") }] });
    const [reported] = await listPatientDevices(owner, patientId);
    expect(reported!.clockProblem).toContain("the meter's clock looks unset: 2000-01-01");

    const { secret } = await createUploaderSecret(owner, patientId);
    const entries = [Date.UTC(1970, 0, 1, 0, 5), Date.UTC(1999, 5, 1, 12)].map((date) => ({ type: "sgv", sgv: 120, date }));
    const uploaded = await uploaderEntriesRoute(new Request("http://lantern.test/api/v1/entries", json(entries, { "api-secret": sha1Hex(secret) })));
    expect(uploaded.status).toBe(200);

    const csv = "time,value,unit\n1970-01-01T00:00,120,mg/dL\n";
    const file = await importReadingsFile({ ...owner, origin: internalOrigin() }, patientId, new Blob([csv]).stream(), "commit");
    expect(file.rejections).toEqual([expect.objectContaining({ reason: expect.stringContaining("clock looks unset: 1970-01-01") })]);

    const old = await createObservationRoute(fhir("/Observation", observation(patientId, 120, "1990-06-01T08:00:00Z")));
    expect(old.status).toBe(422);
    expect(JSON.stringify(await old.json())).toMatch(/before 2005-01-01/);

    expect(await storedValues(patientId)).toEqual([]);
  });
});

describe("the meter's clock state", () => {
  it("is cleared by the next upload whose times are right", async () => {
    const { patientId, owner } = await freshPatient();
    const meter = await pairedMeter(patientId);
    const post = (time: string) =>
      deviceReadingsRoute(new Request("http://lantern.test/api/devices/readings", json({ readings: [{ time, value: 120, unit: "mg/dL" }] }, { authorization: `Bearer ${meter.token}` })));
    await post(new Date(Date.now() + 86_400_000).toISOString());
    expect((await listPatientDevices(owner, patientId))[0]!.clockProblem).toMatch(/more than 10 minutes in the future/);
    await post(new Date(Date.now() - 60_000).toISOString());
    expect((await listPatientDevices(owner, patientId))[0]).toMatchObject({ clockProblem: null, clockProblemAt: null });
  });
});

describe("8. Uploader values: only the protocol's codes are censored", () => {
  it("stores sgv 450 as 450 and sgv 39 as below 40", async () => {
    const { patientId, owner } = await freshPatient();
    const { secret } = await createUploaderSecret(owner, patientId);
    const date = Date.now() - 3_600_000;
    const response = await uploaderEntriesRoute(
      new Request("http://lantern.test/api/v1/entries", json([{ type: "sgv", sgv: 450, date, device: "xDrip-LibreReceiver" }, { type: "sgv", sgv: "39", date: String(date + 300_000), device: "xDrip-LibreReceiver" }], { "api-secret": sha1Hex(secret) })),
    );
    expect(response.status).toBe(200);
    const rows = await getDb().select({ value: glucoseReadings.valueAsReceived, censored: glucoseReadings.censored }).from(glucoseReadings).where(eq(glucoseReadings.patientId, patientId)).orderBy(asc(glucoseReadings.effectiveAt));
    expect(rows).toEqual([{ value: 450, censored: null }, { value: 40, censored: "below" }]);
  });
});

describe("9. The same sensor by two doors", () => {
  it("stores both deliveries with their provenance and counts the 576 readings once: reports, searches and followers see 576", async () => {
    const { patientId, owner } = await freshPatient();
    const meter = await pairedMeter(patientId);
    const { secret } = await createUploaderSecret(owner, patientId);
    const start = Date.UTC(2026, 10, 10);
    const values = Array.from({ length: 576 }, (_, i) => 80 + ((i * 7) % 160));
    const times = values.map((_, i) => start + i * 300_000);

    for (let day = 0; day < 2; day++) {
      const slice = values.slice(day * 288, day * 288 + 288);
      const readings = slice.map((value, i) => ({ time: new Date(times[day * 288 + i]!).toISOString(), value, unit: "mg/dL", seq: day * 288 + i }));
      const device = await deviceReadingsRoute(new Request("http://lantern.test/api/devices/readings", json({ readings }, { authorization: `Bearer ${meter.token}` })));
      expect(await device.json()).toMatchObject({ accepted: 288 });
      const entries = slice.map((sgv, i) => ({ type: "sgv", sgv, date: times[day * 288 + i]!, device: "xDrip-DexcomG6" }));
      expect((await uploaderEntriesRoute(new Request("http://lantern.test/api/v1/entries", json(entries, { "api-secret": sha1Hex(secret) })))).status).toBe(200);
    }

    const [all] = await getDb().select({ count: sql<number>`count(*)::int` }).from(glucoseReadings).where(eq(glucoseReadings.patientId, patientId));
    const [counted] = await getDb().select({ count: sql<number>`count(*)::int` }).from(glucoseReadings).where(and(eq(glucoseReadings.patientId, patientId), isNull(glucoseReadings.duplicateOfId)));
    expect({ stored: all!.count, counted: counted!.count }).toEqual({ stored: 1152, counted: 576 });
    const origins = await getDb().selectDistinct({ origin: glucoseReadings.origin }).from(glucoseReadings).where(eq(glucoseReadings.patientId, patientId));
    expect(origins.map((row) => row.origin).sort()).toEqual([`device:${meter.deviceId}`, "uploader:xDrip-DexcomG6"]);

    const period = { start: new Date(start), end: new Date(start + 2 * 86_400_000) };
    const { readings } = await readingsForSummary(owner, patientId, { kind: "instants", ...period });
    const summary = computeGlycemicSummary(readings, period);
    const oneDoor = computeGlycemicSummary(values.map((valueMgdl, i) => ({ valueMgdl, censored: null, effectiveAt: new Date(times[i]!), specimen: "interstitial" as const })), period);
    expect(summary).toEqual(oneDoor);

    const search = await searchObservationsRoute(new Request(`http://lantern.test/fhir/Observation?patient=${patientId}&_summary=count`, { headers: { authorization: `Bearer ${token}` } }));
    expect(await search.json()).toMatchObject({ total: 576 });
  });
});
