import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as submitRoute } from "@/app/fhir/$submit-cgm-bundle/route";
import { POST as createObservationRoute } from "@/app/fhir/Observation/route";
import { POST as bundleRoute } from "@/app/fhir/route";
import { countReadingsOf, insertBackendClientToken, insertOrganization, insertPatient } from "@/test/factories";

/** Writes answer with FHIR's statuses: 400 not a valid Observation, 404 no such subject, 422 a valid one Lantern does not store. */

const base = "http://lantern.test/fhir";
const examples = path.join(import.meta.dirname, "..", "profiles", "cgm-ig", "examples");
const example = (name: string) => JSON.parse(readFileSync(path.join(examples, name), "utf8")) as Record<string, unknown>;
const summaryExamples = readdirSync(examples).filter((name) => name.startsWith("Observation-cgmSummary"));

type Outcome = { resourceType: string; issue: { severity: string; code: string; diagnostics: string; expression?: string[] }[] };
type ResponseBundle = { type: string; entry: { response: { status: string; location?: string; outcome?: Outcome } }[] };

let token: string;
let patientId: string;

const post = (pathname: string, body: unknown) =>
  new Request(`${base}${pathname}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/fhir+json" }, body: JSON.stringify(body) });

const reading = (time: string, extra: Record<string, unknown> = {}) => ({
  ...example("Observation-cgmSensorReadingMassPerVolumeExample.json"),
  id: undefined,
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: time,
  ...extra,
});
const entry = (resource: unknown) => ({ fullUrl: `urn:uuid:${crypto.randomUUID()}`, resource, request: { method: "POST", url: "Observation" } });

beforeAll(async () => {
  const organizationId = (await insertOrganization()).id;
  token = await insertBackendClientToken(organizationId, ["system/Observation.rs", "system/Observation.c"]);
  patientId = (await insertPatient(organizationId)).id;
});

describe("POST /fhir/Observation", () => {
  it("finds the CGM IG's summary examples", () => {
    expect(summaryExamples).toHaveLength(8);
  });

  it.each(summaryExamples)("answers the IG's own %s with 422: a summary is computed, not stored", async (name) => {
    const response = await createObservationRoute(post("/Observation", { ...example(name), subject: { reference: `Patient/${patientId}` } }));
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as Outcome;
    expect(outcome.issue[0]).toMatchObject({ code: "business-rule", expression: ["Observation.code"], diagnostics: expect.stringContaining("$cgm-summary") });
  });

  it("answers a reading sent over a period with 422 saying a reading is one instant", async () => {
    const response = await createObservationRoute(post("/Observation", reading("2026-11-20T08:00:00Z", { effectiveDateTime: undefined, effectivePeriod: { start: "2026-11-01", end: "2026-11-14" } })));
    expect(response.status).toBe(422);
    expect(((await response.json()) as Outcome).issue[0]).toMatchObject({ expression: ["Observation.effectiveDateTime"], diagnostics: expect.stringContaining("has an effectivePeriod") });
  });

  it.each([
    ["the IG's own example as it is (Patient/patientExample)", () => ({ ...example("Observation-cgmSensorReadingMassPerVolumeExample.json"), effectiveDateTime: "2026-11-20T08:00:00Z" })],
    ["a patient id that was never issued", () => reading("2026-11-20T08:00:00Z", { subject: { reference: "Patient/00000000-0000-4000-8000-000000000000" } })],
  ])("answers a subject that does not exist with 404: %s", async (_what, body) => {
    const response = await createObservationRoute(post("/Observation", body()));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "not-found" }] });
  });

  it.each([
    ["a status that is no Observation status", { status: "done" }, 400],
    ["a time with no offset (invalid R4)", { effectiveDateTime: "2026-11-20T08:00:00" }, 400],
    ["a cancelled reading", { status: "cancelled" }, 422],
    ["a value in another unit", { valueQuantity: { value: 6.7, system: "http://unitsofmeasure.org", code: "mmol/L" } }, 422],
    ["a value no meter reports", { valueQuantity: { value: 4000, system: "http://unitsofmeasure.org", code: "mg/dL" } }, 422],
  ])("answers %s with %i", async (_what, change, status) => {
    expect((await createObservationRoute(post("/Observation", reading("2026-11-20T09:00:00Z", change)))).status).toBe(status);
  });
});

describe("the same reading twice in one Bundle", () => {
  it("$submit-cgm-bundle: the first entry is 201, the second 200 naming the same Observation; resent, both 200", async () => {
    const same = reading("2026-11-21T10:00:00Z");
    const bundle = { resourceType: "Bundle", type: "transaction", entry: [entry(same), entry(same)] };
    const first = (await (await submitRoute(post("/$submit-cgm-bundle", bundle))).json()) as ResponseBundle;
    expect(first.entry.map((e) => e.response.status)).toEqual(["201 Created", "200 OK"]);
    expect(first.entry[1]!.response.location).toBe(first.entry[0]!.response.location);
    const again = (await (await submitRoute(post("/$submit-cgm-bundle", bundle))).json()) as ResponseBundle;
    expect(again.entry.map((e) => e.response.status)).toEqual(["200 OK", "200 OK"]);
    expect(again.entry[0]!.response.location).toBe(first.entry[0]!.response.location);
  });

  it("a transaction: the first entry is 201, the second 200, one reading stored", async () => {
    const before = await countReadingsOf(patientId);
    const same = reading("2026-11-21T11:00:00Z", { identifier: [{ system: "urn:ehr", value: `twice-${crypto.randomUUID()}` }] });
    const response = (await (await bundleRoute(post("", { resourceType: "Bundle", type: "transaction", entry: [entry(same), entry(same)] }))).json()) as ResponseBundle;
    expect(response.type).toBe("transaction-response");
    expect(response.entry.map((e) => e.response.status)).toEqual(["201 Created", "200 OK"]);
    expect(await countReadingsOf(patientId)).toBe(before + 1);
  });

  it("a transaction with a subject that does not exist is refused whole with 404", async () => {
    const before = await countReadingsOf(patientId);
    const response = await bundleRoute(post("", { resourceType: "Bundle", type: "transaction", entry: [entry(reading("2026-11-21T12:00:00Z")), entry(reading("2026-11-21T12:05:00Z", { subject: { reference: "Patient/patientExample" } }))] }));
    expect(response.status).toBe(404);
    expect(await countReadingsOf(patientId)).toBe(before);
  });
});

describe("Bundle types", () => {
  it.each([
    ["$submit-cgm-bundle", () => submitRoute(post("/$submit-cgm-bundle", { resourceType: "Bundle", type: "collection", entry: [entry(reading("2026-11-21T13:00:00Z"))] }))],
    ["$submit-cgm-bundle (as Parameters)", () => submitRoute(post("/$submit-cgm-bundle", { resourceType: "Parameters", parameter: [{ name: "resource", resource: { resourceType: "Bundle", type: "collection", entry: [] } }] }))],
    ["POST /fhir", () => bundleRoute(post("", { resourceType: "Bundle", type: "collection", entry: [entry(reading("2026-11-21T13:00:00Z"))] }))],
  ])("%s refuses a collection Bundle with 400, storing nothing", async (_door, send) => {
    const before = await countReadingsOf(patientId);
    const response = await send();
    expect(response.status).toBe(400);
    expect(((await response.json()) as Outcome).issue[0]!.diagnostics).toMatch(/transaction/);
    expect(await countReadingsOf(patientId)).toBe(before);
  });
});
