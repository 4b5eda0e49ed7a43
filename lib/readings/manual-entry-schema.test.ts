import { describe, expect, it } from "vitest";
import { z } from "zod";
import { manualReadingSchema } from "./manual-entry-schema";

function fieldErrors(input: unknown) {
  const result = manualReadingSchema.safeParse(input);
  return result.success ? {} : z.flattenError(result.error).fieldErrors;
}

describe("manualReadingSchema", () => {
  it.each([
    [{ value: "112", unit: "mg/dL", takenAt: "2026-11-24T08:05" }],
    [{ value: "6.2", unit: "mmol/L", takenAt: "2026-11-24T08:05:30" }],
    [{ value: "10", unit: "mg/dL", takenAt: "2026-11-24T08:05" }],
    [{ value: "1000", unit: "mg/dL", takenAt: "2026-11-24T08:05" }],
    [{ value: "98", unit: "mg/dL", takenAt: "2026-11-24T08:05", mealContext: "before-meal", note: "after a run" }],
    [{ value: "98", unit: "mg/dL", takenAt: "2026-11-24T08:05", mealContext: "", note: "  " }],
  ])("accepts %j", (input) => {
    expect(manualReadingSchema.safeParse(input).success).toBe(true);
  });

  it.each([
    [{ value: "abc", unit: "mg/dL", takenAt: "2026-11-24T08:05" }, "value", /as a number/],
    [{ value: "9", unit: "mg/dL", takenAt: "2026-11-24T08:05" }, "value", /between 10 and 1000 mg\/dL/],
    [{ value: "1001", unit: "mg/dL", takenAt: "2026-11-24T08:05" }, "value", /between 10 and 1000/],
    [{ value: "112", unit: "mmol/L", takenAt: "2026-11-24T08:05" }, "value", /between 0.6 and 55.5 mmol\/L/],
    [{ value: "112", unit: "mg/l", takenAt: "2026-11-24T08:05" }, "unit", /mg\/dL or mmol\/L/],
    [{ value: "112", unit: "mg/dL", takenAt: "24/11/2026" }, "takenAt", /date and time/],
    [{ value: "112", unit: "mg/dL", takenAt: "2026-11-24T08:05", mealContext: "lunch" }, "mealContext", /relative to a meal/],
    [{ value: "112", unit: "mg/dL", takenAt: "2026-11-24T08:05", note: "x".repeat(501) }, "note", /under 500 characters/],
  ] as const)("rejects %j on %s", (input, field, message) => {
    const errors = fieldErrors(input) as Record<string, string[] | undefined>;
    expect(errors[field]?.join(" ")).toMatch(message);
  });
});

describe("what people type into the value box", () => {
  it("says the value is required when the box is empty, not that no meter reports 0", () => {
    for (const value of ["", "   ", undefined]) {
      const errors = fieldErrors({ value, unit: "mg/dL", takenAt: "2026-11-24T08:05" }) as Record<string, string[] | undefined>;
      expect(errors.value?.join(" ")).toMatch(/Enter the glucose value your meter shows/);
      expect(errors.value?.join(" ")).not.toMatch(/No meter reports/);
    }
  });

  it.each([
    ["5,4", 5.4],
    [" 6,25 ", 6.25],
    ["5.4", 5.4],
    ["12,0", 12],
  ])("reads %j as %d", (value, expected) => {
    expect(manualReadingSchema.parse({ value, unit: "mmol/L", takenAt: "2026-11-24T08:05" }).value).toBe(expected);
  });

  it.each(["5,4,1", "1,000", "5.4,1"])("refuses %j as not a number", (value) => {
    const errors = fieldErrors({ value, unit: "mmol/L", takenAt: "2026-11-24T08:05" }) as Record<string, string[] | undefined>;
    expect(errors.value?.join(" ")).toMatch(/as a number/);
  });
});

describe("empty optional fields", () => {
  it("turns an empty meal context and a blank note into null", () => {
    const parsed = manualReadingSchema.parse({ value: "98", unit: "mg/dL", takenAt: "2026-11-24T08:05", mealContext: "", note: " " });
    expect(parsed.mealContext).toBeNull();
    expect(parsed.note).toBeNull();
  });
});
