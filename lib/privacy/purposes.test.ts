import { describe, expect, it } from "vitest";
import { decidedBy, isPermitted, PURPOSES, refusalOf, type ConsentSubject } from "./purposes";

const TODAY = "2026-12-02";
const bornYearsAgo = (years: number, dayOffset = 0) => {
  const date = new Date(`${2026 - years}-12-02T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + dayOffset);
  return date.toISOString().slice(0, 10);
};
const subject = (age: number, digitalConsentAge = 16, dayOffset = 0): ConsentSubject => ({ birthDate: bornYearsAgo(age, dayOffset), today: TODAY, digitalConsentAge });

describe("the declared purposes", () => {
  it("declare direct care as not consent-based and every optional purpose off by default", () => {
    expect(PURPOSES.map((p) => [p.id, p.decidable, p.onByDefault])).toEqual([
      ["direct-care", false, true],
      ["hospital-sharing", true, true],
      ["research", true, false],
      ["product-analytics", true, false],
      ["marketing", true, false],
    ]);
    for (const purpose of PURPOSES) expect(purpose.lawfulBasis).toMatch(/Art 6/);
  });
});

describe("who decides", () => {
  it.each([
    // age, age of digital consent, days after the birthday (negative: the day before it), decider
    [12, 13, 0, "guardian"],
    [13, 13, 1, "guardian"], // the 13th birthday is tomorrow
    [13, 13, 0, "patient"], // today
    [15, 16, 0, "guardian"],
    [16, 16, 0, "patient"],
    [40, 16, 0, "patient"],
  ] as const)("a patient of %s where the age is %s (birthday shifted %s days): the %s", (age, consentAge, shift, decider) => {
    expect(decidedBy(subject(age, consentAge, shift))).toBe(decider);
  });
});

describe("refusals", () => {
  it.each([
    ["research", "permit", 12, "patient", /parent or guardian/],
    ["hospital-sharing", "deny", 12, "patient", /parent or guardian/],
    ["research", "permit", 12, "guardian", null],
    ["research", "permit", 17, "guardian", /patient decides/],
    ["marketing", "permit", 12, "guardian", /never/],
    ["marketing", "permit", 17, "patient", /never/],
    ["marketing", "deny", 17, "patient", null],
    ["marketing", "permit", 18, "patient", null],
    ["product-analytics", "permit", 30, "patient", null],
  ] as const)("%s %s for a patient of %s by the %s", (purpose, decision, age, decider, refusal) => {
    const result = refusalOf(purpose, decision, subject(age), decider);
    if (refusal === null) expect(result).toBeNull();
    else expect(result).toMatch(refusal);
  });
});

describe("what applies now", () => {
  it.each([
    ["hospital-sharing", null, 40, true],
    ["hospital-sharing", "deny", 40, false],
    ["research", null, 40, false],
    ["research", "permit", 40, true],
    ["research", "permit", 10, true], // the guardian said yes
    ["product-analytics", null, 10, false],
    ["marketing", null, 40, false],
    ["marketing", "permit", 40, true],
    ["marketing", "permit", 17, false], // even a stored yes never applies to a child
  ] as const)("%s decided %s, age %s: %s", (purpose, decision, age, permitted) => {
    expect(isPermitted(purpose, decision, subject(age))).toBe(permitted);
  });
});
