import { describe, expect, it } from "vitest";
import { whyUnacceptable, type ValueAndTime } from "./validation";

const now = new Date("2026-11-25T10:00:00Z");
const base: ValueAndTime = { value: 112, unit: "mg/dL", censored: null, effectiveAt: new Date("2026-11-25T09:00:00Z"), utcOffsetMinutes: 60 };

describe("whyUnacceptable", () => {
  it.each([
    ["an ordinary value", {}],
    ["the lowest plausible value", { value: 10 }],
    ["the highest plausible value", { value: 1000 }],
    ["mmol/L in range", { value: 5.4, unit: "mmol/L" }],
    ["a LO reading at the meter limit", { value: 20, censored: "below" }],
    ["a clock 10 minutes fast", { effectiveAt: new Date("2026-11-25T10:10:00Z") }],
    ["UTC+14", { utcOffsetMinutes: 840 }],
  ] as const)("accepts %s", (_label, change) => {
    expect(whyUnacceptable({ ...base, ...change }, now)).toBeNull();
  });

  it.each([
    ["below 10 mg/dL", { value: 9.9 }, /outside what any meter reports \(10 to 1000 mg\/dL\)/],
    ["above 1000 mg/dL", { value: 1000.1 }, /outside/],
    ["mg/dL sent as mmol/L", { value: 112, unit: "mmol/L" }, /0.6 to 55.5 mmol\/L/],
    ["NaN", { value: Number.NaN }, /not a number/],
    ["infinity", { value: Number.POSITIVE_INFINITY }, /not a number/],
    ["11 minutes ahead", { effectiveAt: new Date("2026-11-25T10:11:00Z") }, /more than 10 minutes in the future/],
    ["an invalid date", { effectiveAt: new Date("nope") }, /not a valid date/],
    ["UTC+15", { utcOffsetMinutes: 900 }, /between -12:00 and \+14:00/],
  ] as const)("rejects %s", (_label, change, reason) => {
    expect(whyUnacceptable({ ...base, ...change }, now)).toMatch(reason);
  });
});
