import { describe, expect, it } from "vitest";
import { deviceReadingToCandidate } from "./readings";

const deviceId = "6f1c2d4e-0000-4000-8000-000000000001";

describe("deviceReadingToCandidate", () => {
  it("keeps value and unit, reads the offset and keys by sequence number, time and value", () => {
    expect(deviceReadingToCandidate(deviceId, "fingerstick-meter", { time: "2026-11-24T08:05:00+01:00", value: 5.4, unit: "mmol/L", seq: 1042, mealContext: "before-meal", flags: [] }, 3)).toEqual({
      candidate: {
        position: 3, value: 5.4, unit: "mmol/L", censored: null, effectiveAt: new Date("2026-11-24T07:05:00Z"), utcOffsetMinutes: 60,
        specimen: "capillary", mealContext: "before-meal", dedupeKey: `device:${deviceId}:seq:1042:${Date.parse("2026-11-24T07:05:00Z")}:5.4mmol/L`,
      },
    });
  });

  it("a meter whose memory was reset re-uses seq 1042 with a new time and value: a new reading, while a resend is a duplicate", () => {
    const key = (raw: unknown) => {
      const result = deviceReadingToCandidate(deviceId, "fingerstick-meter", raw, 0);
      return "candidate" in result ? result.candidate.dedupeKey : result.rejection.reason;
    };
    const before = { time: "2026-11-24T08:05:00+01:00", value: 112, unit: "mg/dL", seq: 1042 };
    const afterReset = { time: "2026-12-02T19:40:00+01:00", value: 250, unit: "mg/dL", seq: 1042 };
    expect(key(afterReset)).not.toBe(key(before));
    expect(key({ ...before, value: 113 })).not.toBe(key(before));
    // The same reading sent again, its time written in UTC: the same key.
    expect(key({ ...before, time: "2026-11-24T07:05:00.000Z" })).toBe(key(before));
  });

  it.each([
    [{ flags: ["LO"], value: 20 }, "below", "<20mg/dL"],
    [{ flags: ["HI"], value: 600 }, "above", ">600mg/dL"],
  ] as const)("marks %j as censored %s", (change, censored, keyValue) => {
    const result = deviceReadingToCandidate(deviceId, "cgm", { time: "2026-11-24T08:05:00Z", unit: "mg/dL", ...change }, 0);
    expect(result).toMatchObject({ candidate: { censored, specimen: "interstitial", dedupeKey: `device:${deviceId}:${Date.parse("2026-11-24T08:05:00Z")}:${keyValue}` } });
  });

  it.each([
    ["mg/dl", "mg/dL"],
    ["MG/DL", "mg/dL"],
    ["mmol/l", "mmol/L"],
    ["MMOL/L", "mmol/L"],
  ] as const)("accepts the unit %s in any letter case, as files do", (unit, canonical) => {
    const result = deviceReadingToCandidate(deviceId, "cgm", { time: "2026-11-24T08:05:00Z", value: 5.4, unit }, 0);
    expect(result).toMatchObject({ candidate: { unit: canonical, value: 5.4 } });
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
