import { expect, test } from "@playwright/test";
import { Client } from "fhir-kit-client";
import { hospitalAccessToken } from "./support/hospital";
import { loadWorld } from "./support/world";

const world = loadWorld();

/**
 * What only a real HTTP server shows: which handler Next.js routes each path and method to, that
 * every error there is an OperationOutcome, and that conditional reads survive the server.
 */

type Outcome = { resourceType: string; issue: { code: string }[] };

test("every error under /fhir is an OperationOutcome with its status: 404 for paths no route serves, 405 for methods a path does not support", async ({ baseURL }) => {
  const authorization = { authorization: `Bearer ${await hospitalAccessToken(baseURL!)}` };
  const cases: [string, string, number, string | null][] = [
    ["GET", "/fhir/Encounter", 404, null],
    ["GET", `/fhir/Patient/${world.patientIds.cgm}/_history`, 404, null],
    ["GET", `/fhir/Patient/${world.patientIds.cgm}/_history/1`, 404, null],
    ["GET", "/fhir/Patient/00000000-0000-4000-8000-000000000000", 404, null],
    ["PUT", `/fhir/Patient/${world.patientIds.cgm}`, 405, "GET"],
    ["DELETE", `/fhir/Patient/${world.patientIds.cgm}`, 405, "GET"],
    ["PUT", "/fhir/Observation/1", 405, "GET"],
    ["DELETE", "/fhir/Observation", 405, "GET, POST"],
    ["PATCH", "/fhir/Device", 405, "GET"],
  ];
  for (const [method, path, status, allow] of cases) {
    const response = await fetch(`${baseURL}${path}`, { method, headers: { ...authorization, "content-type": "application/fhir+json" }, ...(method === "GET" ? {} : { body: "{}" }) });
    expect([method, path, response.status]).toEqual([method, path, status]);
    expect(response.headers.get("content-type")).toContain("application/fhir+json");
    expect(((await response.json()) as Outcome).resourceType).toBe("OperationOutcome");
    if (allow) expect(response.headers.get("allow")).toBe(allow);
  }
});

test("a conditional read answers 304 through the production server, with the ETag and Last-Modified of a read", async ({ baseURL }) => {
  const authorization = { authorization: `Bearer ${await hospitalAccessToken(baseURL!)}` };
  const url = `${baseURL}/fhir/Patient/${world.patientIds.cgm}`;
  const first = await fetch(url, { headers: authorization });
  expect(first.status).toBe(200);
  const etag = first.headers.get("etag")!;
  expect(etag).toMatch(/^W\//);
  expect(first.headers.get("last-modified")).toBeTruthy();
  const again = await fetch(url, { headers: { ...authorization, "if-none-match": etag } });
  expect(again.status).toBe(304);
  expect(again.headers.get("etag")).toBe(etag);
});

test("fhir-kit-client: Patient search by name, identifier with its system, and strict handling", async ({ baseURL }) => {
  const accessToken = await hospitalAccessToken(baseURL!);
  const client = new Client({ baseUrl: `${baseURL}/fhir`, bearerToken: accessToken });
  const ids = async (searchParams: Record<string, string>) =>
    (((await client.search({ resourceType: "Patient", searchParams })) as { entry?: { resource: { id: string } }[] }).entry ?? []).map((entry) => entry.resource.id);
  expect(await ids({ name: "Lopez" })).toEqual([world.patientIds.fingerstick]);
  expect(await ids({ family: "chen" })).toEqual([world.patientIds.cgm]);
  expect(await ids({ birthdate: "1968-05-14" })).toEqual([world.patientIds.fingerstick]);
  expect(await ids({ identifier: "DEMO-0001" })).toEqual([world.patientIds.fingerstick]);
  expect(await ids({ identifier: "urn:other|DEMO-0001" })).toEqual([]);

  const strict = new Client({ baseUrl: `${baseURL}/fhir`, bearerToken: accessToken, customHeaders: { prefer: "handling=strict" } });
  const refused = await strict.search({ resourceType: "Patient", searchParams: { name: "Lopez", "address-city": "Madrid" } }).then(
    () => 200,
    (error: { response?: { status: number; data?: Outcome } }) => [error.response?.status, error.response?.data?.issue[0]?.code],
  );
  expect(refused).toEqual([400, "not-supported"]);
});
