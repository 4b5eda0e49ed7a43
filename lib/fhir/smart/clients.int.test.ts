import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as tokenRoute } from "@/app/fhir/auth/token/route";
import { getDb } from "@/db/client";
import { backendClients } from "@/db/schema";
import { internalOrigin } from "@/lib/access/actor";
import { operatorIn } from "@/lib/admin/operator";
import { seedDemoBackendClient } from "@/lib/demo/seed";
import { isAppError, type AppError } from "@/lib/errors";
import { insertOrganization, insertUser, type InsertedUser } from "@/test/factories";
import { authenticateBackendToken } from "./access";
import {
  listBackendClients,
  organizationOfBackendClient,
  registerBackendClient,
  revokeBackendClient,
} from "./clients";

async function caught(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("registering and revoking backend clients", () => {
  let admin: InsertedUser;
  let otherAdmin: InsertedUser;
  let clinician: InsertedUser;
  let publicJwk: JWK;
  let jwks: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    admin = await insertUser(organization.id, "admin");
    clinician = await insertUser(organization.id, "clinician");
    otherAdmin = await insertUser((await insertOrganization()).id, "admin");
    const { publicKey } = await generateKeyPair("ES384", { extractable: true });
    publicJwk = { ...(await exportJWK(publicKey)), kid: "ehr-key-1" };
    jwks = JSON.stringify({ keys: [publicJwk] });
  });

  it("registers a client in the admin's organization with only the public keys, and lists it", async () => {
    const registered = await registerBackendClient(admin, { name: "  St Elsewhere EHR ", jwks, jwksUrl: "", scopes: ["system/Patient.rs", "system/Observation.rs"] });
    expect(registered).toEqual({ clientId: expect.any(String), name: "St Elsewhere EHR", allowedScopes: ["system/Patient.rs", "system/Observation.rs"] });
    const [row] = await getDb().select().from(backendClients).where(eq(backendClients.id, registered.clientId));
    expect(row).toMatchObject({ organizationId: admin.organizationId, createdByUserId: admin.userId, jwksUrl: null, revokedAt: null });
    expect(row!.jwks).toEqual({ keys: [{ kty: "EC", kid: "ehr-key-1", crv: "P-384", x: publicJwk.x, y: publicJwk.y }] });

    const listed = await listBackendClients(admin);
    expect(listed.find((client) => client.clientId === registered.clientId)).toMatchObject({ name: "St Elsewhere EHR", keyIds: ["ehr-key-1"], jwksUrl: null, revokedAt: null });
    expect((await listBackendClients(otherAdmin)).some((client) => client.clientId === registered.clientId)).toBe(false);
  });

  it("refuses bad input field by field", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES384", { extractable: true });
    const privateJwks = JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: "oops" }] });
    const privateKeyError = await caught(registerBackendClient(admin, { name: "EHR", jwks: privateJwks, scopes: ["system/Patient.rs"] }));
    expect(privateKeyError.code).toBe("invalid_input");
    expect(privateKeyError.fieldErrors.jwks?.[0]).toMatch(/private key material/);

    const several = await caught(registerBackendClient(admin, { name: "", jwks: JSON.stringify({ keys: [await exportJWK(publicKey)] }), scopes: [] }));
    expect(Object.keys(several.fieldErrors).sort()).toEqual(["jwks", "name", "scopes"]);

    const http = await caught(registerBackendClient(admin, { name: "EHR", jwksUrl: "http://ehr.example.org/jwks", scopes: ["system/Patient.rs"] }));
    expect(http.fieldErrors.jwksUrl?.[0]).toMatch(/https/);
  });

  it("lets only admins manage clients", async () => {
    expect((await caught(registerBackendClient(clinician, { name: "EHR", jwks, scopes: ["system/Patient.rs"] }))).code).toBe("not_found");
    expect((await caught(listBackendClients(clinician))).code).toBe("not_found");
    const { clientId } = await registerBackendClient(admin, { name: "EHR", jwks, scopes: ["system/Patient.rs"] });
    expect((await caught(revokeBackendClient(clinician, clientId))).code).toBe("not_found");
  });

  it("answers not_found to an admin of another organization, and for ids that are no client", async () => {
    const { clientId } = await registerBackendClient(admin, { name: "EHR", jwks, scopes: ["system/Patient.rs"] });
    expect(await caught(revokeBackendClient(otherAdmin, clientId))).toMatchObject({ code: "not_found", message: "No such client." });
    const [row] = await getDb().select().from(backendClients).where(eq(backendClients.id, clientId));
    expect(row!.revokedAt).toBeNull();
    for (const id of [randomUUID(), "not-a-uuid", "'; drop table backend_clients; --"]) {
      expect((await caught(revokeBackendClient(admin, id))).code).toBe("not_found");
    }
  });

  it("revokes once: a second revocation keeps the first date", async () => {
    const { clientId } = await registerBackendClient(admin, { name: "EHR", jwks, scopes: ["system/Patient.rs"] });
    const first = await revokeBackendClient(admin, clientId);
    const second = await revokeBackendClient(admin, clientId);
    expect(second.revokedAt).toEqual(first.revokedAt);
    expect((await listBackendClients(admin)).find((client) => client.clientId === clientId)!.revokedAt).toEqual(first.revokedAt);
  });

  describe("the operator at the server's shell (the CLI)", () => {
    it("registers by organization id, lists, and revokes by client id alone", async () => {
      const operator = await operatorIn(admin.organizationId);
      const { clientId } = await registerBackendClient(operator, { name: "CLI EHR", jwksUrl: "https://ehr.example.org/jwks.json", scopes: "system/Observation.rs system/Observation.cu" });
      const listed = (await listBackendClients(operator)).find((client) => client.clientId === clientId);
      expect(listed).toMatchObject({ keyIds: null, jwksUrl: "https://ehr.example.org/jwks.json", allowedScopes: ["system/Observation.rs", "system/Observation.cu"] });
      expect(await organizationOfBackendClient(clientId)).toBe(admin.organizationId);
      expect((await revokeBackendClient(await operatorIn(admin.organizationId), clientId)).name).toBe("CLI EHR");
    });

    it("refuses an unknown organization", async () => {
      for (const organizationId of [randomUUID(), "nope"]) {
        const error = await caught(operatorIn(organizationId));
        expect(error).toMatchObject({ code: "not_found", message: expect.stringContaining("No organization has the id") });
      }
    });
  });

  it("the demo seed's client gets a token with the private key it writes out", async () => {
    const seeded = await seedDemoBackendClient(getDb(), admin.organizationId);
    expect(seeded.privateJwk).toMatchObject({ kty: "EC", crv: "P-384", alg: "ES384", d: expect.any(String), kid: expect.any(String) });
    const [row] = await getDb().select().from(backendClients).where(eq(backendClients.id, seeded.clientId));
    expect(JSON.stringify(row!.jwks)).not.toContain(seeded.privateJwk.d!);

    const tokenUrl = "http://localhost:3000/fhir/auth/token";
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: "ES384", kid: seeded.privateJwk.kid!, typ: "JWT" })
      .setIssuer(seeded.clientId)
      .setSubject(seeded.clientId)
      .setAudience(tokenUrl)
      .setExpirationTime("4m")
      .sign(await importJWK(seeded.privateJwk, "ES384"));
    const response = await tokenRoute(
      new Request(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
          scope: "system/Observation.read",
        }),
      }),
    );
    const body = (await response.json()) as { access_token: string; scope: string };
    expect(response.status).toBe(200);
    expect(body.scope).toBe("system/Observation.rs");
    expect(await authenticateBackendToken(body.access_token, internalOrigin())).toMatchObject({ clientId: seeded.clientId, organizationId: admin.organizationId });
  });
});
