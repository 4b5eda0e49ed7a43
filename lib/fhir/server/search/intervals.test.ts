import { describe, expect, it } from "vitest";
import { parseDateCondition, type DateCondition } from "../date-search";
import { periodMatch, quantityMatch, scaled, type IntervalMatch } from "./intervals";
import { parseQuantity, type QuantityValue } from "./values";

/** What the SQL built from a match means, for one number. */
function satisfies(match: IntervalMatch | null, n: number): boolean {
  if (match === null) return false;
  const inAny = match.any.some((i) => (i.min === null || (i.minInclusive ? n >= i.min : n > i.min)) && (i.max === null || (i.maxInclusive ? n <= i.max : n < i.max)));
  return match.negate ? !inAny : inAny;
}

const quantity = (raw: string) => parseQuantity(raw) as QuantityValue;

/** Whether a stored reading (value, or a LO/HI limit) matches the search. */
function matches(search: string, stored: { value: number; censored?: "below" | "above" }): boolean {
  const match = quantityMatch(quantity(search));
  if (stored.censored === "above") return satisfies(match.aboveLimit, stored.value);
  if (stored.censored === "below") return satisfies(match.belowLimit, stored.value);
  return satisfies(match.exact, stored.value);
}

describe("quantityMatch", () => {
  it.each([
    // Values known exactly.
    ["250", 250, true],
    ["250", 250.4, true],
    ["250", 250.5, false],
    ["250", 249.5, true],
    ["5.4", 5.35, true],
    ["5.4", 5.45, false],
    ["ne250", 250.2, false],
    ["ne250", 251, true],
    ["gt250", 250, false],
    ["gt250", 250.1, true],
    ["ge250", 250, true],
    ["lt70", 69.9, true],
    ["lt70", 70, false],
    ["le70", 70, true],
    ["sa250", 251, true],
    ["eb70", 69, true],
    ["ap100", 110, true],
    ["ap100", 111, false],
    ["ap100", 90, true],
  ])("%s with a reading of %d: %s", (search, value, expected) => {
    expect(matches(search, { value })).toBe(expected);
  });

  it.each([
    // A HI reading (">400") is above its limit; a LO reading ("<40") below it.
    ["gt250", { value: 400, censored: "above" as const }, true],
    ["gt400", { value: 400, censored: "above" as const }, true],
    ["gt450", { value: 400, censored: "above" as const }, false],
    ["ge400", { value: 400, censored: "above" as const }, true],
    ["lt450", { value: 400, censored: "above" as const }, false],
    ["eq400", { value: 400, censored: "above" as const }, false],
    ["ne300", { value: 400, censored: "above" as const }, true],
    ["ne450", { value: 400, censored: "above" as const }, false],
    ["lt70", { value: 40, censored: "below" as const }, true],
    ["lt40", { value: 40, censored: "below" as const }, true],
    ["lt30", { value: 40, censored: "below" as const }, false],
    ["gt20", { value: 40, censored: "below" as const }, false],
    ["ap40", { value: 40, censored: "below" as const }, false],
    ["ne20", { value: 40, censored: "below" as const }, false],
    ["ne50", { value: 40, censored: "below" as const }, true],
  ])("%s with a LO/HI reading %j: %s", (search, stored, expected) => {
    expect(matches(search, stored)).toBe(expected);
  });

  it("reads mmol/L bounds in mg/dL when scaled", () => {
    const inMgdl = scaled(quantityMatch(quantity("gt13.9")).exact, 18.01559);
    expect(satisfies(inMgdl, 251)).toBe(true);
    expect(satisfies(inMgdl, 250)).toBe(false);
  });
});

describe("periodMatch (a birth date: a day, by its first instant)", () => {
  const DAY = 86_400_000;
  const day = (date: string) => Date.parse(`${date}T00:00:00Z`);
  const condition = (raw: string) => parseDateCondition(raw) as DateCondition;
  it.each([
    ["1968-05-14", "1968-05-14", true],
    ["1968-05-14", "1968-05-15", false],
    ["1968", "1968-05-14", true],
    ["1968-05", "1968-06-01", false],
    ["ne1968-05-14", "1968-05-14", false],
    ["ne1968", "1969-01-01", true],
    ["gt1968-05-14", "1968-05-15", true],
    ["gt1968-05-14", "1968-05-14", false],
    ["gt1968", "1969-01-01", true],
    ["lt1968-05-14", "1968-05-13", true],
    ["lt1968-05-14", "1968-05-14", false],
    ["ge1968-05-14", "1968-05-14", true],
    ["ge1968-05-14", "1968-05-13", false],
    ["le1968-05-14", "1968-05-14", true],
    ["le1968-05-14", "1968-05-15", false],
    ["le1968", "1968-12-31", true],
    ["sa1968-05-14", "1968-05-15", true],
    ["sa1968-05-14", "1968-05-14", false],
    ["eb1968-05-14", "1968-05-13", true],
    ["eb1968-05-14", "1968-05-14", false],
    ["ap1968-05-14", "1968-05-15", true],
    ["ap1968-05-14", "1968-05-13", true],
    ["ap1968-05-14", "1968-05-16", false],
    // A search range shorter than the day: the day is not within it, but reaches past it.
    ["ge1968-05-14T12:00:00Z", "1968-05-14", true],
    ["eq1968-05-14T12:00:00Z", "1968-05-14", false],
  ])("birthdate=%s and a birth date of %s: %s", (search, birthDate, expected) => {
    expect(satisfies(periodMatch(condition(search), DAY), day(birthDate))).toBe(expected);
  });
});
