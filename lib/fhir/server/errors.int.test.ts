import { beforeAll, describe, expect, it } from "vitest";
import * as unknownPath from "@/app/fhir/[...path]/route";
import * as patientRead from "@/app/fhir/Patient/[id]/route";
import * as patientSearch from "@/app/fhir/Patient/route";
import * as observationRead from "@/app/fhir/Observation/[id]/route";
import * as observationType from "@/app/fhir/Observation/route";
import * as metadata from "@/app/fhir/metadata/route";
import { insertBackendClientToken, insertOrganization } from "@/test/factories";

/**
 * Every error under /fhir is an OperationOutcome with its status. Which handler a path reaches is
 * Next.js routing, checked over HTTP in e2e/fhir-conformance.spec.ts; here, what each answers.
 */

type Handler = (request: Request, context?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const base = "http://lantern.test/fhir";
let token: string;

const call = (handler: Handler, method: string, pathname: string, params: Record<string, string | string[]> = {}) =>
  handler(new Request(`${base}${pathname}`, { method, headers: { authorization: `Bearer ${token}`, ...(method === "PUT" ? { "content-type": "application/fhir+json" } : {}) }, ...(method === "PUT" ? { body: "{}" } : {}) }), {
    params: Promise.resolve(params),
  });

async function expectOutcome(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/fhir+json");
  expect(await response.json()).toMatchObject({ resourceType: "OperationOutcome", issue: [{ severity: "error", code }] });
}

beforeAll(async () => {
  token = await insertBackendClientToken((await insertOrganization()).id, ["system/*.rs"]);
});

describe("errors under /fhir", () => {
  it.each([
    ["GET", "/Encounter", ["Encounter"]],
    ["GET", "/Patient/6f1c2d4e-0000-4000-8000-000000000001/_history", ["Patient", "6f1c2d4e-0000-4000-8000-000000000001", "_history"]],
    ["GET", "/Observation/1/_history/2/extra", ["Observation", "1", "_history", "2", "extra"]],
    ["DELETE", "/Encounter/1", ["Encounter", "1"]],
  ])("%s %s, which no route serves, is a 404", async (method, pathname, segments) => {
    const handler = unknownPath[method as "GET" | "DELETE"];
    await expectOutcome(await call(handler, method, pathname, { path: segments }), 404, "not-found");
  });

  it("an unknown resource id is a 404", async () => {
    await expectOutcome(await call(patientRead.GET, "GET", "/Patient/6f1c2d4e-0000-4000-8000-000000000001", { id: "6f1c2d4e-0000-4000-8000-000000000001" }), 404, "not-found");
    await expectOutcome(await call(observationRead.GET, "GET", "/Observation/999999999", { id: "999999999" }), 404, "not-found");
  });

  it.each([
    ["PUT", "/Observation/1", observationRead.PUT, "GET"],
    ["DELETE", "/Observation/1", observationRead.DELETE, "GET"],
    ["PATCH", "/Patient/1", patientRead.PATCH, "GET"],
    ["DELETE", "/Patient", patientSearch.DELETE, "GET"],
    ["PUT", "/Observation", observationType.PUT, "GET, POST"],
    ["POST", "/metadata", metadata.POST, "GET"],
  ])("%s %s, which Lantern does not support, is a 405 naming what is allowed", async (method, pathname, handler, allowed) => {
    const response = await call(handler, method, pathname, { id: "1" });
    expect(response.headers.get("allow")).toBe(allowed);
    await expectOutcome(response, 405, "not-supported");
  });
});
