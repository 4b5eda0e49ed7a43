import { expect, test, type Page } from "@playwright/test";
import { Client } from "fhir-kit-client";
import { signIn } from "./support/pages";
import { loadWorld } from "./support/world";

const world = loadWorld();

type Bundle = { resourceType: string; entry?: { resource: { resourceType: string; id: string; code?: { coding: { code: string }[] }; valueQuantity?: { value: number; code: string } } }[]; link?: { relation: string; url: string }[] };

/** A FHIR client speaking for a signed-in portal user (the session cookie), as the portal allows. */
async function portalClient(page: Page, baseURL: string): Promise<Client> {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  return new Client({ baseUrl: `${baseURL}/fhir`, customHeaders: { cookie } });
}

async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    return (error as { response?: { status: number } }).response?.status ?? 0;
  }
}

test("a clinician reads a patient's glucose Observations with a standard FHIR client, and gets 404 outside their care teams", async ({ page, baseURL }) => {
  await signIn(page, world.clinician);
  const client = await portalClient(page, baseURL!);

  const capability = (await client.capabilityStatement()) as unknown as { fhirVersion: string };
  expect(capability.fhirVersion).toBe("4.0.1");

  let bundle = (await client.search({ resourceType: "Observation", searchParams: { patient: world.patientIds.cgm, _count: "1000", _sort: "date" } })) as Bundle | null;
  let entries = 0;
  let pages = 0;
  while (bundle) {
    entries += bundle.entry?.length ?? 0;
    pages++;
    bundle = ((await client.nextPage({ bundle } as never)) as Bundle | undefined) ?? null;
  }
  // 14 days of 5-minute CGM from the demo seed (and perhaps a reading added by other specs).
  expect(entries).toBeGreaterThanOrEqual(14 * 288);
  expect(pages).toBeGreaterThanOrEqual(5);

  const first = (await client.search({ resourceType: "Observation", searchParams: { patient: world.patientIds.cgm, _count: "1" } })) as Bundle;
  const observation = first.entry![0]!.resource;
  expect(observation.code!.coding.map((c) => c.code)).toContain("105272-9");
  expect(observation.valueQuantity!.code).toBe("mmol/L");
  const read = (await client.read({ resourceType: "Observation", id: observation.id })) as unknown as { id: string };
  expect(read.id).toBe(observation.id);

  expect(await statusOf(client.read({ resourceType: "Patient", id: world.patientIds.outsider }))).toBe(404);
  const outside = (await client.search({ resourceType: "Observation", searchParams: { patient: world.patientIds.outsider, _summary: "count" } })) as unknown as { total: number };
  expect(outside.total).toBe(0);
});

test("a patient sees only their own Observations through the FHIR API", async ({ page, baseURL }) => {
  await signIn(page, world.fingerstickPatient);
  const client = await portalClient(page, baseURL!);
  const own = (await client.search({ resourceType: "Observation", searchParams: { patient: world.patientIds.fingerstick, _summary: "count" } })) as unknown as { total: number };
  expect(own.total).toBeGreaterThan(40);
  const other = (await client.search({ resourceType: "Observation", searchParams: { patient: world.patientIds.cgm, _summary: "count" } })) as unknown as { total: number };
  expect(other.total).toBe(0);
  expect(await statusOf(client.read({ resourceType: "Patient", id: world.patientIds.cgm }))).toBe(404);
});

test("anonymous FHIR calls get 401 with an OperationOutcome", async ({ request }) => {
  const response = await request.get(`/fhir/Observation?patient=${world.patientIds.cgm}`);
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ resourceType: "OperationOutcome" });
});
