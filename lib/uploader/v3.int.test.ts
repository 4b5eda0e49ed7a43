import { beforeAll, describe, expect, it } from "vitest";
import { GET as getFood, POST as postProfile } from "@/app/api/v3/[collection]/[[...rest]]/route";
import { GET as getDeviceStatuses, POST as postDeviceStatus } from "@/app/api/v3/devicestatus/route";
import { PATCH as patchEntry } from "@/app/api/v3/entries/[identifier]/route";
import { GET as entriesHistory } from "@/app/api/v3/entries/history/[lastModified]/route";
import { GET as entriesHistorySinceHeader } from "@/app/api/v3/entries/history/route";
import { GET as getEntries, POST as postEntry } from "@/app/api/v3/entries/route";
import { GET as getLastModified } from "@/app/api/v3/lastModified/route";
import { GET as getStatus } from "@/app/api/v3/status/route";
import { DELETE as deleteTreatment, GET as readTreatment, PATCH as patchTreatment } from "@/app/api/v3/treatments/[identifier]/route";
import { GET as treatmentsHistory } from "@/app/api/v3/treatments/history/[lastModified]/route";
import { GET as getTreatments, POST as postTreatment } from "@/app/api/v3/treatments/route";
import { GET as getVersion } from "@/app/api/v3/version/route";
import { GET as requestJwt } from "@/app/api/v2/authorization/request/[accessToken]/route";
import { ingestForTest } from "@/test/factories";
import { accessTokenOf, json, nightscoutRequest as request, patientWithUploader, routeParams, type UploaderWorld } from "@/test/nightscout";
import { listAccessTokens, revokeAccessToken } from "./access-tokens";
import { computedIdentifier } from "./identifiers";

/**
 * AndroidAPS's NSClient v3, request by request as core/nssdk makes them: an empty Bearer first
 * (401), the JWT from the access token, status and lastModified, then uploads one document at a
 * time and loads with sort/date$gt and history/{srvModified}.
 */

const minute = 60_000;
const now = Date.now();
const device = "AndroidAPS-DexcomG6";

interface Envelope<T = unknown> {
  status: number;
  result?: T;
  message?: string;
  identifier?: string;
  isDeduplication?: boolean;
  lastModified?: number;
}

describe("Nightscout API v3 as AndroidAPS's NSClient v3 uses it", () => {
  let world: UploaderWorld;
  let jwt: string;
  const bearer = () => ({ bearer: jwt });
  const call = async <T>(response: Promise<Response> | Response) => {
    const resolved = await response;
    return { status: resolved.status, headers: resolved.headers, body: await json<Envelope<T>>(resolved) };
  };

  beforeAll(async () => {
    world = await patientWithUploader();
  });

  it("answers the first request, with an empty Bearer, 401 in v3's envelope; then exchanges the access token for a JWT", async () => {
    const first = await call(getStatus(request("/api/v3/status", { credential: { bearer: "" } })));
    expect(first.status).toBe(401);
    expect(first.body).toMatchObject({ status: 401, message: expect.stringContaining("Missing or bad access token or JWT") });

    const accessToken = await accessTokenOf(world, "read-write", "AndroidAPS");
    const exchange = await requestJwt(request(`/api/v2/authorization/request/${accessToken}`), routeParams({ accessToken }));
    expect(exchange.status).toBe(200);
    jwt = (await json<{ token: string }>(exchange)).token;
  });

  it("reports every permission on all six collections (AndroidAPS uploads only then) and the versions", async () => {
    const { status, body } = await call<{ version: string; apiVersion: string; srvDate: number; storage: { storage: string; version: string }; apiPermissions: Record<string, string> }>(
      getStatus(request("/api/v3/status", { credential: bearer() })),
    );
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ apiVersion: "3.0.3-alpha", storage: { storage: "postgresql", version: expect.any(String) } });
    expect(body.result!.apiPermissions).toEqual({ devicestatus: "crud", entries: "crud", food: "crud", profile: "crud", settings: "crud", treatments: "crud" });
    expect((await call(getVersion(request("/api/v3/version")))).body.result).toMatchObject({ version: expect.any(String), apiVersion: "3.0.3-alpha" });
  });

  it("has no collections in lastModified before anything was sent", async () => {
    const { body } = await call<{ srvDate: number; collections: Record<string, number> }>(getLastModified(request("/api/v3/lastModified", { credential: bearer() })));
    expect(body.result!.collections).toEqual({});
  });

  let entryIdentifier: string;
  it("creates an entry (201 with identifier and lastModified), and a resend is a deduplication (200)", async () => {
    const sgv = { type: "sgv", sgv: 145, date: now - 10 * minute, device, direction: "Flat", app: "AAPS", utcOffset: 60, units: "mg/dl", isValid: true };
    const created = await call(postEntry(request("/api/v3/entries", { credential: bearer(), body: sgv })));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 201, identifier: expect.any(String), lastModified: expect.any(Number) });
    expect(created.headers.get("location")).toBe(`/api/v3/entries/${created.body.identifier}`);
    entryIdentifier = created.body.identifier!;
    const again = await call(postEntry(request("/api/v3/entries", { credential: bearer(), body: sgv })));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 200, identifier: entryIdentifier, isDeduplication: true });
  });

  it("answers an entry it cannot store 400 with the reason (AndroidAPS logs it and moves on)", async () => {
    const refused = await call(postEntry(request("/api/v3/entries", { credential: bearer(), body: { type: "sgv", sgv: 145, date: now + 24 * 60 * minute, device, app: "AAPS" } })));
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/in the future/);
  });

  let carbsIdentifier: string;
  it("creates treatments under the identifier Nightscout would compute, and a resend deduplicates", async () => {
    const carbs = { date: now - 30 * minute, utcOffset: 60, app: "AAPS", device, eventType: "Carb Correction", carbs: 20, isValid: true };
    const created = await call(postTreatment(request("/api/v3/treatments", { credential: bearer(), body: carbs })));
    expect(created.status).toBe(201);
    carbsIdentifier = created.body.identifier!;
    expect(carbsIdentifier).toBe(computedIdentifier({ device, date: carbs.date, eventType: "Carb Correction" }));
    expect((await call(postTreatment(request("/api/v3/treatments", { credential: bearer(), body: carbs })))).body).toMatchObject({ status: 200, isDeduplication: true, identifier: carbsIdentifier });
    const smb = { date: now - 25 * minute, utcOffset: 60, app: "AAPS", device, eventType: "Correction Bolus", insulin: 0.35, type: "SMB", isSMB: true, identifier: "aaps-smb-1" };
    expect((await call(postTreatment(request("/api/v3/treatments", { credential: bearer(), body: smb })))).body).toMatchObject({ status: 201, identifier: "aaps-smb-1" });
  });

  it("creates device status", async () => {
    const status = { date: now - 2 * minute, created_at: new Date(now - 2 * minute).toISOString(), app: "AAPS", device: "openaps://Pixel 7", uploaderBattery: 66, pump: { reservoir: 100 } };
    expect((await call(postDeviceStatus(request("/api/v3/devicestatus", { credential: bearer(), body: status })))).status).toBe(201);
    const read = await call<{ device: string; uploaderBattery: number; srvModified: number }[]>(getDeviceStatuses(request("/api/v3/devicestatus?sort$desc=date&limit=1", { credential: bearer() })));
    expect(read.body.result).toEqual([expect.objectContaining({ device: "openaps://Pixel 7", uploaderBattery: 66, srvModified: expect.any(Number) })]);
  });

  it("reads entries back as AndroidAPS loads them: newest sgv first, and after a date in order", async () => {
    const readings = await call<{ identifier: string; sgv: number; date: number; direction: string; srvModified: number; isValid: boolean }[]>(
      getEntries(request("/api/v3/entries?sort$desc=date&type=sgv", { credential: bearer() })),
    );
    expect(readings.body.result).toEqual([expect.objectContaining({ identifier: entryIdentifier, sgv: 145, direction: "Flat", isValid: true })]);
    const newer = await call<unknown[]>(getEntries(request(`/api/v3/entries?sort=date&date$gt=${now - 11 * minute}&limit=500`, { credential: bearer() })));
    expect(newer.body.result).toHaveLength(1);
    const none = await call<unknown[]>(getEntries(request(`/api/v3/entries?sort=date&date$gt=${now - 5 * minute}&limit=500`, { credential: bearer() })));
    expect(none.body.result).toEqual([]);
    const projected = await call<Record<string, unknown>[]>(getEntries(request("/api/v3/entries?fields=sgv,date", { credential: bearer() })));
    expect(projected.body.result).toEqual([{ sgv: 145, date: now - 10 * minute }]);
  });

  it("loads treatments after a created_at, and by history with the ETag AndroidAPS reads the next page from", async () => {
    const after = await call<{ identifier: string }[]>(getTreatments(request(`/api/v3/treatments?sort=created_at&created_at$gt=${encodeURIComponent(new Date(now - 60 * minute).toISOString())}&limit=500`, { credential: bearer() })));
    expect(after.body.result!.map((treatment) => treatment.identifier)).toEqual([carbsIdentifier, "aaps-smb-1"]);
    const history = await treatmentsHistory(request(`/api/v3/treatments/history/${now - 60 * minute}?limit=500`, { credential: bearer() }), routeParams({ lastModified: String(now - 60 * minute) }));
    const etag = history.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"\d+"$/);
    const newest = Number(etag.slice(3, -1));
    expect((await json<Envelope<unknown[]>>(history)).result).toHaveLength(2);
    const nothingNewer = await treatmentsHistory(request(`/api/v3/treatments/history/${newest}`, { credential: bearer() }), routeParams({ lastModified: String(newest) }));
    expect((await json<Envelope<unknown[]>>(nothingNewer)).result).toEqual([]);
  });

  it("patches a treatment (an amount, not its time or event type), deletes it, and history tells of the deletion", async () => {
    const params = routeParams({ identifier: carbsIdentifier });
    const path = `/api/v3/treatments/${carbsIdentifier}`;
    expect((await call(patchTreatment(request(path, { method: "PATCH", credential: bearer(), body: { identifier: carbsIdentifier, carbs: 25, eventType: "Carb Correction" } }), params))).body).toEqual({ status: 200 });
    expect((await call<{ carbs: number }>(readTreatment(request(path, { credential: bearer() }), params))).body.result).toMatchObject({ carbs: 25 });
    const refused = await call(patchTreatment(request(path, { method: "PATCH", credential: bearer(), body: { eventType: "Meal Bolus" } }), params));
    expect(refused.body).toEqual({ status: 400, message: "Field eventType cannot be modified by the client" });

    const before = Date.now() - 1;
    expect((await call(deleteTreatment(request(path, { method: "DELETE", credential: bearer() }), params))).body).toEqual({ status: 200 });
    expect((await call(readTreatment(request(path, { credential: bearer() }), params))).body).toEqual({ status: 410 });
    expect((await call(deleteTreatment(request(path, { method: "DELETE", credential: bearer() }), params))).body).toEqual({ status: 404 });
    const history = await call<{ identifier: string; isValid: boolean }[]>(treatmentsHistory(request(`/api/v3/treatments/history/${before}`, { credential: bearer() }), routeParams({ lastModified: String(before) })));
    expect(history.body.result).toEqual([expect.objectContaining({ identifier: carbsIdentifier, isValid: false })]);
    const listed = await call<{ identifier: string }[]>(getTreatments(request("/api/v3/treatments", { credential: bearer() })));
    expect(listed.body.result!.map((treatment) => treatment.identifier)).toEqual(["aaps-smb-1"]);
  });

  it("reports when each collection last changed", async () => {
    const { body } = await call<{ srvDate: number; collections: Record<string, number> }>(getLastModified(request("/api/v3/lastModified", { credential: bearer() })));
    expect(Object.keys(body.result!.collections).sort()).toEqual(["devicestatus", "entries", "treatments"]);
    expect(body.result!.collections.entries).toBeLessThanOrEqual(body.result!.srvDate);
  });

  it("answers reads of food, profiles and settings with nothing, refuses writing them, and refuses changing readings (405)", async () => {
    expect((await call(getFood(request("/api/v3/food?limit=1000", { credential: bearer() }), routeParams({ collection: "food" })))).body).toEqual({ status: 200, result: [] });
    const profile = await call(postProfile(request("/api/v3/profile", { credential: bearer(), body: { defaultProfile: "x" } }), routeParams({ collection: "profile" })));
    expect(profile.body).toMatchObject({ status: 404, message: expect.stringContaining("does not store") });
    const patched = await call(patchEntry(request(`/api/v3/entries/${entryIdentifier}`, { method: "PATCH", credential: bearer(), body: { sgv: 1 } }), routeParams({ identifier: entryIdentifier })));
    expect(patched.body).toMatchObject({ status: 405, message: expect.stringContaining("keeps glucose readings as received") });
  });

  it("stops the JWT at its next call once its access token is revoked", async () => {
    const [token] = (await listAccessTokens(world.owner, world.patientId)).filter((row) => row.name === "AndroidAPS");
    await revokeAccessToken(world.owner, world.patientId, token!.id);
    expect((await call(getStatus(request("/api/v3/status", { credential: bearer() })))).status).toBe(401);
  });
});

describe("Nightscout API v3: followers and history pages", () => {
  it("gives a read-only token read permissions, and refuses its writes with 403 in v3's envelope", async () => {
    const world = await patientWithUploader();
    const accessToken = await accessTokenOf(world, "read");
    const { token } = await json<{ token: string }>(await requestJwt(request(`/api/v2/authorization/request/token=${accessToken}`), routeParams({ accessToken: `token=${accessToken}` })));
    const status = await json<Envelope<{ apiPermissions: Record<string, string> }>>(await getStatus(request("/api/v3/status", { credential: { bearer: token } })));
    expect(Object.values(status.result!.apiPermissions)).toEqual(["r", "r", "r", "r", "r", "r"]);
    const refused = await postTreatment(request("/api/v3/treatments", { credential: { bearer: token }, body: { date: Date.now(), eventType: "Note", app: "x" } }));
    expect(refused.status).toBe(403);
    expect(await json(refused)).toEqual({ status: 403, message: expect.stringContaining("may only read") });
  });

  it("never cuts a page of history inside a millisecond of changes (a file import), since the next page starts after it", async () => {
    const world = await patientWithUploader();
    const readings = Array.from({ length: 5 }, (_, i) => ({
      position: i, value: 100 + i, unit: "mg/dL" as const, censored: null, effectiveAt: new Date(now - (i + 1) * 5 * minute), utcOffsetMinutes: 0, specimen: "interstitial" as const, dedupeKey: `test:${i}`,
    }));
    await ingestForTest(world.patientId, readings);
    const accessToken = await accessTokenOf(world, "read");
    const { token } = await json<{ token: string }>(await requestJwt(request(`/api/v2/authorization/request/${accessToken}`), routeParams({ accessToken })));
    const page = await json<Envelope<unknown[]>>(await entriesHistory(request(`/api/v3/entries/history/${now - 60 * 60 * minute}?limit=2`, { credential: { bearer: token } }), routeParams({ lastModified: String(now - 60 * 60 * minute) })));
    expect(page.result).toHaveLength(5);
    const sinceHeader = await entriesHistorySinceHeader(request("/api/v3/entries/history", { credential: { bearer: token }, headers: { "last-modified": new Date(now - 60 * 60 * minute).toUTCString() } }));
    expect((await json<Envelope<unknown[]>>(sinceHeader)).result).toHaveLength(5);
    const withoutTime = await entriesHistorySinceHeader(request("/api/v3/entries/history", { credential: { bearer: token } }));
    expect(await json(withoutTime)).toEqual({ status: 400, message: "Bad or missing Last-Modified header/parameter" });
  });
});
