import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { exportJWK, generateKeyPair, generateSecret, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as smartConfigurationRoute } from "@/app/fhir/.well-known/smart-configuration/route";
import { POST as tokenRoute } from "@/app/fhir/auth/token/route";
import { getDb } from "@/db/client";
import { backendAccessTokens, backendClients, clientAssertionIds } from "@/db/schema";
import { sha256Hex } from "@/lib/security/tokens";
import { internalOrigin } from "@/lib/access/actor";
import { hasScope } from "@/lib/access/scopes";
import { operatorIn } from "@/lib/admin/operator";
import { insertOrganization, insertUser } from "@/test/factories";
import { authenticateBackendToken as authenticateWithOrigin } from "./access";
import { registerBackendClient, revokeBackendClient } from "./clients";

const authenticateBackendToken = (bearer: string | null) => authenticateWithOrigin(bearer, internalOrigin("token-test"));
const createBackendClientInOrganization = async (organizationId: string, input: unknown) => registerBackendClient(await operatorIn(organizationId), input);

const TOKEN_URL = "http://lantern.test/fhir/auth/token";
const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

type Alg = "ES384" | "RS384";
interface KeyPair {
  alg: Alg;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function keyPair(alg: Alg, kid = `${alg}-${randomUUID()}`): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid } };
}

interface AssertionOptions {
  alg?: string;
  kid?: string | null;
  iss?: string;
  sub?: string;
  aud?: string | string[];
  /** Seconds from now; null leaves exp out. */
  expIn?: number | null;
  jti?: string | null;
  key?: CryptoKey | Uint8Array;
}

async function signAssertion(clientId: string, key: KeyPair, options: AssertionOptions = {}): Promise<string> {
  const claims: Record<string, unknown> = {};
  if (options.jti !== null) claims.jti = options.jti ?? randomUUID();
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? key.alg, typ: "JWT", ...(options.kid === null ? {} : { kid: options.kid ?? key.kid }) })
    .setIssuer(options.iss ?? clientId)
    .setSubject(options.sub ?? clientId)
    .setAudience(options.aud ?? TOKEN_URL);
  if (options.expIn !== null) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + (options.expIn ?? 240));
  return jwt.sign(options.key ?? key.privateKey);
}

function tokenRequest(fields: Record<string, string | string[]>, init: { url?: string; contentType?: string; headers?: Record<string, string> } = {}): Request {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return new Request(init.url ?? TOKEN_URL, {
    method: "POST",
    headers: { "content-type": init.contentType ?? "application/x-www-form-urlencoded", ...init.headers },
    body: body.toString(),
  });
}

function fields(assertion: string, scope = "system/Patient.rs system/Observation.rs"): Record<string, string> {
  return { grant_type: "client_credentials", client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, scope };
}

async function post(request: Request): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await tokenRoute(request);
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

async function expectRefused(request: Request, error: string, description?: RegExp, status = 400) {
  const { status: actual, body, headers } = await post(request);
  expect({ status: actual, error: body.error }).toEqual({ status, error });
  expect(typeof body.error_description).toBe("string");
  if (description) expect(body.error_description).toMatch(description);
  expect(body.access_token).toBeUndefined();
  expect(headers.get("cache-control")).toBe("no-store");
}

describe("SMART Backend Services token endpoint", () => {
  let organizationId: string;
  let es384: KeyPair;
  let rs384: KeyPair;
  let clientId: string;
  const allowed = ["system/Patient.rs", "system/Observation.rs", "system/Observation.cu"];

  async function registerClient(keys: JWK[], scopes = allowed, org = organizationId): Promise<string> {
    const { clientId: id } = await createBackendClientInOrganization(org, { name: "Test EHR", jwks: JSON.stringify({ keys }), scopes });
    return id;
  }

  beforeAll(async () => {
    organizationId = (await insertOrganization()).id;
    [es384, rs384] = await Promise.all([keyPair("ES384"), keyPair("RS384")]);
    clientId = await registerClient([es384.publicJwk, rs384.publicJwk]);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(["ES384", "RS384"] as const)("issues an opaque 5-minute token for an %s assertion, stored only as its SHA-256", async (alg) => {
    const key = alg === "ES384" ? es384 : rs384;
    const before = Date.now();
    const { status, body, headers } = await post(tokenRequest(fields(await signAssertion(clientId, key))));
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(headers.get("pragma")).toBe("no-cache");
    expect(body).toEqual({ access_token: expect.stringMatching(/^lnt_at_[A-Za-z0-9_-]{43}$/), token_type: "bearer", expires_in: 300, scope: "system/Patient.rs system/Observation.rs" });

    const token = body.access_token as string;
    const [stored] = await getDb().select().from(backendAccessTokens).where(eq(backendAccessTokens.tokenHash, sha256Hex(token)));
    expect(stored).toMatchObject({ clientId, scopes: ["system/Patient.rs", "system/Observation.rs"] });
    expect(stored!.expiresAt.getTime() - before).toBeGreaterThanOrEqual(299_000);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    const anyRaw = (await getDb().select({ hash: backendAccessTokens.tokenHash }).from(backendAccessTokens)).some((row) => row.hash.includes(token));
    expect(anyRaw).toBe(false);

    const actor = await authenticateBackendToken(token);
    expect(actor).toEqual({ kind: "backend-client", clientId, organizationId, scopes: ["system/Patient.rs", "system/Observation.rs"], origin: internalOrigin("token-test") });
    expect(hasScope(actor!.scopes, "Observation", "search")).toBe(true);
    expect(hasScope(actor!.scopes, "Observation", "create")).toBe(false);
  });

  it("accepts an aud array naming the token URL", async () => {
    const array = await post(tokenRequest(fields(await signAssertion(clientId, es384, { aud: ["https://other.example", TOKEN_URL] }))));
    expect(array.status).toBe(200);
  });

  it("without LANTERN_PUBLIC_URL, takes the token URL the request was addressed to, as Next.js forwards it", async () => {
    const addressed = await post(
      tokenRequest(fields(await signAssertion(clientId, es384, { aud: "https://portal.example.org/fhir/auth/token" })), { headers: { "x-forwarded-host": "portal.example.org", "x-forwarded-proto": "https" } }),
    );
    expect(addressed.status).toBe(200);
    // With LANTERN_PUBLIC_URL set, headers choose nothing: public-url.int.test.ts.
  });

  describe("refuses assertions", () => {
    it("signed with HS256 and a shared secret, or unsigned", async () => {
      const secret = await generateSecret("HS256", { extractable: true });
      const hs256 = await signAssertion(clientId, es384, { alg: "HS256", key: secret });
      await expectRefused(tokenRequest(fields(hs256)), "invalid_client", /RS384 or ES384.*HS256/);

      const unsecured = new UnsecuredJWT({ jti: randomUUID() }).setIssuer(clientId).setSubject(clientId).setAudience(TOKEN_URL).setExpirationTime("4m").encode();
      await expectRefused(tokenRequest(fields(unsecured)), "invalid_client", /"none"/);
    });

    it("signed with RS256 by a registered RSA key", async () => {
      const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
      const publicJwk = { ...(await exportJWK(publicKey)), kid: "rs256" };
      delete publicJwk.alg;
      const rsaClient = await registerClient([publicJwk]);
      await expectRefused(tokenRequest(fields(await signAssertion(rsaClient, rs384, { alg: "RS256", kid: "rs256", key: privateKey }))), "invalid_client", /RS384 or ES384.*RS256/);
    });

    it("that have expired, that expire more than 5 minutes ahead, or that have no exp", async () => {
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { expIn: -120 }))), "invalid_client", /expired/);
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { expIn: 600 }))), "invalid_client", /at most 5 minutes/);
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { expIn: null }))), "invalid_client", /exp/);
    });

    it("for another audience", async () => {
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { aud: "https://elsewhere.example/token" }))), "invalid_client", /aud must be the token endpoint URL http:\/\/lantern\.test\/fhir\/auth\/token/);
      // A forwarded host the assertion does not name changes nothing.
      await expectRefused(
        tokenRequest(fields(await signAssertion(clientId, es384, { aud: "https://evil.example/fhir/auth/token" })), { headers: { "x-forwarded-host": "portal.example.org" } }),
        "invalid_client",
        /aud/,
      );
    });

    it("whose iss and sub differ, or whose iss is no client id", async () => {
      const otherClient = await registerClient([es384.publicJwk]);
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { sub: otherClient }))), "invalid_client", /iss and sub/);
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { iss: "test-ehr", sub: "test-ehr" }))), "invalid_client", /iss must be the client_id/);
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { iss: randomUUID(), sub: randomUUID() }))), "invalid_client", /Unknown or revoked client/);
    });

    it("naming an unknown kid, no kid, or signed by an unregistered key under a registered kid", async () => {
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { kid: "not-registered" }))), "invalid_client", /No key .* kid "not-registered"/);
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { kid: null }))), "invalid_client", /kid/);
      const impostor = await keyPair("ES384", es384.kid);
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, impostor))), "invalid_client", /signature/);
      // An RS384 assertion naming the EC key's kid finds no RSA key under that kid.
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, rs384, { kid: es384.kid }))), "invalid_client", /No key/);
    });

    it("replayed with the same jti, or without a jti", async () => {
      const jti = randomUUID();
      const first = await post(tokenRequest(fields(await signAssertion(clientId, es384, { jti }))));
      expect(first.status).toBe(200);
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { jti }))), "invalid_client", /used already/);
      const [seen] = await getDb().select().from(clientAssertionIds).where(eq(clientAssertionIds.jti, jti));
      expect(seen!.clientId).toBe(clientId);
      // The same jti from another client is that client's business.
      const otherClient = await registerClient([es384.publicJwk]);
      expect((await post(tokenRequest(fields(await signAssertion(otherClient, es384, { jti }))))).status).toBe(200);
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384, { jti: null }))), "invalid_client", /jti/);
    });

    it("that are not JWTs", async () => {
      for (const assertion of ["abc", "a.b.c", "eyJhbGciOiJFUzM4NCJ9.e30.", "x".repeat(20_000)]) {
        await expectRefused(tokenRequest(fields(assertion)), "invalid_client");
      }
    });
  });

  describe("revocation", () => {
    it("refuses a revoked client at the token endpoint and stops its access tokens at their next use", async () => {
      const admin = await insertUser(organizationId, "admin");
      const key = await keyPair("ES384");
      const revokable = await registerClient([key.publicJwk]);
      const { body } = await post(tokenRequest(fields(await signAssertion(revokable, key))));
      const token = body.access_token as string;
      expect(await authenticateBackendToken(token)).not.toBeNull();

      await revokeBackendClient(admin, revokable);
      expect(await authenticateBackendToken(token)).toBeNull();
      await expectRefused(tokenRequest(fields(await signAssertion(revokable, key))), "invalid_client", /revoked/);
    });

    it("stops a token whose client was revoked even if the token row remains", async () => {
      const key = await keyPair("RS384");
      const revokable = await registerClient([key.publicJwk]);
      const { body } = await post(tokenRequest(fields(await signAssertion(revokable, key))));
      await getDb().update(backendClients).set({ revokedAt: new Date() }).where(eq(backendClients.id, revokable));
      expect(await getDb().select().from(backendAccessTokens).where(eq(backendAccessTokens.clientId, revokable))).toHaveLength(1);
      expect(await authenticateBackendToken(body.access_token as string)).toBeNull();
    });

    it.each([
      ["null", null],
      ["empty", ""],
      ["unknown", "lnt_at_unknown"],
      ["absurdly long", `lnt_at_${"x".repeat(10_000)}`],
    ])("authenticates no one with a %s bearer token", async (_label, bearer) => {
      expect(await authenticateBackendToken(bearer)).toBeNull();
    });

    it("authenticates no one with an expired access token", async () => {
      const { body } = await post(tokenRequest(fields(await signAssertion(clientId, es384))));
      const token = body.access_token as string;
      await getDb().update(backendAccessTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(backendAccessTokens.tokenHash, sha256Hex(token)));
      expect(await authenticateBackendToken(token)).toBeNull();
    });
  });

  describe("scopes", () => {
    it.each([
      ["v1 names mapped to v2", "system/Observation.read system/Observation.write", "system/Observation.rs system/Observation.cu"],
      ["the allowed part of a wider request", "system/Patient.rs system/Device.rs system/Group.read launch openid", "system/Patient.rs"],
      ["a wildcard intersected with the allowed scopes", "system/*.rs", "system/Patient.rs system/Observation.rs"],
      ["a narrower request as asked", "system/Observation.s", "system/Observation.s"],
      ["the common letters of cruds", "system/Observation.cruds", "system/Observation.rs system/Observation.cu"],
    ])("grants %s", async (_label, requested, granted) => {
      const { status, body } = await post(tokenRequest(fields(await signAssertion(clientId, es384), requested)));
      expect(status).toBe(200);
      expect(body.scope).toBe(granted);
      expect((await authenticateBackendToken(body.access_token as string))!.scopes).toEqual(granted.split(" "));
    });

    it.each([
      ["scopes the client may not have", "system/Device.rs system/Group.rs"],
      ["patient-context scopes", "patient/Observation.rs"],
      ["a delete", "system/Observation.d"],
      ["only whitespace", "   "],
    ])("answers invalid_scope for %s", async (_label, requested) => {
      await expectRefused(tokenRequest(fields(await signAssertion(clientId, es384), requested)), "invalid_scope", /None of the requested scopes/);
    });
  });

  describe("request format", () => {
    it("answers unsupported_grant_type for another grant", async () => {
      const assertion = await signAssertion(clientId, es384);
      for (const grant of ["authorization_code", "password", "urn:ietf:params:oauth:grant-type:jwt-bearer"]) {
        await expectRefused(tokenRequest({ ...fields(assertion), grant_type: grant }), "unsupported_grant_type", /client_credentials/);
      }
    });

    it.each(["grant_type", "client_assertion_type", "client_assertion", "scope"])("answers invalid_request without %s", async (missing) => {
      const all = fields(await signAssertion(clientId, es384));
      const rest = Object.fromEntries(Object.entries(all).filter(([name]) => name !== missing));
      await expectRefused(tokenRequest(rest), "invalid_request", new RegExp(`${missing} is missing`));
    });

    it("answers invalid_request for a wrong assertion type, a repeated parameter, a client secret, or JSON", async () => {
      const assertion = await signAssertion(clientId, es384);
      await expectRefused(tokenRequest({ ...fields(assertion), client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" }), "invalid_request", /client_assertion_type/);
      await expectRefused(tokenRequest({ ...fields(assertion), scope: ["system/Patient.rs", "system/Observation.rs"] }), "invalid_request", /scope is repeated/);
      await expectRefused(tokenRequest({ ...fields(assertion), client_secret: "hunter2" }), "invalid_request", /client_secret/);
      const json = new Request(TOKEN_URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fields(assertion)) });
      await expectRefused(json, "invalid_request", /x-www-form-urlencoded/);
      await expectRefused(new Request(TOKEN_URL, { method: "POST" }), "invalid_request");
    });

    it("refuses a body over its limit with 413", async () => {
      await expectRefused(tokenRequest({ ...fields("x"), padding: "x".repeat(40_000) }), "invalid_request", /larger than/, 413);
    });
  });

  describe("a client whose keys are published at a URL", () => {
    it("fetches the key set from its URL (fetch stubbed: no network in tests)", async () => {
      const key = await keyPair("ES384");
      const jwksUrl = `https://ehr-${randomUUID()}.example/jwks.json`;
      const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ keys: [key.publicJwk] }));
      const { clientId: urlClient } = await createBackendClientInOrganization(organizationId, { name: "URL EHR", jwksUrl, scopes: "system/Patient.rs" });
      const { status, body } = await post(tokenRequest(fields(await signAssertion(urlClient, key), "system/Patient.rs")));
      expect({ status, scope: body.scope }).toEqual({ status: 200, scope: "system/Patient.rs" });
      expect(String(fetchSpy.mock.calls[0]![0])).toBe(jwksUrl);
    });

    it("answers invalid_client when the key set cannot be fetched", async () => {
      const key = await keyPair("ES384");
      vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("fetch failed"));
      const { clientId: urlClient } = await createBackendClientInOrganization(organizationId, { name: "Down EHR", jwksUrl: `https://down-${randomUUID()}.example/jwks.json`, scopes: "system/Patient.rs" });
      await expectRefused(tokenRequest(fields(await signAssertion(urlClient, key), "system/Patient.rs")), "invalid_client", /could not be fetched/);
    });
  });

  it("publishes the SMART configuration with this server's token URL", async () => {
    const response = await smartConfigurationRoute(new Request("https://portal.example.org/fhir/.well-known/smart-configuration"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const configuration = (await response.json()) as Record<string, string[] | string>;
    expect(configuration).toMatchObject({
      token_endpoint: "https://portal.example.org/fhir/auth/token",
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: ["private_key_jwt"],
      token_endpoint_auth_signing_alg_values_supported: ["RS384", "ES384"],
      capabilities: ["client-confidential-asymmetric", "permission-v2"],
    });
    for (const type of ["Patient", "Observation", "Device", "Practitioner", "Organization", "Group"]) {
      expect(configuration.scopes_supported).toEqual(expect.arrayContaining([`system/${type}.rs`, `system/${type}.read`]));
    }
    expect(configuration.scopes_supported).toEqual(expect.arrayContaining(["system/*.rs", "system/Observation.cu", "system/Observation.write"]));
  });
});
