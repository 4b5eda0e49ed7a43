import { describe, expect, it } from "vitest";
import { registrationSchema } from "./registration-schema";

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
