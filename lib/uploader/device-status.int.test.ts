import { beforeAll, describe, expect, it } from "vitest";
import { GET as getStatuses, POST as postStatuses } from "@/app/api/v1/devicestatus/route";
import { POST as postStatusesJson } from "@/app/api/v1/devicestatus.json/route";
import { json, nightscoutRequest as request, patientWithUploader, type UploaderWorld } from "@/test/nightscout";
import { latestDeviceStatusPerApp } from "./device-status-store";

const minute = 60_000;
// One clock for the file: times written twice must be the same time.
const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * minute).toISOString();

const aaps = (minutesAgo: number) => ({
  device: "openaps://Pixel 7",
  created_at: at(minutesAgo),
  uploaderBattery: 78,
  isCharging: false,
  pump: { clock: at(minutesAgo), reservoir: 123.4, battery: { percent: 65 }, status: { status: "normal", timestamp: at(minutesAgo) } },
  openaps: {
    iob: { iob: 1.25, basaliob: 0.3, time: at(minutesAgo) },
    suggested: { bg: 140, COB: 12, timestamp: at(minutesAgo), reason: "free text that is not kept", predBGs: { IOB: [140, 138] } },
    enacted: { rate: 0.8, duration: 30, timestamp: at(minutesAgo) },
  },
  configuration: { insulin: 5 },
});
const loop = {
  device: "loop://iPhone",
  created_at: at(3),
  uploader: { battery: 54, name: "iPhone" },
  pump: { reservoir: 80, suspended: false, bolusing: false, battery: { percent: 40 } },
  loop: { name: "Loop", timestamp: at(3), iob: { iob: 0.5 }, cob: { cob: 20 }, enacted: { rate: 1.1, duration: 30, timestamp: at(3), received: true }, predicted: { values: [1, 2] } },
};

describe("Nightscout API v1: device status", () => {
  let world: UploaderWorld;
  const secret = () => ({ apiSecret: world.apiSecret });

  beforeAll(async () => {
    world = await patientWithUploader();
  });

  it("stores AndroidAPS's and Loop's reports as a whitelisted summary and answers them in the shapes apps read", async () => {
    const response = await postStatuses(request("/api/v1/devicestatus", { credential: secret(), body: [aaps(10), loop] }));
    expect(response.status).toBe(200);
    const [fromAaps, fromLoop] = await json<Record<string, unknown>[]>(response);
    expect(fromAaps).toMatchObject({ device: "openaps://Pixel 7", uploaderBattery: 78, pump: { reservoir: 123.4, battery: { percent: 65 }, status: { status: "normal" } }, openaps: { iob: { iob: 1.25 }, suggested: { COB: 12 }, enacted: { rate: 0.8, duration: 30 } } });
    expect(JSON.stringify(fromAaps)).not.toContain("free text");
    expect(fromLoop).toMatchObject({ device: "loop://iPhone", uploader: { battery: 54 }, pump: { reservoir: 80, status: { suspended: false } }, loop: { name: "Loop", iob: { iob: 0.5 }, cob: { cob: 20 } } });
  });

  it("stores xDrip+'s battery-only report, once when it is sent again", async () => {
    const report = { device: "xDrip-DexcomG6", created_at: at(2), uploaderBattery: "91" };
    const [first] = await json<{ _id: string }[]>(await postStatusesJson(request("/api/v1/devicestatus.json", { credential: secret(), body: report })));
    const [again] = await json<{ _id: string }[]>(await postStatusesJson(request("/api/v1/devicestatus.json", { credential: secret(), body: report })));
    expect(again!._id).toBe(first!._id);
  });

  it("shows the latest report of each app on the devices page", async () => {
    await postStatuses(request("/api/v1/devicestatus", { credential: secret(), body: [aaps(1)] }));
    const latest = await latestDeviceStatusPerApp(world.owner, world.patientId);
    expect(latest.map((status) => status.app)).toEqual(["openaps://Pixel 7", "xDrip-DexcomG6", "loop://iPhone"]);
    expect(latest[0]).toMatchObject({ uploaderBattery: 78, pump: { reservoirUnits: 123.4, batteryPercent: 65, status: "normal" }, loop: { system: "OpenAPS", iobUnits: 1.25, cobGrams: 12, enactedRate: 0.8 } });
    expect(latest[1]).toMatchObject({ uploaderBattery: 91, pump: null, loop: null });
  });

  it("searches by find[device] and find[created_at], newest first", async () => {
    const found = await json<{ device: string; created_at: string }[]>(
      await getStatuses(request(`/api/v1/devicestatus?find[device]=${encodeURIComponent("openaps://Pixel 7")}&find[created_at][$lte]=${encodeURIComponent(at(5))}`, { credential: secret() })),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.created_at).toBe(at(10));
    expect(await json<unknown[]>(await getStatuses(request("/api/v1/devicestatus?count=2", { credential: secret() })))).toHaveLength(2);
  });

  it("answers 200 for a report from a phone whose clock is a day ahead, and records the problem", async () => {
    const answer = await json<{ stored: boolean }[]>(await postStatuses(request("/api/v1/devicestatus", { credential: secret(), body: { device: "Spike", created_at: new Date(now + 24 * 60 * minute).toISOString(), uploaderBattery: 50 } })));
    expect(answer).toEqual([expect.objectContaining({ stored: false, message: expect.stringContaining("in the future") })]);
  });
});
