import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as readingsRoute } from "@/app/api/devices/readings/route";
import { POST as postEntries } from "@/app/api/v1/entries/route";
import { hitRateLimit } from "@/lib/access/rate-limits";
import { environment } from "@/lib/config";
import { countReadingsOf, insertOrganization, insertPatientWithAccount, pairedMeter } from "@/test/factories";
import { nightscoutRequest, patientWithUploader } from "@/test/nightscout";

/** Uses up a key's minute as if other requests (from any server process) had. */
async function useUpMinute(key: string) {
  const rule = { limit: environment().LANTERN_API_REQUESTS_PER_MINUTE, windowMs: 60_000 };
  for (let hit = 0; hit < rule.limit; hit++) await hitRateLimit(key, rule);
}

const upload = (token: string, readings: object[]) =>
  readingsRoute(
    new Request("http://lantern.test/api/devices/readings", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ readings }),
    }),
  );

afterEach(() => {
  vi.useRealTimers();
});

describe("per-credential limits on the device and uploader APIs", () => {
  let patientId: string;

  beforeAll(async () => {
    const organization = await insertOrganization();
    patientId = (await insertPatientWithAccount(organization.id)).patientId;
  });

  it("refuses a device over its minute with 429 and Retry-After, stores nothing, and takes the same upload once the minute has passed", async () => {
    const meter = await pairedMeter(patientId);
    const readings = [{ time: new Date(Date.now() - 60_000).toISOString(), value: 112, unit: "mg/dL", seq: 1 }];
    vi.useFakeTimers({ toFake: ["Date"], now: new Date() });
    await useUpMinute(`api:device:${meter.deviceId}`);

    const refused = await upload(meter.token, readings);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { message: string }).message).toMatch(/nothing of this one was stored/);
    expect(await countReadingsOf(patientId)).toBe(0);

    // Another device of the same patient has its own minute.
    const other = await pairedMeter(patientId, "fingerstick-meter");
    expect((await upload(other.token, [{ ...readings[0], seq: 7, time: new Date(Date.now() - 120_000).toISOString() }])).status).toBeLessThan(300);

    vi.setSystemTime(new Date(Date.now() + retryAfter * 1000));
    const retried = await upload(meter.token, readings);
    expect(retried.status).toBeLessThan(300);
    expect(await countReadingsOf(patientId)).toBe(2);
  });

  it("refuses an uploader's API secret over its minute with 429 and Retry-After", async () => {
    const world = await patientWithUploader();
    await useUpMinute(`api:uploader:${world.patientId}`);
    const entry = { type: "sgv", sgv: 120, date: Date.now() - 60_000, device: "xDrip-DexcomG6" };
    const response = await postEntries(nightscoutRequest("/api/v1/entries", { credential: { apiSecret: world.apiSecret }, body: [entry] }));
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await countReadingsOf(world.patientId)).toBe(0);
  });
});
