import { describe, expect, it } from "vitest";
import { countOf } from "./count";

describe("countOf", () => {
  it.each([
    [0, "patient", undefined, "0 patients"],
    [1, "patient", undefined, "1 patient"],
    [2, "patient", undefined, "2 patients"],
    [1, "person", "people", "1 person"],
    [3, "person", "people", "3 people"],
    [1, "reading", undefined, "1 reading"],
    [25920, "reading", undefined, "25,920 readings"],
  ])("%d %s", (count, singular, plural, expected) => {
    expect(countOf(count, singular, plural)).toBe(expected);
  });
});
