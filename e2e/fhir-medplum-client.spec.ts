import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { MedplumClient } from "@medplum/core";
import type { Bundle, Observation, Patient } from "@medplum/fhirtypes";
import { hospitalAccessToken } from "./support/hospital";
import { loadWorld } from "./support/world";

const world = loadWorld();

/**
 * A second widely used FHIR client, Medplum's MedplumClient (@medplum/core 4.5, Node 20), against
 * the production build: it knows nothing of Lantern but its base URL and a SMART Backend Services
 * token, obtained by signing the assertion with jose (its own startJwtAssertionLogin sends no
 * `scope`, which SMART requires, so Lantern refuses it).
 */
function medplumFor(baseURL: string, accessToken: string): MedplumClient {
  const medplum = new MedplumClient({
    baseUrl: `${baseURL}/`,
    fhirUrlPath: "fhir/",
    tokenUrl: `${baseURL}/fhir/auth/token`,
    fetch: (url: string, options?: RequestInit) => fetch(url, options),
    // Medplum's own extensions and response cache are for Medplum servers.
    extendedMode: false,
    cacheTime: 0,
  });
  medplum.setAccessToken(accessToken);
  return medplum;
}

test("a hospital system searches, pages, reads and creates through MedplumClient with a SMART token", async ({ baseURL }) => {
  const medplum = medplumFor(baseURL!, await hospitalAccessToken(baseURL!));

  const counted = await medplum.search("Observation", { patient: world.patientIds.cgm, code: "http://loinc.org|", _summary: "count" });
  expect(counted.total).toBeGreaterThanOrEqual(14 * 288);
  // searchResourcePages follows the `next` links Lantern gives, 500 a page.
  let pages = 0;
  const seen = new Set<string>();
  for await (const page of medplum.searchResourcePages("Observation", { patient: world.patientIds.cgm, _count: "500", _sort: "-date" })) {
    pages++;
    for (const observation of page) seen.add(observation.id);
  }
  expect(seen.size).toBe(counted.total);
  expect(pages).toBe(Math.ceil(counted.total! / 500));

  const lopez = await medplum.searchResources("Patient", { name: "lopez" });
  expect(lopez.map((patient) => patient.id)).toEqual([world.patientIds.fingerstick]);
  const patient: Patient = await medplum.readResource("Patient", world.patientIds.fingerstick);
  expect(patient.name?.[0]?.family).toBe("Lopez");
  expect(await medplum.searchOne("Patient", { identifier: "urn:other|DEMO-0001" })).toBeUndefined();

  const identifier = `medplum-${randomUUID()}`;
  const observation: Observation = {
    resourceType: "Observation",
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: "41653-7" }] },
    subject: { reference: `Patient/${world.patientIds.fingerstick}` },
    effectiveDateTime: new Date(Date.now() - 3_600_000).toISOString(),
    valueQuantity: { value: 111, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
    identifier: [{ system: "urn:e2e", value: identifier }],
  };
  const created = await medplum.createResourceIfNoneExist(observation, `identifier=urn:e2e|${identifier}`);
  const again = await medplum.createResourceIfNoneExist(observation, `identifier=urn:e2e|${identifier}`);
  expect(again.id).toBe(created.id);
  expect((await medplum.readResource("Observation", created.id)).valueQuantity?.value).toBe(111);
});

test("a hospital system bulk-exports a care team through MedplumClient, polling the status URL", async ({ baseURL }) => {
  const medplum = medplumFor(baseURL!, await hospitalAccessToken(baseURL!));
  // MedplumClient.bulkExport kicks off with POST, which Lantern does not offer (GET, as Bulk Data
  // requires of servers): the same asynchronous pattern through its GET, polling on every 202.
  const kickOff = medplum.fhirUrl("Group", world.careTeamId, "$export");
  kickOff.searchParams.set("_type", "Patient");
  const manifest: { output: { type: string; url: string }[]; requiresAccessToken: boolean } = await medplum.get(kickOff, {
    headers: { Prefer: "respond-async" },
    pollStatusOnAccepted: true,
    pollStatusPeriod: 250,
  });
  expect(manifest.requiresAccessToken).toBe(true);
  expect(manifest.output.map((file) => file.type)).toEqual(["Patient"]);
  const ndjson = await (await medplum.download(manifest.output[0]!.url)).text();
  const ids = ndjson.trim().split("\n").map((line) => (JSON.parse(line) as Patient).id).sort();
  // The demo care team's patients (other specs may register more onto it while this runs), and nobody outside it.
  const careTeam = [world.patientIds.fingerstick, world.patientIds.cgm, world.patientIds.youngChild, world.patientIds.teenager, world.patientIds.alert];
  expect(ids).toEqual(expect.arrayContaining(careTeam));
  expect(ids).not.toContain(world.patientIds.outsider);
  expect(ids).not.toContain(world.patientIds.child);
});

test("MedplumClient reads the OperationOutcome of a refused search under strict handling", async ({ baseURL }) => {
  const medplum = medplumFor(baseURL!, await hospitalAccessToken(baseURL!));
  const refused = await medplum.search("Patient", { "address-city": "Madrid" }, { headers: { Prefer: "handling=strict" } }).then(
    () => null,
    (error: { outcome?: { issue?: { code: string }[] } }) => error.outcome,
  );
  expect(refused?.issue?.[0]?.code).toBe("not-supported");
  const lenient: Bundle = await medplum.search("Patient", { "address-city": "Madrid", name: "lopez" });
  expect(lenient.link?.find((link) => link.relation === "self")?.url).toBe(`${baseURL}/fhir/Patient?name=lopez`);
});
