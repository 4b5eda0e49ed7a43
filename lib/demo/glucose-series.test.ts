import { describe, expect, it } from "vitest";
import { cgmSeries, fingerstickSeries } from "./glucose-series";

const end = new Date("2026-11-25T09:00:00Z");

describe("demo glucose series", () => {
  it("has one CGM reading every 5 minutes for 14 days, inside the sensor's range", () => {
    const series = cgmSeries(end, 14, 0, 1);
    expect(series).toHaveLength(14 * 288);
    expect(series.at(-1)!.effectiveAt).toEqual(end);
    for (let i = 1; i < series.length; i++) {
      expect(series[i]!.effectiveAt.getTime() - series[i - 1]!.effectiveAt.getTime()).toBe(300_000);
    }
    expect(Math.min(...series.map((r) => r.valueMgdl))).toBeGreaterThanOrEqual(40);
    expect(Math.max(...series.map((r) => r.valueMgdl))).toBeLessThanOrEqual(400);
  });

  it("has four fingersticks a day, none in the future", () => {
    const series = fingerstickSeries(end, 14, 60, 2);
    expect(series.length).toBeGreaterThanOrEqual(13 * 4 + 1);
    expect(series.length).toBeLessThanOrEqual(14 * 4);
    expect(series.every((r) => r.effectiveAt <= end)).toBe(true);
  });

  it("is deterministic for a seed", () => {
    expect(cgmSeries(end, 1, 0, 7)).toEqual(cgmSeries(end, 1, 0, 7));
  });
});
