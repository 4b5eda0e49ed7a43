import { describe, expect, it } from "vitest";
import { deviceReadingToCandidate } from "./readings";

const deviceId = "6f1c2d4e-0000-4000-8000-000000000001";

describe("deviceReadingToCandidate", () => {
  it("keeps value and unit, reads the offset and keys by sequence number", () => {
    expect(deviceReadingToCandidate(deviceId, "fingerstick-meter", { time: "2026-11-24T08:05:00+01:00", value: 5.4, unit: "mmol/L", seq: 1042, mealContext: "before-meal", flags: [] }, 3)).toEqual({
      candidate: {
        position: 3, value: 5.4, unit: "mmol/L", censored: null, effectiveAt: new Date("2026-11-24T07:05:00Z"), utcOffsetMinutes: 60,
        specimen: "capillary", mealContext: "before-meal", dedupeKey: `device:${deviceId}:seq:1042`,
      },
    });
  });

  it.each([
    [{ flags: ["LO"], value: 20 }, "below"],
    [{ flags: ["HI"], value: 600 }, "above"],
  ] as const)("marks %j as censored %s", (change, censored) => {
    const result = deviceReadingToCandidate(deviceId, "cgm", { time: "2026-11-24T08:05:00Z", unit: "mg/dL", ...change }, 0);
    expect(result).toMatchObject({ candidate: { censored, specimen: "interstitial", dedupeKey: `device:${deviceId}:time:${Date.parse("2026-11-24T08:05:00Z")}` } });
  });

  it.each([
    [{ time: "2026-11-24T08:05:00", value: 100, unit: "mg/dL" }, /^time: time must be ISO 8601 with its UTC offset/],
    [{ time: "2026-11-24T08:05:00Z", value: "100", unit: "mg/dL" }, /^value: value must be a number/],
    [{ time: "2026-11-24T08:05:00Z", value: 100, unit: "mg/l" }, /^unit: unit must be mg\/dL or mmol\/L/],
    [{ time: "2026-11-24T08:05:00Z", value: 100, unit: "mg/dL", flags: ["control"] }, /control solution test/],
    [{ time: "2026-11-24T08:05:00Z", value: 100, unit: "mg/dL", flags: ["LO", "HI"] }, /both LO and HI/],
    [null, /expected object/i],
  ])("rejects %j with a reason", (raw, reason) => {
    const result = deviceReadingToCandidate(deviceId, "cgm", raw, 7);
    expect(result).toEqual({ rejection: { index: 7, reason: expect.stringMatching(reason) } });
  });
});
