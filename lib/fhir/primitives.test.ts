import { describe, expect, it } from "vitest";
import { FHIR_DATE_TIME, FHIR_ID, fhirDateTimeAtOffset, fhirPeriodBound, fnv1a64, nonEmpty } from "./primitives";

describe("fhirDateTimeAtOffset", () => {
  const instant = new Date("2026-11-24T07:05:00Z");
  it.each([
    [60, "2026-11-24T08:05:00+01:00"],
    [0, "2026-11-24T07:05:00+00:00"],
    [-300, "2026-11-24T02:05:00-05:00"],
    [330, "2026-11-24T12:35:00+05:30"],
    [-210, "2026-11-24T03:35:00-03:30"],
    [345, "2026-11-24T12:50:00+05:45"],
    [-570, "2026-11-23T21:35:00-09:30"],
    [840, "2026-11-24T21:05:00+14:00"],
    [-720, "2026-11-23T19:05:00-12:00"],
  ])("offset %s renders %s", (offset, expected) => {
    const rendered = fhirDateTimeAtOffset(instant, offset);
    expect(rendered).toBe(expected);
    expect(rendered).toMatch(FHIR_DATE_TIME);
    expect(new Date(rendered).getTime()).toBe(instant.getTime());
  });

  it("keeps milliseconds when there are some", () => {
    expect(fhirDateTimeAtOffset(new Date("2026-11-24T07:05:00.250Z"), 60)).toBe("2026-11-24T08:05:00.250+01:00");
  });

  it("crosses the date line backwards and forwards", () => {
    expect(fhirDateTimeAtOffset(new Date("2026-12-31T23:30:00Z"), 60)).toBe("2027-01-01T00:30:00+01:00");
    expect(fhirDateTimeAtOffset(new Date("2027-01-01T00:30:00Z"), -60)).toBe("2026-12-31T23:30:00-01:00");
  });

  it.each([900, -900, 30.5, Number.NaN])("falls back to UTC for an offset FHIR cannot carry (%s)", (offset) => {
    expect(fhirDateTimeAtOffset(instant, offset)).toBe("2026-11-24T07:05:00Z");
  });

  it("refuses an invalid date", () => {
    expect(() => fhirDateTimeAtOffset(new Date("nope"), 0)).toThrow(RangeError);
  });
});

describe("fhirPeriodBound", () => {
  it.each([
    ["2026-11-01", "2026-11-01"],
    ["2026-11-01T00:00:00+01:00", "2026-11-01T00:00:00+01:00"],
    [new Date("2026-11-01T00:00:00Z"), "2026-11-01T00:00:00.000Z"],
  ])("%s -> %s", (input, output) => {
    expect(fhirPeriodBound(input)).toBe(output);
  });

  it.each(["2026-11-01T00:00", "01/11/2026", "2026-13-01", ""])("refuses %j", (input) => {
    expect(() => fhirPeriodBound(input)).toThrow(RangeError);
  });
});

describe("fnv1a64", () => {
  it.each([
    ["", "cbf29ce484222325"],
    ["a", "af63dc4c8601ec8c"],
    ["foobar", "85944171f73967e8"],
  ])("%j hashes to the published FNV-1a 64 test vector %s", (input, hash) => {
    expect(fnv1a64(input)).toBe(hash);
  });
});

describe("FHIR_ID and nonEmpty", () => {
  it.each([
    ["123", true],
    ["7d0c5b8e-3f1a-4c2b-9e6d-2a4b8c1d0e5f", true],
    ["a".repeat(64), true],
    ["a".repeat(65), false],
    ["12 3", false],
    ["", false],
    ["a_b", false],
  ])("%j is a FHIR id: %s", (id, valid) => {
    expect(FHIR_ID.test(id)).toBe(valid);
  });

  it.each([
    [" MRN-1 ", "MRN-1"],
    ["  ", undefined],
    ["", undefined],
    [null, undefined],
    [undefined, undefined],
  ])("nonEmpty(%j) is %j", (input, output) => {
    expect(nonEmpty(input)).toBe(output);
  });
});
