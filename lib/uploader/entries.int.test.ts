import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getEntriesJson, POST as postEntriesJson } from "@/app/api/v1/entries.json/route";
import { GET as getEntrySpec } from "@/app/api/v1/entries/[spec]/route";
import { GET as getEntries, POST as postEntries, PUT as putEntries } from "@/app/api/v1/entries/route";
import { GET as experimentsTest } from "@/app/api/v1/experiments/test/route";
import { GET as getStatus } from "@/app/api/v1/status.json/route";
import { GET as verifyAuth } from "@/app/api/v1/verifyauth/route";
import { getDb } from "@/db/client";
import { uploadProblems } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import { sha1Hex } from "@/lib/security/tokens";
import { countReadingsOf, insertOrganization, insertPatient, insertUser } from "@/test/factories";
import { accessTokenOf, json, nightscoutRequest as request, patientWithUploader, routeParams, type NightscoutCredential, type UploaderWorld } from "@/test/nightscout";
import { createUploaderSecret, hasUploaderSecret } from "./credentials";

const minute = 60_000;
const start = Date.now() - 60 * minute;
const sgv = (i: number, value = 100 + i, device = "xDrip-DexcomG6") => ({
  type: "sgv", sgv: value, date: start + i * 5 * minute, dateString: new Date(start + i * 5 * minute).toISOString(), direction: "FortyFiveDown", device, noise: 1,
});

interface Entry {
  _id: string;
  type: string;
  sgv?: number;
  mbg?: number;
  date: number;
  direction?: string;
  trend?: number;
  noise?: number;
  device: string;
}
interface NotStored {
  stored: false;
  message: string;
}

async function problemsOf(patientId: string) {
  return getDb().select().from(uploadProblems).where(eq(uploadProblems.patientId, patientId));
}

describe("Nightscout API v1: entries", () => {
  let world: UploaderWorld;
  const secret = () => ({ apiSecret: world.apiSecret });

  beforeAll(async () => {
    world = await patientWithUploader();
  });

  it("stores sgv and mbg entries sent as an array and answers them as stored, with direction, trend, noise and device", async () => {
    const before = await countReadingsOf(world.patientId);
    const response = await postEntries(request("/api/v1/entries", { credential: secret(), body: [sgv(0), sgv(1), { type: "mbg", mbg: 110, date: start + 7 * minute, device: "xDrip-BluetoothWixel" }] }));
    expect(response.status).toBe(200);
    const stored = await json<Entry[]>(response);
    expect(stored.map((entry) => entry.sgv ?? entry.mbg)).toEqual([100, 101, 110]);
    expect(stored[0]).toMatchObject({ type: "sgv", direction: "FortyFiveDown", trend: 5, noise: 1, device: "xDrip-DexcomG6" });
    expect(await countReadingsOf(world.patientId)).toBe(before + 3);
  });

  it("accepts a single entry object at /entries.json, and a resend stores nothing twice but still answers the entry", async () => {
    const before = await countReadingsOf(world.patientId);
    const first = await json<Entry[]>(await postEntriesJson(request("/api/v1/entries.json", { credential: secret(), body: sgv(5) })));
    const again = await postEntriesJson(request("/api/v1/entries.json", { credential: secret(), body: sgv(5) }));
    expect(again.status).toBe(200);
    expect(await json<Entry[]>(again)).toEqual(first);
    expect(await countReadingsOf(world.patientId)).toBe(before + 1);
  });

  it("gives back the device string of an app whose name is not plain text (Loop's loop://iPhone)", async () => {
    const [entry] = await json<Entry[]>(await postEntries(request("/api/v1/entries", { credential: secret(), body: [sgv(9, 140, "loop://Sam's iPhone")] })));
    expect(entry).toMatchObject({ device: "loop://Sam's iPhone" });
    const [read] = await json<Entry[]>(await getEntrySpec(request(`/api/v1/entries/${entry!._id}.json`, { credential: secret() }), routeParams({ spec: `${entry!._id}.json` })));
    expect(read).toMatchObject({ _id: entry!._id, device: "loop://Sam's iPhone" });
  });

  it.each([
    ["the SHA-1 in upper case", () => world.apiSecret.toUpperCase()],
    ["the plain secret", () => world.plainSecret],
  ])("accepts %s in api-secret", async (_label, credential) => {
    expect((await postEntries(request("/api/v1/entries", { credential: { apiSecret: credential() }, body: [sgv(6)] }))).status).toBe(200);
  });

  it.each([
    ["missing", undefined],
    ["a SHA-1 of something else", sha1Hex("guess")],
    ["an unknown access token", "lnt_ns_unknown"],
  ])("answers a %s credential with 401 and a clear message, storing nothing", async (_label, apiSecret) => {
    const before = await countReadingsOf(world.patientId);
    const response = await postEntries(request("/api/v1/entries", { credential: { apiSecret }, body: [sgv(20)] }));
    expect(response.status).toBe(401);
    expect(await json(response)).toMatchObject({ error: "unauthenticated", message: expect.stringContaining("api-secret") });
    expect(await countReadingsOf(world.patientId)).toBe(before);
    expect((await getEntriesJson(request("/api/v1/entries.json?count=5", { credential: { apiSecret } }))).status).toBe(401);
  });

  it.each([
    ["not JSON", "[{", /not valid JSON/],
    ["a number", 42, /JSON array of entries/],
  ])("refuses a body that is %s with 400", async (_label, body, message) => {
    const response = await postEntries(request("/api/v1/entries", { credential: secret(), body }));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(message);
  });

  it("answers a method the path does not take with a JSON 405", async () => {
    const response = await putEntries(request("/api/v1/entries", { method: "PUT", credential: secret(), body: [] }));
    expect(response.status).toBe(405);
    expect(await json(response)).toMatchObject({ error: "method_not_allowed", message: expect.stringContaining("GET, POST") });
  });
});

describe("Nightscout API v1: entries Lantern cannot use are answered 200 and recorded as upload problems", () => {
  let world: UploaderWorld;
  const secret = () => ({ apiSecret: world.apiSecret });

  beforeAll(async () => {
    world = await patientWithUploader();
  });

  it("a batch with one bad entry answers 200, stores the good ones and records the problem; a resend counts up the same row", async () => {
    const bad = { type: "sgv", sgv: 5000, date: start, device: "xDrip-DexcomG6" };
    const before = await countReadingsOf(world.patientId);
    const response = await postEntries(request("/api/v1/entries", { credential: secret(), body: [sgv(0), bad, sgv(1)] }));
    expect(response.status).toBe(200);
    const answer = await json<(Entry | NotStored)[]>(response);
    expect(answer).toHaveLength(3);
    expect(answer[0]).toMatchObject({ sgv: 100 });
    expect(answer[1]).toMatchObject({ stored: false, message: expect.stringContaining("5000 mg/dL is outside"), date: start, type: "sgv" });
    expect(answer[1]).not.toHaveProperty("_id");
    expect(answer[2]).toMatchObject({ sgv: 101 });
    expect(await countReadingsOf(world.patientId)).toBe(before + 2);
    const [problem] = await problemsOf(world.patientId);
    expect(problem).toMatchObject({ app: "xDrip-DexcomG6", reason: "Glucose entries with glucose outside 10-1,000 mg/dL, which no meter reports.", count: 1 });

    expect((await postEntries(request("/api/v1/entries", { credential: secret(), body: [sgv(0), bad, sgv(1)] }))).status).toBe(200);
    const problems = await problemsOf(world.patientId);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ count: 2, firstSeenAt: problem!.firstSeenAt });
    expect(await countReadingsOf(world.patientId)).toBe(before + 2);
  });

  it("a batch whose only entry is bad (the phone's clock a day ahead) answers 200 and records it", async () => {
    const tomorrow = Date.now() + 24 * 60 * minute;
    const response = await postEntries(request("/api/v1/entries", { credential: secret(), body: [{ type: "sgv", sgv: 120, date: tomorrow, device: "AndroidAPS-DexcomG6" }] }));
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual([expect.objectContaining({ stored: false, message: expect.stringContaining("in the future") })]);
    const [problem] = (await problemsOf(world.patientId)).filter((row) => row.app === "AndroidAPS-DexcomG6");
    expect(problem).toMatchObject({ reason: "Glucose entries dated in the future: check the phone's date, time and time zone.", count: 1 });
  });

  it("answers calibrations and sensor status codes as not stored, and counts them by kind", async () => {
    const response = await postEntries(
      request("/api/v1/entries", { credential: secret(), body: [{ type: "cal", slope: 900, date: start, device: "xDrip-Cal" }, { type: "sgv", sgv: 1, date: start + 1, device: "xDrip-Cal" }, { type: "sgv", sgv: 5, date: start + 2, device: "xDrip-Cal" }] }),
    );
    expect(response.status).toBe(200);
    expect((await json<NotStored[]>(response)).map((element) => element.stored)).toEqual([false, false, false]);
    const rows = (await getDb().select().from(uploadProblems).where(and(eq(uploadProblems.patientId, world.patientId), eq(uploadProblems.app, "xDrip-Cal")))).map(({ reason, count }) => ({ reason, count }));
    expect(rows).toEqual(
      expect.arrayContaining([
        { reason: "Calibration entries (cal): they calibrate the sensor and are not glucose readings.", count: 1 },
        { reason: "Sensor status codes (sgv 0-38, such as warm-up or no signal): they are not glucose values.", count: 2 },
      ]),
    );
  });
});

describe("Nightscout API v1: reading entries back", () => {
  let world: UploaderWorld;
  const secret = () => ({ apiSecret: world.apiSecret });
  const get = async (path: string) => {
    const response = await getEntries(request(path, { credential: secret() }));
    expect(response.status).toBe(200);
    return json<Entry[]>(response);
  };

  beforeAll(async () => {
    world = await patientWithUploader();
    await postEntries(request("/api/v1/entries", { credential: secret(), body: [0, 1, 2, 3, 4, 5].map((i) => sgv(i)) }));
    await postEntries(request("/api/v1/entries", { credential: secret(), body: [{ type: "mbg", mbg: 150, date: start + 12 * minute, device: "meter" }] }));
  });

  it("answers the latest entries, newest first, limited by count (10 by default)", async () => {
    const latest = await get("/api/v1/entries?count=2");
    expect(latest.map((entry) => entry.date)).toEqual([start + 25 * minute, start + 20 * minute]);
    expect(await get("/api/v1/entries")).toHaveLength(7);
  });

  it("filters by find[date][$gte] and find[date][$lte], in epoch milliseconds or ISO text", async () => {
    const window = await get(`/api/v1/entries?find[date][$gte]=${start + 5 * minute}&find[date][$lte]=${start + 15 * minute}`);
    expect(window.map((entry) => entry.date)).toEqual([start + 15 * minute, start + 12 * minute, start + 10 * minute, start + 5 * minute]);
    const iso = await get(`/api/v1/entries?find[dateString][$gte]=${encodeURIComponent(new Date(start + 20 * minute).toISOString())}`);
    expect(iso.map((entry) => entry.date)).toEqual([start + 25 * minute, start + 20 * minute]);
    const strict = await get(`/api/v1/entries?find[date][$gt]=${start + 20 * minute}`);
    expect(strict.map((entry) => entry.date)).toEqual([start + 25 * minute]);
  });

  it("filters by find[type], and /entries/sgv.json and /entries/mbg.json do the same", async () => {
    expect((await get("/api/v1/entries?find[type]=mbg")).map((entry) => entry.mbg)).toEqual([150]);
    const sgvOnly = await json<Entry[]>(await getEntrySpec(request("/api/v1/entries/sgv.json?count=100", { credential: secret() }), routeParams({ spec: "sgv.json" })));
    expect(sgvOnly).toHaveLength(6);
    expect(sgvOnly.every((entry) => entry.type === "sgv")).toBe(true);
  });

  it("answers /entries/current.json with the latest CGM entry", async () => {
    const current = await json<Entry[]>(await getEntrySpec(request("/api/v1/entries/current.json", { credential: secret() }), routeParams({ spec: "current.json" })));
    expect(current).toEqual([expect.objectContaining({ type: "sgv", sgv: 105, date: start + 25 * minute, direction: "FortyFiveDown", trend: 5 })]);
  });

  it.each([
    ["count=zero", /count must be a positive whole number/],
    ["find[sgv][$gte]=120", /cannot search entries by find\[sgv\]; it searches by find\[date\]/],
    ["find[date][$regex]=1", /cannot search with \$regex/],
    ["find[date][$gte]=yesterday", /must be a time/],
  ])("refuses a search it cannot do (%s) with 400 and a sentence, never ignoring a filter", async (query, message) => {
    const response = await getEntries(request(`/api/v1/entries?${query}`, { credential: secret() }));
    expect(response.status).toBe(400);
    expect((await json<{ message: string }>(response)).message).toMatch(message);
  });
});

describe("Nightscout API v1: status and credential checks", () => {
  let world: UploaderWorld;

  beforeAll(async () => {
    world = await patientWithUploader();
  });

  it("answers status.json as uploaders expect", async () => {
    const status = await json<Record<string, unknown>>(await getStatus(request("/api/v1/status.json", { credential: { apiSecret: world.apiSecret } })));
    expect(status).toMatchObject({ status: "ok", apiEnabled: true, careportalEnabled: true, authorized: { api: true }, settings: { units: "mg/dl" } });
    expect(typeof status.serverTimeEpoch).toBe("number");
  });

  it("answers verifyauth 200 with what the credential may do, as Nightscout does", async () => {
    const check = async (credential: NightscoutCredential) => {
      const response = await verifyAuth(request("/api/v1/verifyauth", { credential }));
      expect(response.status).toBe(200);
      return json<{ status: number; message: Record<string, unknown> }>(response);
    };
    expect(await check({ apiSecret: world.apiSecret })).toEqual({
      status: 200, message: { canRead: true, canWrite: true, isAdmin: true, message: "OK", rolefound: "NOTFOUND", permissions: "ROLE" },
    });
    expect(await check({ apiSecret: sha1Hex("wrong") })).toEqual({
      status: 200, message: { canRead: false, canWrite: false, isAdmin: false, message: "UNAUTHORIZED", rolefound: "NOTFOUND", permissions: "DEFAULT" },
    });
    expect((await check({ token: await accessTokenOf(world, "read") })).message).toMatchObject({ canRead: true, canWrite: false, rolefound: "FOUND", message: "OK" });
  });

  it("answers Loop's secret check (experiments/test) for the API secret, and 403 with a sentence for a read-only token", async () => {
    const ok = await experimentsTest(request("/api/v1/experiments/test", { credential: { apiSecret: world.apiSecret } }));
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ status: "ok" });
    const follower = await experimentsTest(request("/api/v1/experiments/test", { credential: { token: await accessTokenOf(world, "read") } }));
    expect(follower.status).toBe(403);
    expect((await json<{ message: string }>(follower)).message).toMatch(/may only read/);
  });

  it("a new secret replaces the old one at once", async () => {
    const { secret } = await createUploaderSecret(world.owner, world.patientId);
    expect((await postEntries(request("/api/v1/entries", { credential: { apiSecret: world.apiSecret }, body: [sgv(11)] }))).status).toBe(401);
    expect((await postEntries(request("/api/v1/entries", { credential: { apiSecret: sha1Hex(secret) }, body: [sgv(11)] }))).status).toBe(200);
  });

  it("only people who may see the patient can create their secret (404 otherwise)", async () => {
    const organization = await insertOrganization();
    const stranger = await insertUser(organization.id, "clinician");
    const strangersPatient = await insertPatient(organization.id);
    expect(isAppError(await createUploaderSecret(stranger, world.patientId).catch((error: unknown) => error), "not_found")).toBe(true);
    expect(isAppError(await createUploaderSecret(stranger, strangersPatient.id).catch((e: unknown) => e), "not_found")).toBe(true);
    expect(await hasUploaderSecret(world.owner, world.patientId)).toBe(true);
  });
});
