import { describe, expect, it } from "vitest";
import { rulesFor, type EpisodeRule } from "./rules";
import { TARGET_PRESETS } from "./targets";
import { series } from "./testing/series";

const MINUTE = 60_000;
const shape = (rules: EpisodeRule[]) => Object.fromEntries(rules.map((r) => [r.kind, [r.startReadings, r.endReadings, r.maxSpacingMs / MINUTE]]));

describe("rulesFor: the consensus minutes as reading counts", () => {
  it.each<[number, Record<string, [number, number, number]>]>([
    [
      5,
      {
        "hypo-level-2": [3, 3, 10],
        "hypo-extended": [25, 3, 10],
        "hypo-level-1": [3, 3, 10],
        "rapid-fall": [3, 1, 10],
        "hyper-level-2": [3, 3, 10],
        "hyper-level-1": [3, 3, 10],
      },
    ],
    [
      1,
      {
        "hypo-level-2": [15, 15, 2],
        "hypo-extended": [121, 15, 2],
        "hypo-level-1": [15, 15, 2],
        "rapid-fall": [3, 1, 2],
        "hyper-level-2": [15, 15, 2],
        "hyper-level-1": [15, 15, 2],
      },
    ],
    [
      15,
      {
        "hypo-level-2": [1, 1, 30],
        "hypo-extended": [9, 1, 30],
        "hypo-level-1": [1, 1, 30],
        "rapid-fall": [3, 1, 30],
        "hyper-level-2": [1, 1, 30],
        "hyper-level-1": [1, 1, 30],
      },
    ],
  ])("a %i-minute CGM: [readings to start, readings to end, longest spacing in minutes]", (intervalMinutes, expected) => {
    expect(shape(rulesFor({ specimen: "interstitial", intervalMinutes }, []))).toEqual(expected);
  });

  it("a fingerstick opens and closes on one reading, with no gap rule, level 2 only", () => {
    expect(shape(rulesFor({ specimen: "capillary" }, []))).toEqual({ "hypo-level-2": [1, 1, Infinity], "hyper-level-2": [1, 1, Infinity] });
  });

  it("takes the thresholds given, the consensus ones otherwise, extended hypo on level 1", () => {
    const thresholdsOf = (rules: EpisodeRule[]) => Object.fromEntries(rules.flatMap((r) => (r.kind === "rapid-fall" ? [] : [[r.kind, r.thresholdMgdl]])));
    expect(thresholdsOf(rulesFor({ specimen: "interstitial", intervalMinutes: 5 }, []))).toEqual({ "hypo-level-2": 54, "hypo-extended": 70, "hypo-level-1": 70, "hyper-level-2": 250, "hyper-level-1": 180 });
    expect(thresholdsOf(rulesFor({ specimen: "interstitial", intervalMinutes: 5, thresholds: TARGET_PRESETS.pregnancy.alerts }, []))).toEqual({ "hypo-level-2": 54, "hypo-extended": 63, "hypo-level-1": 63, "hyper-level-2": 180, "hyper-level-1": 140 });
  });

  it("infers the interval from the readings when none is given", () => {
    expect(shape(rulesFor({ specimen: "interstitial" }, series([100, 100, 100], 15)))["hypo-level-1"]).toEqual([1, 1, 30]);
  });

  it.each([0, -5, 2.5, Number.NaN])("refuses an interval of %s minutes", (intervalMinutes) => {
    expect(() => rulesFor({ specimen: "interstitial", intervalMinutes }, [])).toThrow(RangeError);
  });
});
