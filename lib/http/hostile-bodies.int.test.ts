import { beforeAll, describe, expect, it } from "vitest";
import { POST as readingsRoute } from "@/app/api/devices/readings/route";
import { POST as createObservationRoute } from "@/app/fhir/Observation/route";
import { countReadingsOf, insertBackendClientToken, insertOrganization, insertPatientWithAccount, pairedMeter } from "@/test/factories";

/** Nested arrays as the probe sent them: almost all brackets. */
const nested = (bytes: number) => "[".repeat(bytes / 2) + "]".repeat(bytes / 2);
/** Valid, shallow, and still millions of objects once parsed. */
const manyObjects = (bytes: number) => `[${Array.from({ length: Math.floor(bytes / 3) }, () => "{}").join(",")}]`;

describe("hostile JSON bodies are refused before parsing, with a sentence", () => {
  let patientId: string;
  let deviceToken: string;
  let fhirToken: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    patientId = (await insertPatientWithAccount(organization.id)).patientId;
    deviceToken = (await pairedMeter(patientId)).token;
    fhirToken = await insertBackendClientToken(organization.id, ["system/Observation.cu"]);
  });

  const deviceUpload = (body: string) =>
    readingsRoute(new Request("http://lantern.test/api/devices/readings", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${deviceToken}` }, body }));
  const fhirCreate = (body: string) =>
    createObservationRoute(new Request("http://lantern.test/fhir/Observation", { method: "POST", headers: { "content-type": "application/fhir+json", authorization: `Bearer ${fhirToken}` }, body }));

  it("a device batch nested thousands of levels deep: 400 naming the depth limit", async () => {
    const response = await deviceUpload(nested(3_900_000));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/nested more than 64 levels/);
    expect(await countReadingsOf(patientId)).toBe(0);
  });

  it("a device batch of a million empty objects: 413 naming the value limit", async () => {
    const response = await deviceUpload(manyObjects(3_900_000));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toMatch(/more than 500,000 values/);
  });

  it("a device batch over its size: 413 before reading it all", async () => {
    const response = await deviceUpload(nested(4_200_000));
    expect(response.status).toBe(413);
  });

  it("an 8 MB FHIR resource of nested arrays: 400 OperationOutcome", async () => {
    const response = await fhirCreate(nested(7_800_000));
    expect(response.status).toBe(400);
    const outcome = (await response.json()) as { resourceType: string; issue: Array<{ diagnostics: string }> };
    expect(outcome.resourceType).toBe("OperationOutcome");
    expect(outcome.issue[0]!.diagnostics).toMatch(/nested more than 64 levels/);
  });
});
