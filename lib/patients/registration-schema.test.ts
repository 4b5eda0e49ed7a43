import { describe, expect, it } from "vitest";
import { ageOn, registrationSchema } from "./registration-schema";

describe("ageOn", () => {
  it.each([
    ["2008-11-25", "2026-11-25", 18],
    ["2008-11-26", "2026-11-25", 17],
    ["2008-02-29", "2026-02-28", 17],
    ["2008-02-29", "2026-03-01", 18],
    ["1950-01-01", "2026-11-25", 76],
  ])("born %s is %i on %s", (birth, today, age) => {
    expect(ageOn(birth, today)).toBe(age);
  });
});

describe("registrationSchema", () => {
  const valid = {
    givenName: "Ana", familyName: "Silva", email: "ana@example.org", birthDate: "1990-04-02",
    timezone: "Europe/Lisbon", preferredUnit: "mmol/L", password: "x",
  };
  it("accepts a complete form", () => {
    expect(registrationSchema.safeParse(valid).success).toBe(true);
  });
  it.each([
    ["email", "not-an-email"],
    ["birthDate", "02/04/1990"],
    ["timezone", "Lisbon"],
    ["preferredUnit", "mg"],
    ["givenName", "  "],
  ])("rejects a bad %s", (field, value) => {
    const result = registrationSchema.safeParse({ ...valid, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});
