import { describe, expect, it } from "vitest";
import { clockProblemOf, DEFAULT_EARLIEST_READING, whatIsUnacceptable, whyUnacceptable, type ValueAndTime } from "./validation";

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
    // Fuzzing found these two throwing while the local date was worked out (a 500, not a refusal).
    ["an offset of a billion minutes", { utcOffsetMinutes: 1e9 }, /between -12:00 and \+14:00/],
    ["the earliest instant a Date holds", { effectiveAt: new Date(-8.64e15), utcOffsetMinutes: -720 }, /not a valid date/],
  ] as const)("rejects %s", (_label, change, reason) => {
    expect(whyUnacceptable({ ...base, ...change }, now)).toMatch(reason);
  });
});

describe("whyUnacceptable: the earliest time a reading may have", () => {
  const at = (iso: string, utcOffsetMinutes = 0): ValueAndTime => ({ ...base, effectiveAt: new Date(iso), utcOffsetMinutes });

  it.each([
    ["a meter reset to 2000-01-01 (device door)", at("2000-01-01T00:00:00Z"), "the meter's clock looks unset: 2000-01-01"],
    ["the Unix epoch (uploader date 0 or a CSV)", at("1970-01-01T00:00:00Z"), "the meter's clock looks unset: 1970-01-01"],
    ["a reset meter in a zone east of UTC", at("1999-12-31T23:00:00Z", 60), "the meter's clock looks unset: 2000-01-01"],
    ["another 1 January midnight before the floor", at("2003-01-01T00:00:00Z"), "the meter's clock looks unset: 2003-01-01"],
  ])("names %s as an unset clock", (_label, reading, reason) => {
    expect(whyUnacceptable(reading, now)).toMatch(new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });

  it.each([
    ["a 1999 uploader date", at("1999-06-15T08:00:00Z")],
    ["a 1990 FHIR Observation", at("1990-03-02T10:30:00+02:00", 120)],
    ["a minute before the default floor", at("2004-12-31T23:59:00Z")],
  ])("refuses %s as earlier than the floor", (_label, reading) => {
    expect(whyUnacceptable(reading, now)).toMatch(/is before 2005-01-01, the earliest time Lantern accepts; check the device clock$/);
  });

  it("accepts the floor itself, and a floor the caller chooses", () => {
    expect(whyUnacceptable(at("2005-01-01T00:00:00Z"), now)).toBeNull();
    expect(whyUnacceptable(at("2004-06-01T08:00:00Z"), now, { floor: new Date("2000-01-01T00:00:00Z"), birthDate: null })).toBeNull();
    expect(whyUnacceptable(at("2010-06-01T08:00:00Z"), now, { floor: new Date("2012-01-01T00:00:00Z"), birthDate: null })).toMatch(/is before 2012-01-01/);
  });

  it("refuses a reading from before the patient's date of birth, by the reading's own calendar date", () => {
    const bounds = { floor: DEFAULT_EARLIEST_READING, birthDate: "2015-03-02" };
    expect(whyUnacceptable(at("2015-03-01T22:59:00Z", 60), now, bounds)).toMatch(/^the time 2015-03-01T22:59:00.000Z is before the patient's date of birth \(2015-03-02\); check the device clock$/);
    // 23:30 UTC on the 1st is already the 2nd in UTC+01:00: the day of birth.
    expect(whyUnacceptable(at("2015-03-01T23:30:00Z", 60), now, bounds)).toBeNull();
    expect(whyUnacceptable(at("2026-11-25T09:00:00Z", 60), now, bounds)).toBeNull();
  });

  it("keeps the future limit", () => {
    expect(whyUnacceptable(at("2026-11-25T10:10:00Z"), now)).toBeNull();
    expect(whyUnacceptable(at("2026-11-25T10:11:00Z"), now)).toMatch(/more than 10 minutes in the future/);
  });
});

describe("whatIsUnacceptable: which check failed, for doors that count problems by kind", () => {
  const bounds = { floor: DEFAULT_EARLIEST_READING, birthDate: "2010-05-01" };
  it.each([
    ["not-a-number", { value: Number.NaN }],
    ["implausible-value", { value: 5000 }],
    ["invalid-time", { effectiveAt: new Date("nope") }],
    ["future-time", { effectiveAt: new Date("2026-11-26T10:00:00Z") }],
    ["clock-unset", { effectiveAt: new Date("2000-01-01T00:00:00Z"), utcOffsetMinutes: 0 }],
    ["before-birth", { effectiveAt: new Date("2009-06-01T12:00:00Z") }],
    ["invalid-offset", { utcOffsetMinutes: 900 }],
  ] as const)("names %s, with the same reason whyUnacceptable gives", (kind, change) => {
    const reading = { ...base, ...change };
    expect(whatIsUnacceptable(reading, now, bounds)).toEqual({ kind, reason: whyUnacceptable(reading, now, bounds) });
  });

  it("names a time before the floor when the patient's birth date allows it", () => {
    expect(whatIsUnacceptable({ ...base, effectiveAt: new Date("2004-06-01T12:00:00Z") }, now)?.kind).toBe("before-floor");
  });
});

describe("clockProblemOf", () => {
  it.each([
    ["an offset no clock has", { utcOffsetMinutes: 1e9 }],
    ["a time before year 1", { effectiveAt: new Date(-8.64e15), utcOffsetMinutes: -720 }],
    ["an invalid date", { effectiveAt: new Date("nope") }],
  ] as const)("says nothing of the clock for %s (the reading is refused for it instead)", (_label, change) => {
    expect(clockProblemOf({ ...base, ...change }, now)).toBeNull();
  });

  it("names a clock running ahead", () => {
    expect(clockProblemOf({ ...base, effectiveAt: new Date("2026-11-25T11:00:00Z") }, now)).toMatch(/more than 10 minutes in the future/);
  });
});
