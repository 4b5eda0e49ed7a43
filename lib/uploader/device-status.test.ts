import { describe, expect, it } from "vitest";
import { DEFAULT_TIME_BOUNDS } from "@/lib/readings/validation";
import { deviceStatusToCandidate, toNightscoutDeviceStatus } from "./device-status";

const now = new Date("2026-11-24T12:00:00Z");
const context = { timeZone: "Europe/Berlin", bounds: DEFAULT_TIME_BOUNDS, now };
const createdAt = "2026-11-24T11:55:00.000Z";

describe("deviceStatusToCandidate", () => {
  it("summarizes an AndroidAPS report (openaps shape): phone battery, pump, insulin and carbs on board, the last temporary basal", () => {
    const result = deviceStatusToCandidate(
      {
        device: "openaps://Pixel 7", created_at: createdAt, uploaderBattery: 78, isCharging: true,
        pump: { reservoir: 123.4, battery: { percent: 65 }, status: { status: "normal" }, clock: createdAt },
        openaps: { iob: { iob: -0.2 }, suggested: { COB: 12, timestamp: createdAt, reason: "not kept" }, enacted: { rate: 0.8, duration: 30, timestamp: createdAt } },
      },
      context,
    );
    expect(result).toMatchObject({
      candidate: {
        app: "openaps://Pixel 7", reportedAt: new Date(createdAt), utcOffsetMinutes: 0, uploaderBattery: 78, uploaderCharging: true,
        pump: { reservoirUnits: 123.4, batteryPercent: 65, status: "normal", clock: createdAt },
        loop: { system: "OpenAPS", iobUnits: -0.2, cobGrams: 12, ranAt: createdAt, enactedRate: 0.8, enactedDurationMinutes: 30, enactedAt: createdAt },
      },
    });
  });

  it("summarizes a Loop report (loop shape), with a failed loop", () => {
    const result = deviceStatusToCandidate(
      { device: "loop://iPhone", created_at: createdAt, uploader: { battery: 54 }, pump: { reservoir: 80, suspended: true }, loop: { name: "Loop", timestamp: createdAt, iob: { iob: 0.5 }, cob: { cob: 20 }, failureReason: "pump comms" } },
      context,
    );
    expect(result).toMatchObject({ candidate: { uploaderBattery: 54, pump: { reservoirUnits: 80, suspended: true }, loop: { system: "Loop", iobUnits: 0.5, cobGrams: 20, failed: true } } });
  });

  it("reads an OpenAPS rig's insulin on board list, newest first", () => {
    expect(deviceStatusToCandidate({ created_at: createdAt, openaps: { iob: [{ iob: 1.1 }, { iob: 1.0 }] } }, context)).toMatchObject({ candidate: { loop: { iobUnits: 1.1 } } });
  });

  it("keeps xDrip+'s battery alone, with no pump and no loop, and a battery sent as text", () => {
    expect(deviceStatusToCandidate({ device: "xDrip-DexcomG6", created_at: createdAt, uploaderBattery: "91" }, context)).toMatchObject({ candidate: { uploaderBattery: 91, pump: null, loop: null } });
  });

  it("leaves out what it cannot read, never refusing the report for it", () => {
    const result = deviceStatusToCandidate({ created_at: createdAt, uploaderBattery: 250, pump: { reservoir: "lots", battery: { percent: -3 } }, loop: { iob: { iob: "x" } } }, context);
    expect(result).toMatchObject({ candidate: { uploaderBattery: null, pump: null, loop: { system: "Loop" } } });
  });

  it("dates a report without a time when it arrives, as Nightscout does", () => {
    expect(deviceStatusToCandidate({ uploaderBattery: 50 }, context)).toMatchObject({ candidate: { reportedAt: now } });
  });

  it.each([
    ["a time a day ahead", { device: "Spike", created_at: "2026-11-25T12:00:00Z" }, "Spike", "Device status reports dated in the future: check the phone's date, time and time zone."],
    ["an unreadable time", { device: "Spike", created_at: "now-ish" }, "Spike", "Device status reports whose time Lantern cannot read (send epoch milliseconds or ISO 8601 text)."],
    ["a number", 5, "An app that did not name itself", "Device status reports that are not JSON objects."],
  ])("does not store a report with %s, saying why", (_label, raw, app, reason) => {
    expect(deviceStatusToCandidate(raw, context)).toEqual({ notStored: { app, reason } });
  });
});

describe("toNightscoutDeviceStatus", () => {
  it("answers the summary in the shapes apps read", () => {
    const row = {
      identifier: "id", app: "loop://iPhone", reportedAt: new Date(createdAt), utcOffsetMinutes: 60, uploaderBattery: 54, uploaderCharging: null,
      pump: { reservoirUnits: 80, suspended: false }, loop: { system: "Loop", iobUnits: 0.5, enactedRate: 1.1, enactedDurationMinutes: 30 }, srvCreated: now, srvModified: now,
    };
    expect(toNightscoutDeviceStatus(row)).toEqual({
      _id: "id", identifier: "id", device: "loop://iPhone", created_at: createdAt, date: Date.parse(createdAt), utcOffset: 60, uploaderBattery: 54, uploader: { battery: 54 },
      pump: { reservoir: 80, status: { suspended: false } }, loop: { name: "Loop", iob: { iob: 0.5 }, cob: {}, enacted: { rate: 1.1, duration: 30 } },
    });
  });
});
