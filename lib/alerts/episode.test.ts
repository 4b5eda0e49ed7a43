import { describe, expect, it } from "vitest";
import { extendTally, finishTally, openTally } from "./episode";
import { at, point } from "./testing/series";

describe("episode tally", () => {
  it("keeps the first of equally bad readings as the worst, on either side", () => {
    const low = openTally(point(0, 60));
    extendTally(low, point(5, 55), "low");
    extendTally(low, point(10, 55), "low");
    expect(low.worst).toEqual(point(5, 55));
    const high = openTally(point(0, 300));
    extendTally(high, point(5, "HI"), "high");
    extendTally(high, point(10, "HI"), "high");
    expect(high.worst).toEqual(point(5, "HI"));
  });

  it("lasts to its end once closed, to the last reading plus the reading's minutes while open", () => {
    const tally = openTally(point(0, 60));
    extendTally(tally, point(5, 60), "low");
    expect(finishTally(tally, "hypo-level-1", "interstitial", at(30), 5).durationMinutes).toBe(30);
    expect(finishTally(tally, "hypo-level-1", "interstitial", null, 5).durationMinutes).toBe(10);
    expect(finishTally(tally, "hypo-level-2", "capillary", null, 0).durationMinutes).toBe(5);
  });
});
