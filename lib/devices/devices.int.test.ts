import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as pairRoute } from "@/app/api/devices/pair/route";
import { POST as readingsRoute } from "@/app/api/devices/readings/route";
import { getDb } from "@/db/client";
import { devices } from "@/db/schema";
import { countReadingsOf, insertCareTeam, insertOrganization, insertPatient, insertPatientWithAccount, insertUser, type InsertedUser } from "@/test/factories";
import { isAppError } from "@/lib/errors";
import { listPatientDevices, registerDevice, revokeDevice, rotateDeviceToken } from "./registry";

const json = (body: unknown, token?: string) =>
  new Request("http://lantern.test/api", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

function cgmDay(start: Date, count = 288, firstSeq = 1) {
  return Array.from({ length: count }, (_, i) => ({
    time: new Date(start.getTime() + i * 300_000).toISOString().replace("Z", "+00:00"),
    value: 90 + (i % 50),
    unit: "mg/dL",
    seq: firstSeq + i,
  }));
}

describe("connected meters over HTTP", () => {
  let owner: InsertedUser;
  let patientId: string;
  let otherPatientId: string;
  let clinician: InsertedUser;

  beforeAll(async () => {
    const organization = await insertOrganization();
    const patient = await insertPatientWithAccount(organization.id);
    owner = patient.actor;
    patientId = patient.patientId;
    otherPatientId = (await insertPatient(organization.id)).id;
    clinician = await insertUser(organization.id, "clinician");
    await insertCareTeam(organization.id, { clinicianUserIds: [clinician.userId], patientIds: [otherPatientId] });
  });

  async function pairedDevice(kind: "cgm" | "fingerstick-meter" = "cgm", serialNumber = `SN-${Math.random()}`) {
    const { pairingCode, deviceId } = await registerDevice(owner, patientId, { kind, model: "Test CGM", serialNumber });
    const response = await pairRoute(json({ code: pairingCode.toLowerCase(), serialNumber, model: "Test CGM 2", firmwareVersion: "1.0.0" }));
    expect(response.status).toBe(201);
    const body = (await response.json()) as { deviceId: string; token: string };
    expect(body.deviceId).toBe(deviceId);
    return body;
  }

  it("pairs once with the code, stores only a hash of the token, and refuses the code a second time", async () => {
    const serialNumber = "SN-ONCE-1";
    const { pairingCode } = await registerDevice(owner, patientId, { kind: "fingerstick-meter", model: "Contour", serialNumber });
    const first = await pairRoute(json({ code: pairingCode, serialNumber, model: "Contour", firmwareVersion: "2.0.1" }));
    const { deviceId, token } = (await first.json()) as { deviceId: string; token: string };
    expect(token).toMatch(/^lnt_dev_[A-Za-z0-9_-]{43}$/);
    const [stored] = await getDb().select().from(devices).where(eq(devices.id, deviceId));
    expect(stored!.tokenHash).not.toContain(token);
    expect(stored!.tokenHash).toHaveLength(64);
    expect(stored!.firmwareVersion).toBe("2.0.1");

    const again = await pairRoute(json({ code: pairingCode, serialNumber, model: "Contour" }));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_input", message: expect.stringContaining("used already") });
  });

  it("refuses an expired code and a code for another serial number", async () => {
    const past = new Date(Date.now() - 16 * 60_000);
    const expired = await registerDevice(owner, patientId, { kind: "cgm", model: "G7", serialNumber: "SN-EXPIRED" }, past);
    expect((await pairRoute(json({ code: expired.pairingCode, serialNumber: "SN-EXPIRED", model: "G7" }))).status).toBe(400);

    const other = await registerDevice(owner, patientId, { kind: "cgm", model: "G7", serialNumber: "SN-RIGHT" });
    const wrongSerial = await pairRoute(json({ code: other.pairingCode, serialNumber: "SN-WRONG", model: "G7" }));
    expect(wrongSerial.status).toBe(400);
    expect(await wrongSerial.json()).toMatchObject({ fields: { serialNumber: [expect.stringContaining("different serial number")] } });
  });

  it("accepts a day of CGM readings after commit, and a replay stores nothing new", async () => {
    const { token, deviceId } = await pairedDevice();
    const before = await countReadingsOf(patientId);
    const batch = { readings: cgmDay(new Date(Date.now() - 86_400_000)), firmwareVersion: "2.1.0", battery: 81 };
    const response = await readingsRoute(json(batch, token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 288, duplicates: 0, rejected: [] });
    expect(await countReadingsOf(patientId)).toBe(before + 288);

    const replay = await readingsRoute(json(batch, token));
    expect(await replay.json()).toEqual({ accepted: 0, duplicates: 288, rejected: [] });
    expect(await countReadingsOf(patientId)).toBe(before + 288);

    const [device] = (await listPatientDevices(owner, patientId)).filter((d) => d.id === deviceId);
    expect(device).toMatchObject({ firmwareVersion: "2.1.0", batteryPercent: 81, status: "active" });
  });

  it("deduplicates by time when the meter sends no sequence number", async () => {
    const { token } = await pairedDevice("fingerstick-meter");
    const reading = { time: "2026-11-24T08:05:00+01:00", value: 5.4, unit: "mmol/L", mealContext: "before-meal" };
    expect(await (await readingsRoute(json({ readings: [reading] }, token))).json()).toMatchObject({ accepted: 1 });
    expect(await (await readingsRoute(json({ readings: [reading] }, token))).json()).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it("reports each bad reading by index and stores the rest", async () => {
    const { token } = await pairedDevice();
    const before = await countReadingsOf(patientId);
    const response = await readingsRoute(
      json(
        {
          readings: [
            { time: "2026-11-24T08:00:00Z", value: 100, unit: "mg/dL", seq: 1 },
            { time: "2026-11-24T08:05:00Z", value: 5, unit: "mg/dL", seq: 2 },
            { time: "2026-11-24T08:10:00Z", value: 100, unit: "mg/dL", seq: 3, flags: ["control"] },
            { time: "2126-11-24T08:15:00Z", value: 100, unit: "mg/dL", seq: 4 },
            { time: "yesterday", value: 100, unit: "mg/dL", seq: 5 },
            { time: "2026-11-24T08:20:00Z", value: 20, unit: "mg/dL", seq: 6, flags: ["LO"] },
          ],
        },
        token,
      ),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4]);
    expect(body.rejected[1]!.reason).toMatch(/control solution/);
    expect(await countReadingsOf(patientId)).toBe(before + 2);
  });

  it.each([
    ["no token", undefined, 401],
    ["an unknown token", "lnt_dev_notarealtokenatallnotarealtokenatallnotareal", 401],
    ["a token of another kind", "sk_live_whatever", 401],
  ])("answers %s with 401 and stores nothing", async (_label, token, status) => {
    const before = await countReadingsOf(patientId);
    const response = await readingsRoute(json({ readings: cgmDay(new Date(), 1) }, token));
    expect(response.status).toBe(status);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect(await countReadingsOf(patientId)).toBe(before);
  });

  it.each([
    ["not JSON", "{readings: [", 400, /not valid JSON/],
    ["no readings array", { values: [] }, 400, /readings must be an array/],
    ["too many readings", { readings: cgmDay(new Date(0), 10_001) }, 400, /at most 10000 readings/],
    ["a battery over 100", { readings: [], battery: 120 }, 400, /percentage/],
  ])("refuses %s as a whole with 4xx and a message", async (_label, body, status, message) => {
    const { token } = await pairedDevice();
    const before = await countReadingsOf(patientId);
    const response = await readingsRoute(json(body, token));
    expect(response.status).toBe(status);
    expect(JSON.stringify(await response.json())).toMatch(message);
    expect(await countReadingsOf(patientId)).toBe(before);
  });

  it("refuses a body over the size limit with 413", async () => {
    const { token } = await pairedDevice();
    const huge = JSON.stringify({ readings: [], padding: "x".repeat(4_100_000) });
    const response = await readingsRoute(json(huge, token));
    expect(response.status).toBe(413);
  });

  it("a rotated token replaces the old one, and a revoked device is refused at its next call", async () => {
    const { token, deviceId } = await pairedDevice();
    const { token: rotated } = await rotateDeviceToken(owner, patientId, deviceId);
    expect((await readingsRoute(json({ readings: [] }, token))).status).toBe(401);
    expect((await readingsRoute(json({ readings: [] }, rotated))).status).toBe(200);
    await revokeDevice(owner, patientId, deviceId);
    expect((await readingsRoute(json({ readings: [] }, rotated))).status).toBe(401);
    expect((await listPatientDevices(owner, patientId)).find((d) => d.id === deviceId)?.status).toBe("revoked");
  });

  it("writes only for the bound patient: a device never reaches another patient's record", async () => {
    const { token } = await pairedDevice();
    const before = await countReadingsOf(otherPatientId);
    await readingsRoute(json({ readings: cgmDay(new Date(Date.now() - 3_600_000), 3, 9000), patientId: otherPatientId }, token));
    expect(await countReadingsOf(otherPatientId)).toBe(before);
  });

  it("only people who may see the patient manage their devices (404 otherwise)", async () => {
    const denied = await registerDevice(clinician, patientId, { kind: "cgm", model: "G7", serialNumber: "SN-NOPE" }).catch((error: unknown) => error);
    expect(isAppError(denied, "not_found")).toBe(true);
    const { deviceId } = await pairedDevice();
    const rotateDenied = await rotateDeviceToken(clinician, patientId, deviceId).catch((error: unknown) => error);
    expect(isAppError(rotateDenied, "not_found")).toBe(true);
    await expect(registerDevice(clinician, otherPatientId, { kind: "cgm", model: "G7", serialNumber: "SN-OK" })).resolves.toMatchObject({ pairingCode: expect.any(String) });
  });
});
