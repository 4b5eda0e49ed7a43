import { describe, expect, it } from "vitest";
import { trendDirections } from "@/db/schema/readings-enums";
import { nightscoutTrend, trendArrows } from "./trend";

describe("trend arrows", () => {
  it.each([
    ["DoubleUp", 1, "⇈", "rising fast"],
    ["SingleUp", 2, "↑", "rising"],
    ["FortyFiveUp", 3, "↗", "rising slowly"],
    ["Flat", 4, "→", "steady"],
    ["FortyFiveDown", 5, "↘", "falling slowly"],
    ["SingleDown", 6, "↓", "falling"],
    ["DoubleDown", 7, "⇊", "falling fast"],
    ["NOT COMPUTABLE", 8, "?", "trend not computable"],
  ] as const)("%s is Nightscout trend %i, shown as %s and read as %s", (direction, number, glyph, words) => {
    expect(nightscoutTrend(direction)).toBe(number);
    expect(trendArrows[direction]).toEqual({ glyph, words });
  });

  it("NONE is trend 0 and shows nothing", () => {
    expect(nightscoutTrend("NONE")).toBe(0);
    expect(trendArrows.NONE).toBeNull();
  });

  it("gives every direction a distinct Nightscout number", () => {
    expect(new Set(trendDirections.map(nightscoutTrend)).size).toBe(trendDirections.length);
  });
});
