import { describe, expect, it } from "vitest";
import { formatGlucose, mgdlIn, normalizedMgdl, parseGlucoseUnit, plausibleRangeIn } from "./units";

describe("glucose units", () => {
  it.each([
    ["mg/dL", "mg/dL"],
    ["mg/dl", "mg/dL"],
    ["MG/DL", "mg/dL"],
    ["mmol/L", "mmol/L"],
    ["mmol/l", "mmol/L"],
    ["mg", null],
    [" mg/dL", null],
    ["mmol", null],
  ] as const)("reads the unit %j as %s", (text, unit) => {
    expect(parseGlucoseUnit(text)).toBe(unit);
  });

  it.each([
    [100, "mg/dL", 100],
    [5.4, "mmol/L", 97.284],
    [3.0, "mmol/L", 54.047],
    [10.0, "mmol/L", 180.156],
    [13.9, "mmol/L", 250.417],
  ] as const)("%d %s is %d mg/dL normalized", (value, unit, mgdl) => {
    expect(normalizedMgdl(value, unit)).toBe(mgdl);
  });

  it.each([
    [97.284, "mg/dL", "97"],
    [97.284, "mmol/L", "5.4"],
    [180.156, "mmol/L", "10.0"],
    [69.5, "mg/dL", "70"],
  ] as const)("formats %d mg/dL in %s as %s", (mgdl, unit, text) => {
    expect(formatGlucose(mgdl, unit)).toBe(text);
  });

  it("converts mg/dL to mmol/L by the same factor", () => {
    expect(mgdlIn(180.1559, "mmol/L")).toBeCloseTo(10, 10);
  });

  it("states the plausible range in each unit", () => {
    expect(plausibleRangeIn("mg/dL")).toEqual({ min: 10, max: 1000 });
    expect(plausibleRangeIn("mmol/L")).toEqual({ min: 0.6, max: 55.5 });
  });
});
