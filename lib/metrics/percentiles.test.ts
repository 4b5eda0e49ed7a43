import { describe, expect, it } from "vitest";
import { percentileOfSorted } from "./percentiles";

describe("percentileOfSorted: linear interpolation between closest ranks (R type 7), hand-computed", () => {
  it.each([
    // [values, percent, expected, arithmetic]
    [[7], 5, 7, "one value: h = 0"],
    [[7], 95, 7, "one value: h = 0"],
    [[10, 20], 50, 15, "h = 0.5: 10 + 0.5 x 10"],
    [[10, 20], 95, 19.5, "h = 0.95: 10 + 0.95 x 10"],
    [[1, 2, 3, 4], 25, 1.75, "h = 3 x 0.25 = 0.75: 1 + 0.75 x 1"],
    [[1, 2, 3, 4], 50, 2.5, "h = 1.5: 2 + 0.5 x 1"],
    [[1, 2, 3, 4], 75, 3.25, "h = 2.25: 3 + 0.25 x 1"],
    [[100, 110, 120, 130, 140], 5, 102, "h = 4 x 0.05 = 0.2: 100 + 0.2 x 10"],
    [[100, 110, 120, 130, 140], 25, 110, "h = 1: x[1]"],
    [[100, 110, 120, 130, 140], 50, 120, "h = 2: x[2]"],
    [[100, 110, 120, 130, 140], 95, 138, "h = 3.8: 130 + 0.8 x 10"],
    [[40, 70, 80, 90, 100, 110, 120, 130, 400], 5, 52, "h = 8 x 0.05 = 0.4: 40 + 0.4 x 30"],
    [[40, 70, 80, 90, 100, 110, 120, 130, 400], 95, 292, "h = 7.6: 130 + 0.6 x 270"],
    [[3, 5, 8], 0, 3, "the 0th is the minimum"],
    [[3, 5, 8], 100, 8, "the 100th is the maximum"],
    [[5, 5, 5, 9], 50, 5, "ties: h = 1.5 between 5 and 5"],
  ])("%j, %sth percentile = %s (%s)", (values, percent, expected) => {
    expect(percentileOfSorted(values, percent)).toBe(expected);
  });

  it("reads typed arrays as well as arrays", () => {
    expect(percentileOfSorted(Float64Array.of(1, 2, 3, 4), 50)).toBe(2.5);
  });

  it.each([
    ["no values", [], 50],
    ["a percent above 100", [1, 2], 101],
    ["a negative percent", [1, 2], -1],
    ["a fractional percent", [1, 2], 2.5],
    ["a percent that is not a number", [1, 2], Number.NaN],
  ])("refuses %s", (_label, values, percent) => {
    expect(() => percentileOfSorted(values, percent)).toThrow(RangeError);
  });
});
