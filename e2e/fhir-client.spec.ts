import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Client } from "fhir-kit-client";
import { hospitalAccessToken } from "./support/hospital";
import { loadWorld } from "./support/world";

const world = loadWorld();

type Bundle = { type: string; total?: number; entry?: { resource: { resourceType: string; id: string }; search?: { mode: string }; response?: { status: string } }[]; link?: { relation: string; url: string }[] };
const as = <T>(value: unknown) => value as T;

/** The demo hospital system: a signed assertion for a token, then a standard FHIR client with it. */
async function hospitalClient(baseURL: string): Promise<{ client: Client; accessToken: string }> {
  const accessToken = await hospitalAccessToken(baseURL);
  return { client: new Client({ baseUrl: `${baseURL}/fhir`, bearerToken: accessToken }), accessToken };
}

test("a hospital system searches, pages and writes through fhir-kit-client with a SMART token", async ({ baseURL }) => {
  const { client } = await hospitalClient(baseURL!);

  const counted = as<Bundle>(await client.search({ resourceType: "Observation", searchParams: { patient: world.patientIds.cgm, code: "http://loinc.org|105272-9", date: ["ge2000-01-01", "lt2100-01-01"], category: "laboratory", _summary: "count" } as never }));
  expect(counted.total).toBeGreaterThanOrEqual(14 * 288);

  let page: Bundle | null = as<Bundle>(await client.search({ resourceType: "Observation", searchParams: { patient: world.patientIds.cgm, _count: "1000", _sort: "-date", _include: "Observation:subject" } }));
  let matches = 0;
  const subjects = new Set<string>();
  while (page) {
    for (const entry of page.entry ?? []) {
      if (entry.search?.mode === "match") matches++;
      else subjects.add(`${entry.resource.resourceType}/${entry.resource.id}`);
    }
    page = as<Bundle | null>((await client.nextPage({ bundle: page } as never)) ?? null);
  }
  expect(matches).toBe(counted.total);
  expect([...subjects]).toEqual([`Patient/${world.patientIds.cgm}`]);

  const identifier = `e2e-${randomUUID()}`;
  const observation = {
    resourceType: "Observation",
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: "41653-7" }] },
    subject: { reference: `Patient/${world.patientIds.fingerstick}` },
    effectiveDateTime: new Date(Date.now() - 3_600_000).toISOString(),
    valueQuantity: { value: 104, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
    identifier: [{ system: "urn:e2e", value: identifier }],
  };
  const created = as<{ id: string }>(await client.create({ resourceType: "Observation", body: observation as never, options: { headers: { "If-None-Exist": `identifier=urn:e2e|${identifier}` } } }));
  const again = as<{ id: string }>(await client.create({ resourceType: "Observation", body: observation as never, options: { headers: { "If-None-Exist": `identifier=urn:e2e|${identifier}` } } }));
  expect(again.id).toBe(created.id);

  const transaction = as<Bundle>(
    await client.transaction({
      body: { resourceType: "Bundle", type: "transaction", entry: [{ fullUrl: `urn:uuid:${randomUUID()}`, resource: { ...observation, identifier: [{ system: "urn:e2e", value: `${identifier}-t` }] }, request: { method: "POST", url: "Observation" } }] } as never,
    }),
  );
  expect(transaction.type).toBe("transaction-response");
  expect(transaction.entry![0]!.response!.status).toMatch(/^201/);

  let notFound = 0;
  try {
    await client.read({ resourceType: "Patient", id: "00000000-0000-4000-8000-000000000000" });
  } catch (error) {
    notFound = (error as { response?: { status: number } }).response?.status ?? 0;
  }
  expect(notFound).toBe(404);
});

test("a hospital system bulk-exports a care team", async ({ baseURL }) => {
  const { accessToken } = await hospitalClient(baseURL!);
  const authorization = { authorization: `Bearer ${accessToken}` };
  const kickOff = await fetch(`${baseURL}/fhir/Group/${world.careTeamId}/$export?_type=Patient`, { headers: { ...authorization, prefer: "respond-async" } });
  expect(kickOff.status).toBe(202);
  const statusUrl = kickOff.headers.get("content-location")!;
  await expect.poll(async () => (await fetch(statusUrl, { headers: authorization })).status, { timeout: 20_000 }).toBe(200);
  const manifest = (await (await fetch(statusUrl, { headers: authorization })).json()) as { output: { type: string; url: string }[] };
  const ndjson = await (await fetch(manifest.output[0]!.url, { headers: authorization })).text();
  const ids = ndjson.trim().split("\n").map((line) => (JSON.parse(line) as { id: string }).id).sort();
  expect(ids).toEqual([world.patientIds.fingerstick, world.patientIds.cgm].sort());
});
