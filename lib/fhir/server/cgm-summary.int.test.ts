import { beforeAll, describe, expect, it } from "vitest";
import { GET as summaryRoute } from "@/app/fhir/Patient/[id]/$cgm-summary/route";
import { ingestForTest, insertBackendClientToken, insertOrganization, insertPatient } from "@/test/factories";

/** $cgm-summary counts days of wear on the patient's calendar, across a clock change too. */

type Summary = { entry: { resource: { code: { coding: { code: string }[] }; effectivePeriod: { start: string; end: string }; valueQuantity?: { value: number } } }[] };

const base = "http://lantern.test/fhir";
let token: string;
let patientId: string;

// New York leaves daylight saving on 2026-11-01: local midnights from 2026-10-25 to 2026-11-08 span 14 days and an hour.
const FIRST_MIDNIGHT = Date.parse("2026-10-25T04:00:00Z");
const LAST_MIDNIGHT = Date.parse("2026-11-08T05:00:00Z");

beforeAll(async () => {
  const organizationId = (await insertOrganization()).id;
  token = await insertBackendClientToken(organizationId, ["system/Observation.rs"]);
  patientId = (await insertPatient(organizationId, { timezone: "America/New_York" })).id;
  const count = (LAST_MIDNIGHT - FIRST_MIDNIGHT) / 300_000;
  await ingestForTest(
    patientId,
    Array.from({ length: count }, (_, i) => ({
      position: i, value: 100 + (i % 60), unit: "mg/dL" as const, censored: null, effectiveAt: new Date(FIRST_MIDNIGHT + i * 300_000), utcOffsetMinutes: -240, specimen: "interstitial" as const, dedupeKey: `summary:${i}`,
    })),
  );
});

async function summary(query: string): Promise<{ status: number; body: Summary }> {
  const response = await summaryRoute(new Request(`${base}/Patient/${patientId}/$cgm-summary?${query}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ id: patientId }) });
  return { status: response.status, body: (await response.json()) as Summary };
}

const member = (body: Summary, loinc: string) => body.entry.find((entry) => entry.resource.code.coding[0]!.code === loinc)!.resource;

describe("$cgm-summary on the patient's calendar", () => {
  it("counts 14 days of wear for local midnights 14 days apart across the autumn clock change (24-hour windows found 15)", async () => {
    const { status, body } = await summary(`start=${new Date(FIRST_MIDNIGHT).toISOString()}&end=${new Date(LAST_MIDNIGHT).toISOString()}`);
    expect(status).toBe(200);
    expect(member(body, "104636-6").valueQuantity!.value).toBe(14);
    expect(member(body, "104636-6").effectivePeriod).toEqual({ start: "2026-10-25", end: "2026-11-07" });
  });

  it("takes the period as dates, the end included, as effectivePeriod reads", async () => {
    const { status, body } = await summary("start=2026-10-25&end=2026-11-07");
    expect(status).toBe(200);
    expect(body.entry.every((entry) => entry.resource.effectivePeriod.start === "2026-10-25" && entry.resource.effectivePeriod.end === "2026-11-07")).toBe(true);
    expect(member(body, "104636-6").valueQuantity!.value).toBe(14);
    expect(member(body, "104637-4").valueQuantity!.value).toBe(100);
  });

  it("keeps instants that are not local midnights as an exact span", async () => {
    const { status, body } = await summary("start=2026-10-26T00:00:00Z&end=2026-10-28T00:00:00Z");
    expect(status).toBe(200);
    expect(member(body, "104636-6").valueQuantity!.value).toBe(2);
    expect(member(body, "104636-6").effectivePeriod.start).toMatch(/^2026-10-26T00:00:00(\.000)?Z$/);
  });

  it.each([
    ["start=2026-11-07&end=2026-10-25", 400],
    ["start=2026-10-25", 400],
    ["start=2026-10-25&end=2027-10-26", 400],
    ["start=2027-01-01&end=2027-01-14", 404],
  ])("answers %s with %i", async (query, status) => {
    expect((await summary(query)).status).toBe(status);
  });

  it("answers 404 for a patient that does not exist", async () => {
    const response = await summaryRoute(new Request(`${base}/Patient/patientExample/$cgm-summary?start=2026-10-25&end=2026-11-07`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ id: "patientExample" }) });
    expect(response.status).toBe(404);
  });
});
