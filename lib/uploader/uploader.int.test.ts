import { beforeAll, describe, expect, it } from "vitest";
import { GET as getEntriesJson, POST as postEntriesJson } from "@/app/api/v1/entries.json/route";
import { POST as postEntries } from "@/app/api/v1/entries/route";
import { GET as getSgv } from "@/app/api/v1/entries/sgv.json/route";
import { GET as getStatus } from "@/app/api/v1/status.json/route";
import { isAppError } from "@/lib/errors";
import { sha1Hex } from "@/lib/security/tokens";
import { countReadingsOf, insertOrganization, insertPatient, insertPatientWithAccount, insertUser, type InsertedUser } from "@/test/factories";
import { createUploaderSecret, hasUploaderSecret } from "./service";

const base = "http://lantern.test/api/v1";
const request = (path: string, init: { secret?: string; body?: unknown; method?: string } = {}) =>
  new Request(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...(init.secret ? { "api-secret": init.secret } : {}) },
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });

const minute = 60_000;
const start = Date.now() - 60 * minute;
const sgv = (i: number, value = 100 + i) => ({ type: "sgv", sgv: value, date: start + i * 5 * minute, dateString: new Date(start + i * 5 * minute).toISOString(), direction: "Flat", device: "xDrip-DexcomG6", noise: 1 });

describe("Nightscout-compatible uploader API", () => {
  let owner: InsertedUser;
  let patientId: string;
  let apiSecret: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    const patient = await insertPatientWithAccount(organization.id, { timezone: "Europe/Berlin" });
    owner = patient.actor;
    patientId = patient.patientId;
    const { secret } = await createUploaderSecret(owner, patientId);
    apiSecret = sha1Hex(secret);
  });

  it("stores sgv and mbg entries sent as an array and returns them as stored", async () => {
    const before = await countReadingsOf(patientId);
    const response = await postEntries(request("/entries", { secret: apiSecret, body: [sgv(0), sgv(1), { type: "mbg", mbg: 110, date: start + 7 * minute }] }));
    expect(response.status).toBe(200);
    const stored = (await response.json()) as { type: string; sgv?: number; mbg?: number }[];
    expect(stored).toHaveLength(3);
    expect(stored.map((e) => e.sgv ?? e.mbg).sort()).toEqual([100, 101, 110]);
    expect(await countReadingsOf(patientId)).toBe(before + 3);
  });

  it("accepts a single entry object at /entries.json, and a resend stores nothing twice", async () => {
    const before = await countReadingsOf(patientId);
    expect((await postEntriesJson(request("/entries.json", { secret: apiSecret, body: sgv(5) }))).status).toBe(200);
    const again = await postEntriesJson(request("/entries.json", { secret: apiSecret, body: sgv(5) }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual([]);
    expect(await countReadingsOf(patientId)).toBe(before + 1);
  });

  it("accepts the secret's SHA-1 in upper case too", async () => {
    expect((await postEntries(request("/entries", { secret: apiSecret.toUpperCase(), body: [sgv(6)] }))).status).toBe(200);
  });

  it.each([
    ["missing", undefined],
    ["the plain secret instead of its SHA-1", "not-a-sha1"],
    ["a SHA-1 of something else", sha1Hex("guess")],
  ])("answers a %s api-secret with 401 and a clear message, storing nothing", async (_label, secret) => {
    const before = await countReadingsOf(patientId);
    const response = await postEntries(request("/entries", { secret, body: [sgv(20)] }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "unauthenticated", message: expect.stringContaining("api-secret") });
    expect(await countReadingsOf(patientId)).toBe(before);
    expect((await getEntriesJson(request("/entries.json?count=5", { secret }))).status).toBe(401);
  });

  it.each([
    ["not JSON", "[{", /not valid JSON/],
    ["a number", 42, /JSON array of entries/],
    ["only invalid entries", [{ type: "sgv", sgv: 5000, date: start }], /Entry 0: 5000 mg\/dL is outside/],
  ])("refuses %s with 400", async (_label, body, message) => {
    const response = await postEntries(request("/entries", { secret: apiSecret, body }));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(message);
  });

  it("stores the valid entries of a mixed batch and ignores calibrations and status codes", async () => {
    const before = await countReadingsOf(patientId);
    const response = await postEntries(
      request("/entries", { secret: apiSecret, body: [sgv(8), { type: "cal", slope: 900, date: start }, { type: "sgv", sgv: 1, date: start + 1 }, { type: "sgv", sgv: 2000, date: start + 2 }] }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveLength(1);
    expect(await countReadingsOf(patientId)).toBe(before + 1);
  });

  it("returns the latest entries newest first, limited by count, and only sgv at /entries/sgv.json", async () => {
    const latest = (await (await getEntriesJson(request("/entries.json?count=2", { secret: apiSecret }))).json()) as { date: number; type: string }[];
    expect(latest).toHaveLength(2);
    expect(latest[0]!.date).toBeGreaterThan(latest[1]!.date);
    const onlySgv = (await (await getSgv(request("/entries/sgv.json?count=100", { secret: apiSecret }))).json()) as { type: string }[];
    expect(onlySgv.length).toBeGreaterThan(0);
    expect(onlySgv.every((e) => e.type === "sgv")).toBe(true);
    expect((await getEntriesJson(request("/entries.json?count=zero", { secret: apiSecret }))).status).toBe(400);
  });

  it("answers status.json as uploaders expect", async () => {
    const status = (await (await getStatus(request("/status.json", { secret: apiSecret }))).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: "ok", apiEnabled: true, authorized: { api: true }, settings: { units: "mg/dl" } });
    expect(typeof status.serverTimeEpoch).toBe("number");
  });

  it("a new secret replaces the old one at once", async () => {
    const { secret } = await createUploaderSecret(owner, patientId);
    expect((await postEntries(request("/entries", { secret: apiSecret, body: [sgv(11)] }))).status).toBe(401);
    expect((await postEntries(request("/entries", { secret: sha1Hex(secret), body: [sgv(11)] }))).status).toBe(200);
    apiSecret = sha1Hex(secret);
  });

  it("only people who may see the patient can create their secret (404 otherwise)", async () => {
    const organization = await insertOrganization();
    const stranger = await insertUser(organization.id, "clinician");
    const strangersPatient = await insertPatient(organization.id);
    const denied = await createUploaderSecret(stranger, patientId).catch((error: unknown) => error);
    expect(isAppError(denied, "not_found")).toBe(true);
    expect(isAppError(await createUploaderSecret(stranger, strangersPatient.id).catch((e: unknown) => e), "not_found")).toBe(true);
    expect(await hasUploaderSecret(owner, patientId)).toBe(true);
  });
});
