import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Client } from "fhir-kit-client";
import { hospitalAccessToken } from "./support/hospital";
import { signIn } from "./support/pages";
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
  // The demo care team's patients (other specs may register more onto it while this runs), and nobody outside it.
  const careTeam = [world.patientIds.fingerstick, world.patientIds.cgm, world.patientIds.youngChild, world.patientIds.teenager, world.patientIds.alert];
  expect(ids).toEqual(expect.arrayContaining(careTeam));
  expect(ids).not.toContain(world.patientIds.outsider);
  expect(ids).not.toContain(world.patientIds.child);
});

test("a hospital system finds the alert a device's low readings opened, as an active Flag", async ({ page, request, baseURL }) => {
  await signIn(page, world.flagPatient);
  await page.getByRole("link", { name: "Meters and apps" }).click();
  await page.getByLabel("Kind of meter").selectOption("cgm");
  await page.getByLabel("Model").fill("Flag CGM");
  await page.getByLabel("Serial number").fill("E2E-FLAG-CGM-1");
  await page.getByRole("button", { name: "Register and get a pairing code" }).click();
  const pairingNotice = page.locator("form .notice").filter({ hasText: "Pairing code:" });
  await expect(pairingNotice).toBeVisible();
  const code = /Pairing code: (\S{4}-\S{4})/.exec(await pairingNotice.innerText())![1];
  const paired = await request.post("/api/devices/pair", { data: { code, serialNumber: "E2E-FLAG-CGM-1", model: "Flag CGM" } });
  expect(paired.status()).toBe(201);
  const { token } = (await paired.json()) as { token: string };

  // 25 minutes below 54 mg/dL, every 5 minutes, up to now: a level 2 low.
  const now = Date.now();
  const readings = [50, 48, 45, 47, 49, 50].map((value, i, all) => ({ time: new Date(now - (all.length - 1 - i) * 300_000).toISOString(), value, unit: "mg/dL", seq: i + 1 }));
  const upload = await request.post("/api/devices/readings", { headers: { authorization: `Bearer ${token}` }, data: { readings } });
  expect(await upload.json()).toEqual({ accepted: 6, duplicates: 0, rejected: [] });

  const { client } = await hospitalClient(baseURL!);
  type Flag = { resourceType: string; id: string; status: string; subject: { reference: string }; code: { coding: { system: string; code: string }[] }; extension?: { url: string; valueReference: { reference: string } }[] };
  const found = as<{ entry?: { resource: Flag }[] }>(await client.search({ resourceType: "Flag", searchParams: { patient: world.patientIds.flag, status: "active" } }));
  const flags = (found.entry ?? []).map((entry) => entry.resource);
  const low = flags.find((flag) => flag.code.coding.some((c) => c.system === "urn:lantern:alert-kind" && c.code === "hypo-level-2"))!;
  expect(low).toMatchObject({ resourceType: "Flag", status: "active", subject: { reference: `Patient/${world.patientIds.flag}` } });
  expect(low.code.coding).toContainEqual(expect.objectContaining({ system: "http://snomed.info/sct", code: "302866003" }));

  // Its evidence is the worst reading, an Observation interpreted as critical low.
  const evidence = low.extension!.find((e) => e.url === "http://hl7.org/fhir/StructureDefinition/flag-detail")!.valueReference.reference;
  const worst = as<{ valueQuantity: { value: number }; interpretation: { coding: { code: string }[] }[] }>(await client.read({ resourceType: "Observation", id: evidence.split("/")[1]! }));
  expect(worst.valueQuantity.value).toBe(45);
  expect(worst.interpretation[0]!.coding[0]!.code).toBe("LL");
  expect(as<Flag>(await client.read({ resourceType: "Flag", id: low.id })).status).toBe("active");
});
