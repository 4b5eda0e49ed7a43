import { beforeAll, describe, expect, it } from "vitest";
import { GET as readObservationRoute } from "@/app/fhir/Observation/[id]/route";
import { GET as historyRoute } from "@/app/fhir/Observation/[id]/%5Fhistory/route";
import { POST as submitRoute } from "@/app/fhir/$submit-cgm-bundle/route";
import { POST as bundleRoute } from "@/app/fhir/route";
import { POST as createObservationRoute, GET as searchObservationsRoute } from "@/app/fhir/Observation/route";
import { GET as readDeviceRoute } from "@/app/fhir/Device/[id]/route";
import { GET as searchDevicesRoute } from "@/app/fhir/Device/route";
import { GET as searchPractitionersRoute } from "@/app/fhir/Practitioner/route";
import { GET as readOrganizationRoute } from "@/app/fhir/Organization/[id]/route";
import { GET as readPractitionerRoute } from "@/app/fhir/Practitioner/[id]/route";
import { GET as summaryRoute } from "@/app/fhir/Patient/[id]/$cgm-summary/route";
import { GET as readPatientRoute } from "@/app/fhir/Patient/[id]/route";
import { GET as searchPatientsRoute } from "@/app/fhir/Patient/route";
import { getDb } from "@/db/client";
import { devices } from "@/db/schema";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { addManualReading, correctManualReading } from "@/lib/readings/manual-entry";
import { countReadingsOf, ingestForTest, insertBackendClientToken, insertOrganization, insertPatient, insertPatientWithAccount, insertUser } from "@/test/factories";

type Bundle = { resourceType: "Bundle"; type: string; total?: number; link: { relation: string; url: string }[]; entry?: { resource: { resourceType: string; id: string; effectiveDateTime?: string; meta?: { versionId?: string } }; search?: { mode: string } }[] };

const base = "http://lantern.test/fhir";
const start = Date.parse("2026-08-01T00:00:00Z");


function get(path: string, token: string | undefined) {
  return new Request(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function json<T>(response: Response): Promise<T> {
  expect(response.headers.get("content-type")).toContain("application/fhir+json");
  return (await response.json()) as T;
}

describe("FHIR API on real data", () => {
  let token: string;
  let patientId: string;
  let otherOrgPatientId: string;
  let otherOrgObservationId: number;

  beforeAll(async () => {
    const organization = await insertOrganization();
    token = await insertBackendClientToken(organization.id, ["system/Patient.rs", "system/Observation.rs"]);
    patientId = (await insertPatient(organization.id)).id;
    const candidates: ReadingCandidate[] = Array.from({ length: 10_000 }, (_, i) => ({
      position: i, value: 90 + (i % 100), unit: "mg/dL", censored: null, effectiveAt: new Date(start + i * 300_000),
      utcOffsetMinutes: 60, specimen: "interstitial", dedupeKey: `fhir-test:${i}`,
    }));
    await ingestForTest(patientId, candidates);
    const other = await insertOrganization();
    otherOrgPatientId = (await insertPatient(other.id)).id;
    const outcome = await ingestForTest(otherOrgPatientId, [{ ...candidates[0]!, dedupeKey: "other" }]);
    otherOrgObservationId = outcome.insertedIds[0]!;
  });

  it("pages through every result with next links, none repeated or missing, even with inserts meanwhile", async () => {
    const seen: string[] = [];
    let url: string | undefined = `/Observation?patient=${patientId}&_count=1000`;
    let pages = 0;
    while (url) {
      const bundle: Bundle = await json<Bundle>(await searchObservationsRoute(get(url, token)));
      expect(bundle.type).toBe("searchset");
      seen.push(...(bundle.entry ?? []).map((e) => e.resource.id));
      if (pages === 0) {
        // A reading inserted before the first page's end must not shift later pages.
        await ingestForTest(patientId, [{ position: 0, value: 100, unit: "mg/dL", censored: null, effectiveAt: new Date(start - 60_000), utcOffsetMinutes: 0, specimen: "interstitial", dedupeKey: "late-arrival" }]);
      }
      const next = bundle.link.find((l) => l.relation === "next")?.url;
      url = next?.replace(base, "");
      pages++;
    }
    expect(pages).toBe(10);
    expect(seen).toHaveLength(10_000);
    expect(new Set(seen).size).toBe(10_000);
  });

  it("goes back with previous links to the same page", async () => {
    const first = await json<Bundle>(await searchObservationsRoute(get(`/Observation?patient=${patientId}&_count=10&_sort=-date`, token)));
    const second = await json<Bundle>(await searchObservationsRoute(get(first.link.find((l) => l.relation === "next")!.url.replace(base, ""), token)));
    const back = await json<Bundle>(await searchObservationsRoute(get(second.link.find((l) => l.relation === "previous")!.url.replace(base, ""), token)));
    expect(back.entry!.map((e) => e.resource.id)).toEqual(first.entry!.map((e) => e.resource.id));
  });

  it.each([
    [`date=ge2026-08-01T00:00:00Z&date=lt2026-08-01T01:00:00Z`, 12],
    [`date=eq2026-08-02`, 288],
    [`date=lt2026-08-01T00:10:00Z`, 3],
    [`code=http://loinc.org|99504-3&date=eq2026-08-02`, 288],
    [`code=http://loinc.org|41653-7`, 0],
    [`category=laboratory&date=eq2026-08-02`, 288],
    [`category=vital-signs`, 0],
  ])("counts %s: %i", async (query, expected) => {
    const bundle = await json<Bundle>(await searchObservationsRoute(get(`/Observation?patient=${patientId}&${query}&_summary=count`, token)));
    expect(bundle.total).toBe(expected);
  });

  it("computes the CGM IG summary for a period, and 404s for another organization's patient", async () => {
    const period = "start=2026-08-01T00:00:00Z&end=2026-08-15T00:00:00Z";
    const bundle = await json<{ entry: { resource: { code: { coding: { code: string }[] }; hasMember?: unknown[]; effectivePeriod: { start: string } } }[] }>(
      await summaryRoute(get(`/Patient/${patientId}/$cgm-summary?${period}`, token), { params: Promise.resolve({ id: patientId }) }),
    );
    const panel = bundle.entry[0]!.resource;
    expect(panel.code.coding[0]!.code).toBe("107931-8");
    expect(panel.hasMember!.length).toBeGreaterThanOrEqual(6);
    expect(bundle.entry.every((e) => e.resource.effectivePeriod.start.startsWith("2026-08-01"))).toBe(true);
    const foreign = await summaryRoute(get(`/Patient/${otherOrgPatientId}/$cgm-summary?${period}`, token), { params: Promise.resolve({ id: otherOrgPatientId }) });
    expect(foreign.status).toBe(404);
    const bad = await summaryRoute(get(`/Patient/${patientId}/$cgm-summary?start=soon`, token), { params: Promise.resolve({ id: patientId }) });
    expect(bad.status).toBe(400);
  });

  it("includes the subject once per page", async () => {
    const bundle = await json<Bundle>(await searchObservationsRoute(get(`/Observation?patient=${patientId}&_count=5&_include=Observation:subject`, token)));
    const included = bundle.entry!.filter((e) => e.search?.mode === "include");
    expect(included.map((e) => `${e.resource.resourceType}/${e.resource.id}`)).toEqual([`Patient/${patientId}`]);
  });

  it("answers 404 for another organization's patient and observation, and totals do not count them", async () => {
    expect((await readPatientRoute(get(`/Patient/${otherOrgPatientId}`, token), { params: Promise.resolve({ id: otherOrgPatientId }) })).status).toBe(404);
    const observation = await readObservationRoute(get(`/Observation/${otherOrgObservationId}`, token), { params: Promise.resolve({ id: String(otherOrgObservationId) }) });
    expect(observation.status).toBe(404);
    expect(await json<{ resourceType: string }>(observation)).toMatchObject({ resourceType: "OperationOutcome" });
    const count = await json<Bundle>(await searchObservationsRoute(get(`/Observation?patient=${otherOrgPatientId}&_summary=count`, token)));
    expect(count.total).toBe(0);
    const patients = await json<Bundle>(await searchPatientsRoute(get(`/Patient?_id=${otherOrgPatientId}`, token)));
    expect(patients.entry ?? []).toHaveLength(0);
  });

  // Calls without any token fall back to the portal session, which needs a request scope: e2e/fhir-api.spec.ts.
  it.each(["lnt_at_unknown", "not-even-a-token"])("answers the token %s with 401 and an OperationOutcome", async (badToken) => {
    const response = await searchObservationsRoute(get(`/Observation?patient=${patientId}`, badToken));
    expect(response.status).toBe(401);
    expect(await json<{ resourceType: string }>(response)).toMatchObject({ resourceType: "OperationOutcome" });
  });

  it("answers 403 when the token lacks the scope", async () => {
    const organization = await insertOrganization();
    const patientsOnly = await insertBackendClientToken(organization.id, ["system/Patient.rs"]);
    expect((await searchObservationsRoute(get(`/Observation?patient=${patientId}`, patientsOnly))).status).toBe(403);
  });

  it("answers 400 naming a bad parameter", async () => {
    const response = await searchObservationsRoute(get(`/Observation?patient=${patientId}&date=yesterday`, token));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("date");
  });

  it("reads a corrected reading as version 2 with its history and ETag", async () => {
    const organization = await insertOrganization();
    const { actor, patientId: ownPatientId } = await insertPatientWithAccount(organization.id);
    const ownToken = await insertBackendClientToken(organization.id, ["system/Observation.rs"]);
    const { readingId } = await addManualReading(actor, ownPatientId, { value: "412", unit: "mg/dL", takenAt: "2026-11-20T08:00" });
    const insertedIds = [readingId];
    const id = String(insertedIds[0]);
    await correctManualReading(actor, ownPatientId, insertedIds[0]!, { value: "142", unit: "mg/dL", takenAt: "2026-11-20T08:00" });
    const current = await readObservationRoute(get(`/Observation/${id}`, ownToken), { params: Promise.resolve({ id }) });
    expect(current.headers.get("etag")).toBe('W/"2"');
    expect(await json<{ meta: { versionId: string } }>(current)).toMatchObject({ meta: { versionId: "2" } });
    const history = await json<Bundle>(await historyRoute(get(`/Observation/${id}/_history`, ownToken), { params: Promise.resolve({ id }) }));
    expect(history.entry!.map((e) => e.resource.meta?.versionId)).toEqual(["2", "1"]);
  });
});

describe("FHIR writes", () => {
  let token: string;
  let patientId: string;
  let foreignPatientId: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    token = await insertBackendClientToken(organization.id, ["system/Observation.rs", "system/Observation.c"]);
    patientId = (await insertPatient(organization.id)).id;
    foreignPatientId = (await insertPatient((await insertOrganization()).id)).id;
  });

  const observation = (patient: string, time: string, extra: Record<string, unknown> = {}) => ({
    resourceType: "Observation",
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
    code: { coding: [{ system: "http://loinc.org", code: "99504-3" }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: time,
    valueQuantity: { value: 123, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
    ...extra,
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    new Request(`${base}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/fhir+json", ...headers }, body: JSON.stringify(body) });

  it("creates an Observation, and If-None-Exist returns the stored one instead of a second", async () => {
    const body = observation(patientId, "2026-11-20T08:00:00+01:00", { identifier: [{ system: "urn:ehr", value: "obs-77" }] });
    const created = await createObservationRoute(post("/Observation", body));
    expect(created.status).toBe(201);
    const stored = await json<{ id: string; effectiveDateTime: string }>(created);
    expect(stored.effectiveDateTime).toBe("2026-11-20T08:00:00+01:00");
    const again = await createObservationRoute(post("/Observation", body, { "if-none-exist": "identifier=urn:ehr|obs-77" }));
    expect(again.status).toBe(200);
    expect((await json<{ id: string }>(again)).id).toBe(stored.id);
    const count = await json<Bundle>(await searchObservationsRoute(get(`/Observation?patient=${patientId}&_summary=count`, token)));
    expect(count.total).toBe(1);
  });

  it.each([
    ["a non-glucose code", { code: { coding: [{ system: "http://loinc.org", code: "8867-4" }] } }, 422],
    ["an impossible value", { valueQuantity: { value: 4000, system: "http://unitsofmeasure.org", code: "mg/dL" } }, 422],
    ["no offset on the time", { effectiveDateTime: "2026-11-20T08:00:00" }, 400],
  ])("refuses %s with %i and an OperationOutcome", async (_label, change, status) => {
    const response = await createObservationRoute(post("/Observation", observation(patientId, "2026-11-20T09:00:00Z", change)));
    expect(response.status).toBe(status);
    expect(await json<{ resourceType: string }>(response)).toMatchObject({ resourceType: "OperationOutcome" });
  });

  it("answers 404 for another organization's patient and stores nothing", async () => {
    const response = await createObservationRoute(post("/Observation", observation(foreignPatientId, "2026-11-20T09:00:00Z")));
    expect(response.status).toBe(404);
    expect(await countReadingsOf(foreignPatientId)).toBe(0);
  });

  it("a transaction Bundle is all or nothing; a batch answers each entry", async () => {
    const entry = (patient: string, time: string, value = 123) => ({
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: observation(patient, time, { valueQuantity: { value, system: "http://unitsofmeasure.org", code: "mg/dL" } }),
      request: { method: "POST", url: "Observation" },
    });
    const before = await countReadingsOf(patientId);
    const refused = await bundleRoute(post("", { resourceType: "Bundle", type: "transaction", entry: [entry(patientId, "2026-11-22T08:00:00Z"), entry(patientId, "2026-11-22T08:05:00Z", 5000)] }));
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain("entry[1]");
    expect(await countReadingsOf(patientId)).toBe(before);

    const foreign = await bundleRoute(post("", { resourceType: "Bundle", type: "transaction", entry: [entry(patientId, "2026-11-22T08:00:00Z"), entry(foreignPatientId, "2026-11-22T08:05:00Z")] }));
    expect(foreign.status).toBe(404);
    expect(await countReadingsOf(patientId)).toBe(before);

    const accepted = await json<{ type: string; entry: { response: { status: string; location?: string } }[] }>(
      await bundleRoute(post("", { resourceType: "Bundle", type: "transaction", entry: [entry(patientId, "2026-11-22T08:00:00Z"), entry(patientId, "2026-11-22T08:05:00Z")] })),
    );
    expect(accepted.type).toBe("transaction-response");
    expect(accepted.entry.map((e) => e.response.status.slice(0, 3))).toEqual(["201", "201"]);
    expect(accepted.entry[0]!.response.location).toMatch(/^Observation\/\d+\/_history\/1$/);

    const batch = await json<{ type: string; entry: { response: { status: string } }[] }>(
      await bundleRoute(post("", { resourceType: "Bundle", type: "batch", entry: [entry(patientId, "2026-11-22T09:00:00Z"), entry(patientId, "2026-11-22T09:05:00Z", 5000), { resource: { resourceType: "Patient" }, request: { method: "PUT", url: "Patient/x" } }] })),
    );
    expect(batch.type).toBe("batch-response");
    expect(batch.entry.map((e) => e.response.status.slice(0, 3))).toEqual(["201", "422", "400"]);
    expect(await countReadingsOf(patientId)).toBe(before + 3);
  });

  it("$submit-cgm-bundle stores the readings and gives every entry a status, in order", async () => {
    const bundle = {
      resourceType: "Bundle",
      type: "transaction",
      entry: [
        { resource: observation(patientId, "2026-11-21T08:00:00Z"), request: { method: "POST", url: "Observation" } },
        { resource: observation(patientId, "2026-11-21T08:05:00Z"), request: { method: "POST", url: "Observation" } },
        { resource: { resourceType: "DiagnosticReport", status: "final", code: { text: "CGM report" } }, request: { method: "POST", url: "DiagnosticReport" } },
        { resource: observation(patientId, "2026-11-21T08:10:00Z", { valueQuantity: { value: 2, code: "mg/dL" } }), request: { method: "POST", url: "Observation" } },
        { resource: observation(foreignPatientId, "2026-11-21T08:15:00Z"), request: { method: "POST", url: "Observation" } },
      ],
    };
    const response = await submitRoute(post("/$submit-cgm-bundle", bundle));
    expect(response.status).toBe(200);
    const result = await json<{ type: string; entry: { response: { status: string } }[] }>(response);
    expect(result.type).toBe("transaction-response");
    expect(result.entry.map((e) => e.response.status.slice(0, 3))).toEqual(["201", "201", "422", "422", "404"]);
    const resubmitted = await json<{ entry: { response: { status: string } }[] }>(await submitRoute(post("/$submit-cgm-bundle", bundle)));
    expect(resubmitted.entry.map((e) => e.response.status.slice(0, 3))).toEqual(["200", "200", "422", "422", "404"]);
    expect(await countReadingsOf(foreignPatientId)).toBe(0);
  });
});

describe("FHIR directory reads", () => {
  it("reads its own organization's devices, organization and clinicians, and 404s for another's", async () => {
    const own = await insertOrganization();
    const other = await insertOrganization();
    const ownToken = await insertBackendClientToken(own.id, ["system/Device.rs", "system/Organization.rs", "system/Practitioner.rs"]);
    const ownPatient = await insertPatient(own.id);
    const otherPatient = await insertPatient(other.id);
    const [ownDevice, otherDevice] = await getDb()
      .insert(devices)
      .values([
        { patientId: ownPatient.id, kind: "cgm", model: "G7", serialNumber: "OWN-1" },
        { patientId: otherPatient.id, kind: "cgm", model: "G7", serialNumber: "OTHER-1" },
      ])
      .returning({ id: devices.id });
    const ownClinician = await insertUser(own.id, "clinician");
    const otherClinician = await insertUser(other.id, "clinician");
    type IdRoute = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;
    const read = (route: IdRoute, type: string, id: string) => route(get(`/${type}/${id}`, ownToken), { params: Promise.resolve({ id }) });

    const device = await json<{ resourceType: string; serialNumber: string }>(await read(readDeviceRoute, "Device", ownDevice!.id));
    expect(device).toMatchObject({ resourceType: "Device", serialNumber: "OWN-1" });
    expect((await read(readDeviceRoute, "Device", otherDevice!.id)).status).toBe(404);
    expect((await read(readOrganizationRoute, "Organization", own.id)).status).toBe(200);
    expect((await read(readOrganizationRoute, "Organization", other.id)).status).toBe(404);
    expect((await read(readPractitionerRoute, "Practitioner", ownClinician.userId)).status).toBe(200);
    expect((await read(readPractitionerRoute, "Practitioner", otherClinician.userId)).status).toBe(404);

    const deviceSearch = await json<Bundle>(await searchDevicesRoute(get(`/Device?patient=Patient/${ownPatient.id},${otherPatient.id}`, ownToken)));
    expect(deviceSearch.entry!.map((e) => e.resource.id)).toEqual([ownDevice!.id]);
    const practitioners = await json<Bundle>(await searchPractitionersRoute(get("/Practitioner", ownToken)));
    expect(practitioners.entry!.map((e) => e.resource.id)).toEqual([ownClinician.userId]);
  });
});
