import "@/test/next-async-storage";
import fc from "fast-check";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { POST as pairRoute } from "@/app/api/devices/pair/route";
import { POST as deviceReadingsRoute } from "@/app/api/devices/readings/route";
import { POST as importRoute } from "@/app/api/patients/[patientId]/imports/route";
import { GET as glucoseReportRoute } from "@/app/api/patients/[patientId]/glucose-report/route";
import { POST as v1DeviceStatusRoute } from "@/app/api/v1/devicestatus/route";
import { GET as v1EntriesSearchRoute, POST as v1EntriesRoute } from "@/app/api/v1/entries/route";
import { POST as v1TreatmentsRoute, PUT as v1TreatmentsPutRoute } from "@/app/api/v1/treatments/route";
import { GET as v3EntriesSearchRoute, POST as v3EntriesRoute } from "@/app/api/v3/entries/route";
import { POST as v3DeviceStatusRoute } from "@/app/api/v3/devicestatus/route";
import { PATCH as v3TreatmentPatchRoute } from "@/app/api/v3/treatments/[identifier]/route";
import { POST as v3TreatmentsRoute } from "@/app/api/v3/treatments/route";
import { POST as submitBundleRoute } from "@/app/fhir/$submit-cgm-bundle/route";
import { GET as searchDevicesRoute } from "@/app/fhir/Device/route";
import { GET as searchFlagsRoute } from "@/app/fhir/Flag/route";
import { GET as searchObservationsRoute, POST as createObservationRoute } from "@/app/fhir/Observation/route";
import { GET as searchPatientsRoute } from "@/app/fhir/Patient/route";
import { POST as tokenRoute } from "@/app/fhir/auth/token/route";
import { POST as bundleRoute } from "@/app/fhir/route";
import { getDb } from "@/db/client";
import { deviceStatuses, glucoseReadings, treatments } from "@/db/schema";
import { inRequestScope } from "@/test/next-request";
import { buildSweepWorld, credentialHeaders, type ActorName, type SweepWorld } from "@/test/sweep-world";

vi.hoisted(() => {
  // Thousands of requests a minute from one credential: the per-credential limit is not under test here.
  process.env.LANTERN_API_REQUESTS_PER_MINUTE = "100000";
});

/**
 * Issue 12, "Hostile input": random and hostile bodies, files and query strings through every
 * door that parses input (device JSON, Nightscout entries, treatments and device status in API
 * v1 and v3, meter export files, FHIR resources and Bundles, the token endpoint, paging cursors
 * and search parameters). Every answer is a success or a 4xx whose body says what to fix, never a
 * 500; and a refused request leaves the patient's readings, treatments and device reports as
 * they were. The server actions' forms get the same treatment in hostile-forms.property.int.test.ts.
 */

/**
 * Runs per property: every run is a request through the real door into the database, and there
 * are two dozen properties, so the default keeps the file near a minute on two shared cores. The
 * pure parsers behind the doors run thousands of cases each in their own property tests;
 * `LANTERN_FUZZ_RUNS=1000` runs a deep sweep here.
 */
const RUNS = Number(process.env.LANTERN_FUZZ_RUNS ?? 40);
let world: SweepWorld;

beforeAll(async () => {
  world = await buildSweepWorld();
}, 120_000);

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Text PostgreSQL and JSON parsers find hard: NUL, lone surrogates, huge numbers, long strings. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("\u0000", "\ud800", "\udfff", "1e309", "-0", "NaN", "Infinity", "0x10", "9".repeat(400), "__proto__", "constructor", "2026-02-30T25:61:00Z", "+275760-09-13T00:00:00.001Z", "-271821-04-20T00:00:00Z"),
);
const nastyNumber = fc.oneof(fc.double(), fc.integer(), fc.bigInt().map(Number), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, -1e21, 8.64e15 + 1, 0, -1));
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** A valid document with one to three of its fields replaced by hostile values or removed. */
function mutated(valid: () => Record<string, unknown>): fc.Arbitrary<unknown> {
  return fc
    .array(fc.record({ key: fc.oneof(fc.constantFrom(...Object.keys(valid())), nastyString), value: fc.option(nastyValue, { nil: undefined }) }), { minLength: 1, maxLength: 3 })
    .map((changes) => {
      const document: Record<string, unknown> = valid();
      for (const { key, value } of changes) {
        if (value === undefined) delete document[key];
        else document[key] = value;
      }
      return document;
    });
}

/** A JSON body: a mutated valid document, alone or in an array, random JSON, or text that is not JSON at all. */
function jsonBody(valid: () => Record<string, unknown>, shape: "object" | "array" | "either"): fc.Arbitrary<string> {
  const document = mutated(valid);
  const structured = shape === "object" ? document : shape === "array" ? fc.array(document, { maxLength: 4 }) : fc.oneof(document, fc.array(document, { maxLength: 4 }));
  return fc.oneof(
    { weight: 6, arbitrary: structured.map((value) => JSON.stringify(value) ?? "null") },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? "null") },
    { weight: 1, arbitrary: structured.chain((value) => fc.nat().map((cut) => { const text = JSON.stringify(value) ?? ""; return text.slice(0, cut % (text.length + 1)); })) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  );
}

/** P's id once the world exists (the arbitraries are built before it, and only read their keys then). */
const subjectId = () => world?.patients.P.id ?? "00000000-0000-4000-8000-000000000000";

const recent = () => new Date(Date.now() - 60_000 * (1 + Math.floor(Math.random() * 20_000)));

// ---------------------------------------------------------------------------------------------
// Calls and the property

interface Door {
  name: string;
  actor: ActorName;
  call: (request: Request) => Promise<Response>;
  url: string;
  method?: string;
  contentType: string;
}

async function rowCounts(patientId: string) {
  const count = async (table: typeof glucoseReadings | typeof treatments | typeof deviceStatuses) =>
    (await getDb().select({ count: sql<number>`count(*)::int` }).from(table).where(eq(table.patientId, patientId)))[0]!.count;
  return { readings: await count(glucoseReadings), treatments: await count(treatments), deviceStatuses: await count(deviceStatuses) };
}

/** The sentence an error body carries: `message` in the JSON APIs, `diagnostics` in an OperationOutcome, `error_description` at the token endpoint. */
function sentenceOf(body: unknown): string | undefined {
  const document = body as { message?: unknown; issue?: Array<{ diagnostics?: unknown }>; error_description?: unknown; status?: unknown };
  const text = document?.message ?? document?.issue?.[0]?.diagnostics ?? document?.error_description;
  return typeof text === "string" ? text : undefined;
}

/**
 * Nightscout API v3 answers a document that is not there (404) or was deleted (410) with its bare
 * envelope `{ status }`, as Nightscout does and as AndroidAPS expects: the status is the answer.
 */
const isV3DocumentStatus = (door: Door, answer: { status: number; body: unknown }) =>
  door.name.includes("/api/v3/") && (answer.status === 404 || answer.status === 410) && JSON.stringify(answer.body) === JSON.stringify({ status: answer.status });

async function send(door: Door, body: string | undefined, url = door.url): Promise<{ status: number; body: unknown; text: string }> {
  const headers: Record<string, string> = { ...(await credentialHeaders(world, door.actor)), ...(body === undefined ? {} : { "content-type": door.contentType }) };
  const request = new Request(url, { method: door.method ?? (body === undefined ? "GET" : "POST"), headers, body });
  const response = await inRequestScope(headers.cookie ?? null, () => door.call(request));
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: checked below.
  }
  return { status: response.status, body: parsed, text };
}

/** The property every door keeps: success or a 4xx with a sentence, and nothing written when refused. */
async function expectCleanAnswer(door: Door, body: string | undefined, url?: string): Promise<void> {
  const before = await rowCounts(world.patients.P.id);
  const answer = await send(door, body, url);
  const context = `${door.name} answered ${answer.status} to ${JSON.stringify(body ?? url)?.slice(0, 300)}: ${answer.text.slice(0, 300)}`;
  expect(answer.status, context).toBeLessThan(500);
  if (answer.status >= 400) {
    if (!isV3DocumentStatus(door, answer)) expect(sentenceOf(answer.body)?.length ?? 0, `${context}\nno sentence saying what to fix`).toBeGreaterThan(10);
    expect(await rowCounts(world.patients.P.id), `${context}\nrefused but wrote`).toEqual(before);
  }
}

const routeParams = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

// ---------------------------------------------------------------------------------------------

describe("hostile JSON bodies at every door that takes one", () => {
  const doors: Array<Door & { body: fc.Arbitrary<string> }> = [
    {
      name: "POST /api/devices/readings",
      actor: "device",
      call: (request) => deviceReadingsRoute(request),
      url: "http://lantern.test/api/devices/readings",
      contentType: "application/json",
      body: fc.oneof(
        jsonBody(() => ({ readings: [{ value: 105, unit: "mg/dL", effectiveAt: recent().toISOString(), specimen: "interstitial" }] }), "object"),
        fc.array(mutated(() => ({ value: 105, unit: "mg/dL", effectiveAt: recent().toISOString(), specimen: "interstitial", sequence: 1 })), { maxLength: 4 }).map((readings) => JSON.stringify({ readings })),
      ),
    },
    {
      name: "POST /api/devices/pair",
      actor: "anonymous",
      call: (request) => pairRoute(request),
      url: "http://lantern.test/api/devices/pair",
      contentType: "application/json",
      body: jsonBody(() => ({ code: "123456", serialNumber: "SN-1", model: "Meter", kind: "cgm" }), "object"),
    },
    {
      name: "POST /api/v1/entries",
      actor: "uploader",
      call: (request) => v1EntriesRoute(request),
      url: "http://lantern.test/api/v1/entries",
      contentType: "application/json",
      body: jsonBody(() => { const at = recent(); return { type: "sgv", sgv: 105, date: at.getTime(), dateString: at.toISOString(), direction: "Flat", device: "xDrip", utcOffset: 60, noise: 1 }; }, "either"),
    },
    {
      name: "POST /api/v1/treatments",
      actor: "uploader",
      call: (request) => v1TreatmentsRoute(request),
      url: "http://lantern.test/api/v1/treatments",
      contentType: "application/json",
      body: jsonBody(() => ({ eventType: "Meal Bolus", carbs: 30, insulin: 2.5, created_at: recent().toISOString(), enteredBy: "AndroidAPS", _id: crypto.randomUUID().replaceAll("-", "").slice(0, 24), duration: 30, absolute: 1.2 }), "either"),
    },
    {
      name: "PUT /api/v1/treatments",
      actor: "uploader",
      method: "PUT",
      call: (request) => v1TreatmentsPutRoute(request),
      url: "http://lantern.test/api/v1/treatments",
      contentType: "application/json",
      body: jsonBody(() => ({ eventType: "Temp Basal", rate: 0.5, created_at: recent().toISOString(), enteredBy: "Loop", _id: crypto.randomUUID().replaceAll("-", "").slice(0, 24) }), "either"),
    },
    {
      name: "POST /api/v1/devicestatus",
      actor: "uploader",
      call: (request) => v1DeviceStatusRoute(request),
      url: "http://lantern.test/api/v1/devicestatus",
      contentType: "application/json",
      body: jsonBody(() => ({ device: "openaps://phone", created_at: recent().toISOString(), uploaderBattery: 80, pump: { reservoir: 100, battery: { percent: 50 } }, openaps: { iob: { iob: 1.2 } } }), "either"),
    },
    {
      name: "POST /api/v3/entries",
      actor: "uploader",
      call: (request) => v3EntriesRoute(request),
      url: "http://lantern.test/api/v3/entries",
      contentType: "application/json",
      body: jsonBody(() => ({ type: "sgv", sgv: 105, date: recent().getTime(), app: "xDrip", device: "G7", utcOffset: 60, identifier: crypto.randomUUID() }), "object"),
    },
    {
      name: "POST /api/v3/treatments",
      actor: "uploader",
      call: (request) => v3TreatmentsRoute(request),
      url: "http://lantern.test/api/v3/treatments",
      contentType: "application/json",
      body: jsonBody(() => ({ eventType: "Correction Bolus", insulin: 1.5, date: recent().getTime(), app: "AndroidAPS", identifier: crypto.randomUUID() }), "object"),
    },
    {
      name: "POST /api/v3/devicestatus",
      actor: "uploader",
      call: (request) => v3DeviceStatusRoute(request),
      url: "http://lantern.test/api/v3/devicestatus",
      contentType: "application/json",
      body: jsonBody(() => ({ device: "loop://iPhone", date: recent().getTime(), app: "Loop", uploaderBattery: 80, loop: { iob: { iob: 1 } } }), "object"),
    },
    {
      name: "POST /fhir/Observation",
      actor: "backend",
      call: (request) => createObservationRoute(request),
      url: "http://lantern.test/fhir/Observation",
      contentType: "application/fhir+json",
      body: jsonBody(() => observation(subjectId()), "object"),
    },
    {
      name: "POST /fhir/$submit-cgm-bundle",
      actor: "backend",
      call: (request) => submitBundleRoute(request),
      url: "http://lantern.test/fhir/$submit-cgm-bundle",
      contentType: "application/fhir+json",
      body: fc.oneof(
        jsonBody(() => ({ resourceType: "Bundle", type: "batch", entry: [{ resource: observation(subjectId()), request: { method: "POST", url: "Observation" } }] }), "object"),
        fc.array(mutated(() => ({ resource: observation(subjectId()), request: { method: "POST", url: "Observation" } })), { maxLength: 3 }).map((entry) => JSON.stringify({ resourceType: "Bundle", type: "batch", entry })),
        fc.array(mutated(() => observation(subjectId())), { maxLength: 3 }).map((resources) =>
          JSON.stringify({ resourceType: "Bundle", type: "batch", entry: resources.map((resource) => ({ resource, request: { method: "POST", url: "Observation" } })) }),
        ),
      ),
    },
    {
      name: "POST /fhir (batch and transaction Bundles)",
      actor: "backend",
      call: (request) => bundleRoute(request),
      url: "http://lantern.test/fhir",
      contentType: "application/fhir+json",
      body: fc.oneof(
        jsonBody(() => ({ resourceType: "Bundle", type: "transaction", entry: [{ resource: observation(subjectId()), request: { method: "POST", url: "Observation" } }] }), "object"),
        fc.tuple(fc.constantFrom("batch", "transaction"), fc.array(mutated(() => ({ resource: observation(subjectId()), request: { method: "POST", url: "Observation" } })), { maxLength: 3 })).map(([type, entry]) =>
          JSON.stringify({ resourceType: "Bundle", type, entry }),
        ),
      ),
    },
  ];

  for (const door of doors) {
    it(`${door.name}: never a 500, a sentence with every refusal, nothing written when refused`, async () => {
      await fc.assert(fc.asyncProperty(door.body, (body) => expectCleanAnswer(door, body)), { numRuns: RUNS });
    }, 60_000);
  }

  it("PATCH /api/v3/treatments/<identifier>: the same", async () => {
    const door: Door = { name: "PATCH /api/v3/treatments/<identifier>", actor: "uploader", method: "PATCH", call: () => Promise.reject(new Error("set per call")), url: "", contentType: "application/json" };
    await fc.assert(
      // As Next.js hands it over: decoded, so well-formed (a lone surrogate cannot arrive in a path).
      fc.asyncProperty(fc.oneof(nastyString, fc.constant(crypto.randomUUID())).map((text) => Buffer.from(text).toString()), jsonBody(() => ({ carbs: 20, notes: "patched", date: recent().getTime() }), "object"), async (identifier, body) => {
        const url = `http://lantern.test/api/v3/treatments/${encodeURIComponent(identifier)}`;
        await expectCleanAnswer({ ...door, call: (request) => v3TreatmentPatchRoute(request, routeParams({ identifier })) }, body, url);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it("POST /fhir/auth/token: form bodies and assertions that are not what they claim", async () => {
    const door: Door = { name: "POST /fhir/auth/token", actor: "anonymous", call: (request) => tokenRoute(request), url: "http://lantern.test/fhir/auth/token", contentType: "application/x-www-form-urlencoded" };
    const jwtLike = fc.tuple(nastyString, nastyString, nastyString).map((parts) => parts.map((part) => Buffer.from(part).toString("base64url")).join("."));
    const form = fc.record(
      { grant_type: fc.oneof(fc.constant("client_credentials"), nastyString), scope: fc.oneof(fc.constant("system/Patient.rs"), nastyString), client_assertion_type: fc.oneof(fc.constant("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), nastyString), client_assertion: fc.oneof(jwtLike, nastyString) },
      { requiredKeys: [] },
    );
    await fc.assert(fc.asyncProperty(fc.oneof(form.map((fields) => new URLSearchParams(fields as Record<string, string>).toString()), fc.string({ unit: "binary", maxLength: 200 })), (body) => expectCleanAnswer(door, body)), { numRuns: RUNS });
  }, 60_000);
});

describe("what the fuzzing found, pinned", () => {
  it.each([
    ["POST /fhir/$submit-cgm-bundle", "http://lantern.test/fhir/$submit-cgm-bundle", (request: Request) => submitBundleRoute(request), "batch"],
    ["POST /fhir", "http://lantern.test/fhir", (request: Request) => bundleRoute(request), "transaction"],
  ] as const)("%s with a Bundle.entry that is not a list: 400 naming Bundle.entry (was a 500), nothing written", async (name, url, call, type) => {
    for (const entry of [0, "entries", { resource: {} }, true]) {
      await expectCleanAnswer({ name, actor: "backend", call, url, contentType: "application/fhir+json" }, JSON.stringify({ resourceType: "Bundle", type, entry }));
      const answer = await send({ name, actor: "backend", call, url, contentType: "application/fhir+json" }, JSON.stringify({ resourceType: "Bundle", type, entry }));
      expect(answer.status).toBe(400);
      expect(sentenceOf(answer.body)).toMatch(/Bundle\.entry must be a list/);
    }
  });
});

function observation(patientId: string) {
  return {
    resourceType: "Observation",
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
    code: { coding: [{ system: "http://loinc.org", code: "99504-3" }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: recent().toISOString(),
    valueQuantity: { value: 105, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
    identifier: [{ system: "urn:example:sweep", value: crypto.randomUUID() }],
  };
}

describe("meter export files in every dialect, damaged", () => {
  const LIBRE = ["Glucose Data,Generated on,03-12-2026 10:00,Generated by,Someone", "Device,Serial Number,Device Timestamp,Record Type,Historic Glucose mg/dL,Scan Glucose mg/dL"];
  const DEXCOM = ["Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Event Subtype,Patient Info,Device Info,Source Device ID,Glucose Value (mg/dL),Insulin Value (u),Carb Value (grams),Duration (hh:mm:ss),Glucose Rate of Change (mg/dL/min),Transmitter Time (Long Integer),Transmitter ID"];
  const GENERIC = ["time,value,unit"];
  const cell = fc.oneof(nastyString, fc.constantFrom("", "105", "5,8", "6.2", "03-12-2026 09:55", "2026-12-03T09:55:00", "EGV", "0", "1", "High", "Low", "FreeStyle Libre 3", "\"quoted, cell\"", "\"unterminated"));
  const row = fc.array(cell, { minLength: 1, maxLength: 16 }).map((cells) => cells.join(fc.sample(fc.constantFrom(",", ";", "\t"), 1)[0]));
  const file = fc
    .record({ header: fc.constantFrom(LIBRE, DEXCOM, GENERIC, []), rows: fc.array(row, { maxLength: 8 }), newline: fc.constantFrom("\n", "\r\n", "\r"), bom: fc.boolean() })
    .map(({ header, rows, newline, bom }) => `${bom ? "\ufeff" : ""}${[...header, ...rows].join(newline)}`);
  const door = (mode: "preview" | "commit"): Door => ({
    name: `POST /api/patients/<id>/imports?mode=${mode}`,
    actor: "patient",
    call: (request) => importRoute(request, routeParams({ patientId: world.patients.P.id })),
    url: `http://lantern.test/api/patients/${world.patients.P.id}/imports?mode=${mode}`,
    contentType: "text/csv",
  });

  for (const mode of ["preview", "commit"] as const) {
    it(`${mode}: never a 500, a sentence with every refusal, nothing written when refused`, async () => {
      await fc.assert(fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: file }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) }), (body) => expectCleanAnswer(door(mode), body)), { numRuns: RUNS });
    }, 60_000);
  }
});

describe("paging cursors and search parameters", () => {
  /** A cursor that passes the charset check and decodes to JSON of any shape. */
  const cursor = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? "null").toString("base64url")),
    fc.record({ d: fc.oneof(fc.constantFrom("next", "previous"), nastyValue), k: fc.oneof(fc.array(nastyValue, { maxLength: 4 }), nastyValue) }, { requiredKeys: [] }).map((value) => Buffer.from(JSON.stringify(value)).toString("base64url")),
    nastyString,
  );
  const searches = [
    { name: "GET /fhir/Observation", call: searchObservationsRoute, url: "http://lantern.test/fhir/Observation", fixed: () => ({ patient: world.patients.P.id }) },
    { name: "GET /fhir/Patient", call: searchPatientsRoute, url: "http://lantern.test/fhir/Patient", fixed: () => ({}) },
    { name: "GET /fhir/Flag", call: searchFlagsRoute, url: "http://lantern.test/fhir/Flag", fixed: () => ({}) },
    { name: "GET /fhir/Device", call: searchDevicesRoute, url: "http://lantern.test/fhir/Device", fixed: () => ({}) },
  ];
  const fhirParameter = fc.constantFrom("_cursor", "_count", "date", "_lastUpdated", "patient", "subject", "code", "name", "birthdate", "_id", "status", "_sort", "_elements", "_summary", "_total", "identifier", "value-quantity");

  for (const search of searches) {
    it(`${search.name}: hostile cursors and parameters are a 400 naming the parameter, never a 500`, async () => {
      const door: Door = { name: search.name, actor: "backend", call: (request) => search.call(request), url: search.url, contentType: "application/fhir+json" };
      await fc.assert(
        fc.asyncProperty(cursor, fc.array(fc.tuple(fhirParameter, fc.oneof(nastyString, cursor)), { maxLength: 3 }), async (token, extra) => {
          const query = new URLSearchParams({ ...search.fixed(), _cursor: token });
          for (const [name, value] of extra) query.append(name, value);
          await expectCleanAnswer(door, undefined, `${search.url}?${query}`);
        }),
        { numRuns: RUNS },
      );
    }, 60_000);
  }

  it("Nightscout searches (API v1 find[] and v3 filters, paging and sorting)", async () => {
    const v1: Door = { name: "GET /api/v1/entries", actor: "uploader", call: (request) => v1EntriesSearchRoute(request), url: "http://lantern.test/api/v1/entries", contentType: "application/json" };
    const v3: Door = { name: "GET /api/v3/entries", actor: "uploader", call: (request) => v3EntriesSearchRoute(request), url: "http://lantern.test/api/v3/entries", contentType: "application/json" };
    const v1Parameter = fc.constantFrom("count", "find[date][$gte]", "find[date][$lt]", "find[sgv][$gte]", "find[type]", "find[dateString][$gte]", "find[$where]", "find[created_at][$gte]", "token");
    const v3Parameter = fc.constantFrom("limit", "skip", "sort", "sort$desc", "fields", "date$gt", "date$lte", "srvModified$gt", "type$eq", "sgv$in", "identifier$eq", "now");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(v1Parameter, nastyString), { maxLength: 4 }), fc.array(fc.tuple(v3Parameter, nastyString), { maxLength: 4 }), async (v1Query, v3Query) => {
        await expectCleanAnswer(v1, undefined, `${v1.url}?${new URLSearchParams(v1Query)}`);
        await expectCleanAnswer(v3, undefined, `${v3.url}?${new URLSearchParams(v3Query)}`);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it("the glucose report's period parameters", async () => {
    const door: Door = { name: "GET /api/patients/<id>/glucose-report", actor: "patient", call: (request) => glucoseReportRoute(request, routeParams({ patientId: world.patients.P.id })), url: `http://lantern.test/api/patients/${world.patients.P.id}/glucose-report`, contentType: "application/json" };
    const parameter = fc.constantFrom("from", "to", "days", "period", "end", "start");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(parameter, nastyString), { maxLength: 3 }), (query) => expectCleanAnswer(door, undefined, `${door.url}?${new URLSearchParams(query)}`)),
      { numRuns: RUNS },
    );
  }, 60_000);
});
