import { beforeAll, describe, expect, it } from "vitest";
import { GET as groupExportRoute } from "@/app/fhir/Group/[id]/$export/route";
import { GET as patientExportRoute } from "@/app/fhir/Patient/$export/route";
import { GET as fileRoute } from "@/app/fhir/bulk-files/[jobId]/[fileId]/route";
import { DELETE as cancelRoute, GET as statusRoute } from "@/app/fhir/bulk-status/[jobId]/route";
import { ingestForTest, insertBackendClientToken, insertCareTeam, insertOrganization, insertPatient } from "@/test/factories";

const base = "http://lantern.test/fhir";

const request = (path: string, token: string, init: { method?: string; async?: boolean; prefer?: string } = {}) =>
  new Request(`${base}${path}`, { method: init.method ?? "GET", headers: { authorization: `Bearer ${token}`, ...(init.async === false ? {} : { prefer: init.prefer ?? "respond-async" }) } });

async function waitForManifest(statusUrl: string, token: string) {
  const jobId = statusUrl.split("/").at(-1)!;
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await statusRoute(request(`/bulk-status/${jobId}`, token), { params: Promise.resolve({ jobId }) });
    if (response.status === 200) return { jobId, manifest: (await response.json()) as { request: string; output: { type: string; url: string; count: number }[]; requiresAccessToken: boolean } };
    expect(response.status).toBe(202);
    expect(response.headers.get("x-progress")).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("export did not finish");
}

async function download(url: string, token: string): Promise<{ resourceType: string; subject?: { reference: string }; id: string }[]> {
  const [jobId, fileId] = url.split("/").slice(-2) as [string, string];
  const response = await fileRoute(request(`/bulk-files/${jobId}/${fileId}`, token), { params: Promise.resolve({ jobId, fileId }) });
  expect(response.headers.get("content-type")).toBe("application/fhir+ndjson");
  return (await response.text()).trim().split("\n").map((line) => JSON.parse(line) as { resourceType: string; id: string });
}

describe("Bulk Data $export", () => {
  let token: string;
  let teamId: string;
  let teamPatient: string;
  let otherPatient: string;
  let foreignTeamId: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    token = await insertBackendClientToken(organization.id, ["system/Patient.rs", "system/Observation.rs", "system/Device.rs"]);
    teamPatient = (await insertPatient(organization.id)).id;
    otherPatient = (await insertPatient(organization.id)).id;
    teamId = (await insertCareTeam(organization.id, { patientIds: [teamPatient] })).id;
    const start = Date.parse("2026-10-01T00:00:00Z");
    for (const [patientId, count] of [[teamPatient, 12_345], [otherPatient, 10]] as const) {
      await ingestForTest(patientId, Array.from({ length: count }, (_, i) => ({
        position: i, value: 100, unit: "mg/dL" as const, censored: null, effectiveAt: new Date(start + i * 60_000), utcOffsetMinutes: 0, specimen: "interstitial" as const, dedupeKey: `bulk:${i}`,
      })));
    }
    const foreign = await insertOrganization();
    const foreignPatient = await insertPatient(foreign.id);
    foreignTeamId = (await insertCareTeam(foreign.id, { patientIds: [foreignPatient.id] })).id;
  });

  it("exports a care team (Group) as NDJSON files of at most 10,000 resources, only its patients", async () => {
    const kickOff = await groupExportRoute(request(`/Group/${teamId}/$export?_type=Patient,Observation`, token), { params: Promise.resolve({ id: teamId }) });
    expect(kickOff.status).toBe(202);
    const { manifest } = await waitForManifest(kickOff.headers.get("content-location")!, token);
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.output.map((o) => [o.type, o.count])).toEqual([["Patient", 1], ["Observation", 10_000], ["Observation", 2_345]]);
    const observations = (await Promise.all(manifest.output.filter((o) => o.type === "Observation").map((o) => download(o.url, token)))).flat();
    expect(observations).toHaveLength(12_345);
    expect(new Set(observations.map((o) => o.subject!.reference))).toEqual(new Set([`Patient/${teamPatient}`]));
  });

  it("exports every patient of the organization with Patient/$export, and honours _since", async () => {
    const kickOff = await patientExportRoute(request(`/Patient/$export?_type=Patient&_since=2000-01-01T00:00:00Z`, token));
    const { manifest } = await waitForManifest(kickOff.headers.get("content-location")!, token);
    const exported = await download(manifest.output[0]!.url, token);
    expect(exported.map((p) => p.id).sort()).toEqual([teamPatient, otherPatient].sort());

    const future = await patientExportRoute(request(`/Patient/$export?_type=Observation&_since=2099-01-01T00:00:00Z`, token));
    expect((await waitForManifest(future.headers.get("content-location")!, token)).manifest.output).toEqual([]);
  });

  it("cancels with DELETE, after which the status and files are gone", async () => {
    const kickOff = await patientExportRoute(request(`/Patient/$export`, token));
    const jobId = kickOff.headers.get("content-location")!.split("/").at(-1)!;
    expect((await cancelRoute(request(`/bulk-status/${jobId}`, token, { method: "DELETE" }), { params: Promise.resolve({ jobId }) })).status).toBe(202);
    expect((await statusRoute(request(`/bulk-status/${jobId}`, token), { params: Promise.resolve({ jobId }) })).status).toBe(404);
  });

  it.each([
    ["without Prefer: respond-async", "/Patient/$export", { async: false }, 400],
    ["an unknown _type", "/Patient/$export?_type=Encounter", {}, 400],
    ["a bad _since", "/Patient/$export?_since=last-week", {}, 400],
    ["with a _typeFilter it cannot apply", "/Patient/$export?_type=Observation&_typeFilter=Observation%3Fcode%3D99504-3", {}, 400],
    ["with _typeFilter under Prefer: handling=strict", "/Patient/$export?_typeFilter=Observation%3Fcode%3D99504-3", { prefer: "respond-async, handling=strict" }, 400],
    ["with another parameter it does not implement", "/Patient/$export?patient=Patient/1", {}, 400],
  ])("refuses a kick-off %s", async (_label, path, init, status) => {
    const response = await patientExportRoute(request(path, token, init));
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ resourceType: "OperationOutcome" });
  });

  it("leaves out what it does not implement under Prefer: handling=lenient, and its manifest says what was applied", async () => {
    const kickOff = await patientExportRoute(request("/Patient/$export?_type=Patient&_typeFilter=Patient%3Fname%3DLopez", token, { prefer: "respond-async, handling=lenient" }));
    expect(kickOff.status).toBe(202);
    const { manifest } = await waitForManifest(kickOff.headers.get("content-location")!, token);
    expect(manifest.request).toBe(`${base}/Patient/$export?_type=Patient`);
  });

  it("answers 404 for another organization's Group and another client's job", async () => {
    expect((await groupExportRoute(request(`/Group/${foreignTeamId}/$export`, token), { params: Promise.resolve({ id: foreignTeamId }) })).status).toBe(404);
    const kickOff = await patientExportRoute(request(`/Patient/$export?_type=Patient`, token));
    const { jobId } = await waitForManifest(kickOff.headers.get("content-location")!, token);
    const stranger = await insertBackendClientToken((await insertOrganization()).id, ["system/Patient.rs"]);
    expect((await statusRoute(request(`/bulk-status/${jobId}`, stranger), { params: Promise.resolve({ jobId }) })).status).toBe(404);
  });
});

describe("Bulk Data $export of Flags (alerts)", () => {
  let token: string;
  let teamId: string;
  let teamPatient: string;
  let otherPatient: string;
  let organizationId: string;

  /** 25 minutes below 54 mg/dL an hour ago: a level 2 low (and a level 1 low) for the patient. */
  const lowTrace = () => {
    const end = Date.now() - 3_600_000;
    return [110, 52, 48, 45, 47, 50, 51, 110, 115, 120].map((value, i, all) => {
      const at = end - (all.length - 1 - i) * 300_000;
      return { position: i, value, unit: "mg/dL" as const, censored: null, effectiveAt: new Date(at), utcOffsetMinutes: 0, specimen: "interstitial" as const, dedupeKey: `low:${at}` };
    });
  };

  beforeAll(async () => {
    organizationId = (await insertOrganization()).id;
    token = await insertBackendClientToken(organizationId, ["system/Patient.rs", "system/Flag.rs"]);
    teamPatient = (await insertPatient(organizationId, { birthDate: "1980-01-01" })).id;
    otherPatient = (await insertPatient(organizationId, { birthDate: "1980-01-01" })).id;
    teamId = (await insertCareTeam(organizationId, { patientIds: [teamPatient] })).id;
    for (const patientId of [teamPatient, otherPatient]) await ingestForTest(patientId, lowTrace());
  });

  it("exports a care team's Flags only, with _type=Flag", async () => {
    const kickOff = await groupExportRoute(request(`/Group/${teamId}/$export?_type=Flag`, token), { params: Promise.resolve({ id: teamId }) });
    expect(kickOff.status).toBe(202);
    const { manifest } = await waitForManifest(kickOff.headers.get("content-location")!, token);
    expect(manifest.output.map((o) => o.type)).toEqual(["Flag"]);
    const flags = await download(manifest.output[0]!.url, token);
    expect(flags.length).toBeGreaterThan(0);
    expect(new Set(flags.map((flag) => [flag.resourceType, flag.subject!.reference].join(" ")))).toEqual(new Set([`Flag Patient/${teamPatient}`]));
  });

  it("exports every patient's Flags with Patient/$export (all the types the token may read by default), and honours _since", async () => {
    const kickOff = await patientExportRoute(request(`/Patient/$export`, token));
    const { manifest } = await waitForManifest(kickOff.headers.get("content-location")!, token);
    expect(manifest.output.map((o) => o.type)).toEqual(["Patient", "Flag"]);
    const flags = await download(manifest.output.find((o) => o.type === "Flag")!.url, token);
    expect(new Set(flags.map((flag) => flag.subject!.reference))).toEqual(new Set([`Patient/${teamPatient}`, `Patient/${otherPatient}`]));

    const future = await patientExportRoute(request(`/Patient/$export?_type=Flag&_since=2099-01-01T00:00:00Z`, token));
    expect((await waitForManifest(future.headers.get("content-location")!, token)).manifest.output).toEqual([]);
  });

  it("refuses _type=Flag to a token without a Flag scope", async () => {
    const observationsOnly = await insertBackendClientToken(organizationId, ["system/Observation.rs"]);
    const response = await patientExportRoute(request(`/Patient/$export?_type=Flag`, observationsOnly));
    expect(response.status).toBe(400);
  });
});
