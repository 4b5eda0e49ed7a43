import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getEntrySpec } from "@/app/api/v1/entries/[spec]/route";
import { GET as getEntries, POST as postEntries } from "@/app/api/v1/entries/route";
import { GET as getStatus } from "@/app/api/v1/status.json/route";
import { GET as getTreatments, POST as postTreatments } from "@/app/api/v1/treatments/route";
import { GET as getDeviceStatuses, POST as postDeviceStatuses } from "@/app/api/v1/devicestatus/route";
import { GET as requestJwt } from "@/app/api/v2/authorization/request/[accessToken]/route";
import { GET as readEntryV3 } from "@/app/api/v3/entries/[identifier]/route";
import { getDb } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import { countReadingsOf, insertCareTeam, insertGuardianLink, insertOrganization, insertPatient, insertUser } from "@/test/factories";
import { accessTokenOf, json, nightscoutRequest as request, patientWithUploader, routeParams, type UploaderWorld } from "@/test/nightscout";
import { createAccessToken, listAccessTokens, revokeAccessToken } from "./access-tokens";

const minute = 60_000;
const entry = (minutesAgo: number, sgv: number) => ({ type: "sgv", sgv, date: Date.now() - minutesAgo * minute, device: "xDrip-DexcomG6" });

interface JwtAnswer {
  token: string;
  sub: string;
  permissionGroups: string[][];
  iat: number;
  exp: number;
}

const auditOf = (response: Response) => getDb().select().from(auditEvents).where(eq(auditEvents.requestId, response.headers.get("x-request-id")!)).orderBy(asc(auditEvents.seq));

async function jwtFor(accessToken: string) {
  const response = await requestJwt(request(`/api/v2/authorization/request/${accessToken}`), routeParams({ accessToken }));
  return { status: response.status, body: await json<JwtAnswer & { message?: string }>(response) };
}

describe("Nightscout access tokens: followers read, never write", () => {
  let world: UploaderWorld;
  let follower: string;

  beforeAll(async () => {
    world = await patientWithUploader();
    await postEntries(request("/api/v1/entries", { credential: { apiSecret: world.apiSecret }, body: [entry(10, 120), entry(5, 125)] }));
    await postTreatments(request("/api/v1/treatments", { credential: { apiSecret: world.apiSecret }, body: [{ eventType: "Meal Bolus", created_at: new Date(Date.now() - 20 * minute).toISOString(), carbs: 40 }] }));
    await postDeviceStatuses(request("/api/v1/devicestatus", { credential: { apiSecret: world.apiSecret }, body: [{ device: "xDrip-DexcomG6", uploaderBattery: 80 }] }));
    follower = await accessTokenOf(world, "read", "Nightguard on Dad's phone");
  });

  it.each([
    ["?token=", () => ({ token: follower })],
    ["the api-secret header", () => ({ apiSecret: follower })],
  ])("reads entries, treatments, device status and status.json with the token in %s", async (_label, credential) => {
    expect(await json<unknown[]>(await getEntries(request("/api/v1/entries.json", { credential: credential() })))).toHaveLength(2);
    expect(await json<unknown[]>(await getTreatments(request("/api/v1/treatments.json", { credential: credential() })))).toHaveLength(1);
    expect(await json<unknown[]>(await getDeviceStatuses(request("/api/v1/devicestatus.json", { credential: credential() })))).toHaveLength(1);
    expect(await json(await getStatus(request("/api/v1/status.json", { credential: credential() })))).toMatchObject({ authorized: { api: true } });
  });

  it("reads with a JWT for the token, in ?token= or as Authorization: Bearer", async () => {
    const { status, body } = await jwtFor(follower);
    expect(status).toBe(200);
    expect(body).toMatchObject({ sub: "Nightguard on Dad's phone", permissionGroups: [["api:*:read"]] });
    expect(body.exp - body.iat).toBe(3600);
    expect((await getEntries(request("/api/v1/entries.json", { credential: { token: body.token } }))).status).toBe(200);
    expect((await getEntries(request("/api/v1/entries.json", { credential: { bearer: body.token } }))).status).toBe(200);
  });

  it("is on the audit trail by its own id and access level, its refused writes as denied", async () => {
    const [summary] = (await listAccessTokens(world.owner, world.patientId)).filter((row) => row.name === "Nightguard on Dad's phone");
    const read = await getEntries(request("/api/v1/entries.json", { credential: { token: follower } }));
    expect(await auditOf(read)).toEqual([expect.objectContaining({ actorKind: "uploader", actorId: summary!.id, actorRole: "read", action: "search", outcome: "success", patientIds: [world.patientId] })]);
    const write = await postEntries(request("/api/v1/entries", { credential: { token: follower }, body: [entry(1, 130)] }));
    expect(await auditOf(write)).toEqual([expect.objectContaining({ actorId: summary!.id, action: "create", outcome: "denied" })]);
    const jwt = await requestJwt(request(`/api/v2/authorization/request/${follower}`), routeParams({ accessToken: follower }));
    expect(await auditOf(jwt)).toEqual([expect.objectContaining({ action: "sign-in", resourceType: "NightscoutAccessToken", resourceId: summary!.id, outcome: "success" })]);
  });

  it("cannot write: 403 with a sentence, and nothing stored", async () => {
    const before = await countReadingsOf(world.patientId);
    for (const response of [
      await postEntries(request("/api/v1/entries", { credential: { token: follower }, body: [entry(1, 130)] })),
      await postTreatments(request("/api/v1/treatments", { credential: { token: follower }, body: [{ eventType: "Note", created_at: new Date().toISOString() }] })),
      await postDeviceStatuses(request("/api/v1/devicestatus", { credential: { apiSecret: follower }, body: [{ device: "x", uploaderBattery: 1 }] })),
    ]) {
      expect(response.status).toBe(403);
      expect(await json(response)).toMatchObject({ error: "forbidden", message: expect.stringContaining("may only read") });
    }
    expect(await countReadingsOf(world.patientId)).toBe(before);
  });

  it("stops working at the next call once revoked, and so do its JWTs", async () => {
    const token = await accessTokenOf(world, "read", "Old watch");
    const { body } = await jwtFor(token);
    expect((await getEntries(request("/api/v1/entries.json", { credential: { token } }))).status).toBe(200);
    const [summary] = (await listAccessTokens(world.owner, world.patientId)).filter((row) => row.name === "Old watch");
    expect(summary!.lastUsedAt).not.toBeNull();
    await revokeAccessToken(world.owner, world.patientId, summary!.id);
    expect((await getEntries(request("/api/v1/entries.json", { credential: { token } }))).status).toBe(401);
    expect((await getEntries(request("/api/v1/entries.json", { credential: { bearer: body.token } }))).status).toBe(401);
    expect((await jwtFor(token)).status).toBe(401);
    expect((await listAccessTokens(world.owner, world.patientId)).find((row) => row.name === "Old watch")!.revokedAt).not.toBeNull();
  });

  it("refuses an unknown access token at the authorization request with 401 and a sentence", async () => {
    const { status, body } = await jwtFor("lnt_ns_not-a-token");
    expect(status).toBe(401);
    expect(body.message).toMatch(/unknown or revoked/);
  });
});

describe("Nightscout access tokens: one patient's token never reads another patient", () => {
  it("reads only its own patient's entries, whatever id it asks for", async () => {
    const alice = await patientWithUploader();
    const bob = await patientWithUploader();
    await postEntries(request("/api/v1/entries", { credential: { apiSecret: alice.apiSecret }, body: [entry(5, 111)] }));
    const [bobsEntry] = await json<{ _id: string }[]>(await postEntries(request("/api/v1/entries", { credential: { apiSecret: bob.apiSecret }, body: [entry(5, 222)] })));
    const alicesToken = await accessTokenOf(alice, "read");

    const listed = await json<{ sgv: number }[]>(await getEntries(request("/api/v1/entries.json?count=100", { credential: { token: alicesToken } })));
    expect(listed.map((row) => row.sgv)).toEqual([111]);
    const byId = await json<unknown[]>(await getEntrySpec(request(`/api/v1/entries/${bobsEntry!._id}.json`, { credential: { token: alicesToken } }), routeParams({ spec: `${bobsEntry!._id}.json` })));
    expect(byId).toEqual([]);
    const { body } = await jwtFor(alicesToken);
    const v3 = await readEntryV3(request(`/api/v3/entries/${bobsEntry!._id}`, { credential: { bearer: body.token } }), routeParams({ identifier: bobsEntry!._id }));
    expect(v3.status).toBe(404);
    expect(await json(v3)).toEqual({ status: 404 });
  });
});

describe("Nightscout access tokens: who may create and revoke them", () => {
  it("lets the patient, a guardian and the care team's clinician create them; nobody else (404)", async () => {
    const organization = await insertOrganization();
    const patient = await insertPatient(organization.id, { birthDate: "2014-05-01" });
    const guardian = await insertUser(organization.id, "guardian");
    await insertGuardianLink(guardian.userId, patient.id);
    const clinician = await insertUser(organization.id, "clinician");
    await insertCareTeam(organization.id, { clinicianUserIds: [clinician.userId], patientIds: [patient.id] });
    const admin = await insertUser(organization.id, "admin");
    const stranger = await insertUser(organization.id, "clinician");

    for (const actor of [guardian, clinician]) {
      const { token } = await createAccessToken(actor, patient.id, { name: `${actor.role}'s follower`, access: "read" });
      expect(token).toMatch(/^lnt_ns_[A-Za-z0-9_-]{43}$/);
    }
    for (const actor of [admin, stranger]) {
      expect(isAppError(await createAccessToken(actor, patient.id, { name: "x", access: "read" }).catch((error: unknown) => error), "not_found")).toBe(true);
    }
    const [first] = await listAccessTokens(guardian, patient.id);
    expect(isAppError(await revokeAccessToken(stranger, patient.id, first!.id).catch((error: unknown) => error), "not_found")).toBe(true);
  });

  it("names the problem with a bad name or access level", async () => {
    const world = await patientWithUploader();
    const error = await createAccessToken(world.owner, world.patientId, { name: " ", access: "admin" }).catch((caught: unknown) => caught);
    expect(isAppError(error, "invalid_input") && Object.keys(error.fieldErrors).sort()).toEqual(["access", "name"]);
  });
});
