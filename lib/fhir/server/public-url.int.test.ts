import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";

// Before anything reads the configuration (it is parsed once per test file).
vi.stubEnv("LANTERN_PUBLIC_URL", "https://lantern.example.org");

const { GET: metadataRoute } = await import("@/app/fhir/metadata/route");
const { GET: smartConfigurationRoute } = await import("@/app/fhir/.well-known/smart-configuration/route");
const { POST: tokenRoute } = await import("@/app/fhir/auth/token/route");
const { GET: searchObservationsRoute, POST: createObservationRoute } = await import("@/app/fhir/Observation/route");
const { GET: searchPatientsRoute } = await import("@/app/fhir/Patient/route");
const { GET: patientExportRoute } = await import("@/app/fhir/Patient/$export/route");
const { GET: statusRoute } = await import("@/app/fhir/bulk-status/[jobId]/route");
const { operatorIn } = await import("@/lib/admin/operator");
const { registerBackendClient } = await import("@/lib/fhir/smart/clients");
const { ingestForTest, insertBackendClientToken, insertOrganization, insertPatient } = await import("@/test/factories");

/** What the server process sees behind the proxy: its own address, whatever the client used. */
const internal = "http://10.0.0.7:3000";
const PUBLIC = "https://lantern.example.org";
const spoofed = { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };

const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
  new Request(`${internal}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

describe("with LANTERN_PUBLIC_URL, every absolute URL names the public site, never the request's address", () => {
  let organizationId: string;
  let token: string;
  let patientId: string;

  beforeAll(async () => {
    organizationId = (await insertOrganization()).id;
    token = await insertBackendClientToken(organizationId, ["system/Patient.rs", "system/Observation.rs", "system/Observation.c"]);
    patientId = (await insertPatient(organizationId)).id;
    const start = Date.parse("2026-09-01T00:00:00Z");
    await ingestForTest(patientId, Array.from({ length: 5 }, (_, i) => ({
      position: i, value: 100 + i, unit: "mg/dL" as const, censored: null, effectiveAt: new Date(start + i * 300_000), utcOffsetMinutes: 0, specimen: "interstitial" as const, dedupeKey: `public-url:${i}`,
    })));
  });

  it("in paging links and fullUrls, which lead on from the public address", async () => {
    const first = (await (await searchObservationsRoute(get(`/fhir/Observation?patient=${patientId}&_count=2`, token, spoofed))).json()) as {
      link: { relation: string; url: string }[];
      entry: { fullUrl: string }[];
    };
    const self = first.link.find((link) => link.relation === "self")!.url;
    const next = first.link.find((link) => link.relation === "next")!.url;
    expect(self).toBe(`${PUBLIC}/fhir/Observation?patient=${patientId}&_count=2`);
    expect(next.startsWith(`${PUBLIC}/fhir/Observation?`)).toBe(true);
    expect(first.entry.every((entry) => entry.fullUrl.startsWith(`${PUBLIC}/fhir/Observation/`))).toBe(true);
    // The proxy passes the path on: the next page is read from it.
    const second = (await (await searchObservationsRoute(get(next.slice(PUBLIC.length), token))).json()) as { entry: unknown[] };
    expect(second.entry).toHaveLength(2);
  });

  it("in id-paged searches too", async () => {
    const page = (await (await searchPatientsRoute(get(`/fhir/Patient?_id=${patientId}`, token, spoofed))).json()) as { link: { url: string }[]; entry: { fullUrl: string }[] };
    expect(page.link[0]!.url).toBe(`${PUBLIC}/fhir/Patient?_id=${patientId}`);
    expect(page.entry[0]!.fullUrl).toBe(`${PUBLIC}/fhir/Patient/${patientId}`);
  });

  it("in Location after a create", async () => {
    const observation = {
      resourceType: "Observation", status: "final", code: { coding: [{ system: "http://loinc.org", code: "99504-3" }] }, subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: "2026-09-02T08:00:00Z", valueQuantity: { value: 123, system: "http://unitsofmeasure.org", code: "mg/dL" },
    };
    const response = await createObservationRoute(
      new Request(`${internal}/fhir/Observation`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/fhir+json", ...spoofed }, body: JSON.stringify(observation) }),
    );
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toMatch(new RegExp(`^${PUBLIC}/fhir/Observation/\\d+/_history/1$`));
  });

  it("in the CapabilityStatement and the SMART configuration", async () => {
    const capability = (await (await metadataRoute(get("/fhir/metadata", undefined, spoofed))).json()) as {
      implementation: { url: string };
      rest: { security: { extension: { extension: { valueUri: string }[] }[] } }[];
    };
    expect(capability.implementation.url).toBe(`${PUBLIC}/fhir`);
    expect(capability.rest[0]!.security.extension[0]!.extension[0]!.valueUri).toBe(`${PUBLIC}/fhir/auth/token`);
    const smart = (await (await smartConfigurationRoute(get("/fhir/.well-known/smart-configuration", undefined, spoofed))).json()) as { token_endpoint: string };
    expect(smart.token_endpoint).toBe(`${PUBLIC}/fhir/auth/token`);
  });

  it("in the Bulk Data status URL, the manifest's request and its file URLs", async () => {
    const exporter = await insertBackendClientToken(organizationId, ["system/Patient.rs"]);
    const kickOff = await patientExportRoute(get("/fhir/Patient/$export?_type=Patient", exporter, { prefer: "respond-async", ...spoofed }));
    expect(kickOff.status).toBe(202);
    const statusUrl = kickOff.headers.get("content-location")!;
    expect(statusUrl).toMatch(new RegExp(`^${PUBLIC}/fhir/bulk-status/[0-9a-f-]{36}$`));
    const jobId = statusUrl.split("/").at(-1)!;
    let status = await statusRoute(get(`/fhir/bulk-status/${jobId}`, exporter), { params: Promise.resolve({ jobId }) });
    for (let attempt = 0; status.status === 202 && attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = await statusRoute(get(`/fhir/bulk-status/${jobId}`, exporter), { params: Promise.resolve({ jobId }) });
    }
    const manifest = (await status.json()) as { request: string; output: { url: string }[] };
    expect(manifest.request).toBe(`${PUBLIC}/fhir/Patient/$export?_type=Patient`);
    expect(manifest.output.map((file) => file.url.startsWith(`${PUBLIC}/fhir/bulk-files/${jobId}/`))).toEqual([true]);
  });
});

describe("with LANTERN_PUBLIC_URL, a client assertion's aud must be the public token URL", () => {
  let clientId: string;
  let key: { kid: string; privateKey: CryptoKey };

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES384", { extractable: true });
    key = { kid: randomUUID(), privateKey };
    const organizationId = (await insertOrganization()).id;
    ({ clientId } = await registerBackendClient(await operatorIn(organizationId), {
      name: "Proxy EHR",
      jwks: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: key.kid }] }),
      scopes: "system/Patient.rs",
    }));
  });

  async function exchange(aud: string, headers: Record<string, string> = {}) {
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: "ES384", kid: key.kid, typ: "JWT" })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(aud)
      .setExpirationTime("4m")
      .sign(key.privateKey);
    const body = new URLSearchParams({ grant_type: "client_credentials", client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion, scope: "system/Patient.rs" });
    const response = await tokenRoute(new Request(`${internal}/fhir/auth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: body.toString() }));
    return { status: response.status, body: (await response.json()) as { error?: string; error_description?: string } };
  }

  it("accepts the public token URL, whatever address the request arrived at", async () => {
    expect((await exchange(`${PUBLIC}/fhir/auth/token`)).status).toBe(200);
  });

  it.each([
    ["the server's internal address", `${internal}/fhir/auth/token`, {}],
    ["a host the caller names in Host and X-Forwarded-Host", "https://evil.example/fhir/auth/token", spoofed],
  ])("refuses %s, naming the public URL", async (_what, aud, headers) => {
    const { status, body } = await exchange(aud, headers);
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_client", error_description: `The assertion's aud must be the token endpoint URL ${PUBLIC}/fhir/auth/token.` });
  });
});
