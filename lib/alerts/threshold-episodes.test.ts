import { describe, expect, it } from "vitest";
import type { GlucosePoint } from "./points";
import { point } from "./testing/series";
import { isBeyond } from "./threshold-episodes";

const low70 = { side: "low", thresholdMgdl: 70 } as const;
const high180 = { side: "high", thresholdMgdl: 180 } as const;

describe("isBeyond: rounded to whole mg/dL, strict, LO/HI beyond every threshold on their side", () => {
  it.each<[GlucosePoint, boolean, boolean]>([
    [point(0, 69.49), true, false],
    [point(0, 69.5), false, false],
    [point(0, 180.49), false, false],
    [point(0, 180.5), false, true],
    [point(0, "LO"), true, false],
    [{ ...point(0, "LO"), mgdl: 150 }, true, false],
    [point(0, "HI"), false, true],
    [{ ...point(0, "HI"), mgdl: 60 }, false, true],
  ])("%o: below 70 %s, above 180 %s", (p, below, above) => {
    expect(isBeyond(p, low70)).toBe(below);
    expect(isBeyond(p, high180)).toBe(above);
  });
});
