import { describe, expect, it } from "vitest";
import { ageOn } from "./age";

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
