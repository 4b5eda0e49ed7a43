import { describe, expect, it } from "vitest";
import { compareGlucose, distinctPoints, samplingIntervalMinutes, type GlucosePoint } from "./points";
import { at, point, series } from "./testing/series";

const SECOND = 1000;
const shift = (p: GlucosePoint, seconds: number): GlucosePoint => ({ ...p, at: p.at + seconds * SECOND });

describe("samplingIntervalMinutes: median spacing in whole minutes", () => {
  it.each<[string, GlucosePoint[], number]>([
    ["no readings: 5", [], 5],
    ["one reading: 5", [point(0, 100)], 5],
    ["the same instant twice: 5", [point(0, 100), point(0, 90)], 5],
    ["every 5 minutes", series([1, 2, 3, 4].map(() => 100), 5), 5],
    ["every minute", series([1, 2, 3, 4].map(() => 100), 1), 1],
    ["every 15 minutes", series([1, 2, 3, 4].map(() => 100), 15), 15],
    ["every 5 minutes with gaps", [...series([100, 100, 100, 100]), ...series([100, 100, 100], 5, 300)], 5],
    ["every 5 minutes with a few seconds of jitter", [point(0, 100), shift(point(5, 100), -3), shift(point(10, 100), 4), shift(point(15, 100), -2)], 5],
    ["duplicates do not count as spacings", [...series([100, 100, 100], 15), ...series([100, 100, 100], 15)], 15],
    ["an even number of spacings: the mean of the middle two", [point(0, 100), point(5, 100), point(10, 100), point(25, 100), point(40, 100)], 10],
    ["closer than a minute: 1", [point(0, 100), { ...point(0, 100), at: at(0) + 20 * SECOND }], 1],
  ])("%s", (_, points, minutes) => {
    expect(samplingIntervalMinutes(points)).toBe(minutes);
  });
});

describe("distinctPoints: time order, one point per instant", () => {
  it("keeps the lower glucose at an instant, whatever the input order", () => {
    const candidates = [point(5, 120), point(0, 100), point(5, 80), point(5, 90)];
    expect(distinctPoints(candidates)).toEqual([point(0, 100), point(5, 80)]);
    expect(distinctPoints([...candidates].reverse())).toEqual([point(0, 100), point(5, 80)]);
  });

  it.each<[string, GlucosePoint, GlucosePoint]>([
    ["LO is lower than any number", point(0, "LO"), point(0, 20)],
    ["any number is lower than HI", point(0, 500), point(0, "HI")],
    ["of two LO, the lower limit", { ...point(0, "LO"), mgdl: 20 }, point(0, "LO")],
  ])("%s", (_, lower, higher) => {
    expect(compareGlucose(lower, higher)).toBeLessThan(0);
    expect(distinctPoints([higher, lower])).toEqual([lower]);
  });

  it("refuses an invalid instant or value", () => {
    expect(() => distinctPoints([{ at: Number.NaN, mgdl: 100, censored: null }])).toThrow(RangeError);
    expect(() => distinctPoints([{ at: at(0), mgdl: Infinity, censored: null }])).toThrow(RangeError);
  });
});
