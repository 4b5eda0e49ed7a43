import { describe, expect, it } from "vitest";
import { findEpisodes } from "./episodes";
import type { GlucosePoint } from "./points";
import { at, MINUTE, point, series } from "./testing/series";

const falls = (points: GlucosePoint[], intervalMinutes = 5) =>
  findEpisodes(points, { specimen: "interstitial", intervalMinutes })
    .filter((e) => e.kind === "rapid-fall")
    .map((e) => `${(e.start - at(0)) / MINUTE}-${(e.end! - at(0)) / MINUTE}`);

describe("rapid fall: faster than 3 mg/dL per minute over two consecutive spacings", () => {
  it.each<[string, GlucosePoint[], string[]]>([
    ["-3.2 mg/dL/min twice", series([200, 184, 168]), ["0-10"]],
    ["exactly -3 is not faster", series([200, 185, 170]), []],
    ["one steep spacing is not enough", series([200, 184, 180]), []],
    ["a single noisy sample (down then up) never alerts", series([150, 150, 100, 150, 150]), []],
    ["a longer fall is one fall, to its last steep reading", series([200, 184, 168, 152, 150, 134]), ["0-15"]],
    ["two falls apart are two", series([200, 184, 168, 168, 152, 136]), ["0-10", "15-25"]],
    ["one missing reading still measures a rate", [point(0, 200), point(10, 168), point(15, 152)], ["0-15"]],
    ["a gap of more than two intervals gives no rate", [point(0, 200), point(5, 184), point(20, 120), point(25, 100)], []],
    ["readings closer than half an interval give no rate", [point(0, 200), point(2, 190), point(7, 174)], []],
    ["a fall to LO counts (the true fall is larger)", series([200, 184, "LO"]), ["0-10"]],
    ["a fall from HI counts (the true fall is larger)", series(["HI", 380, 360]), ["0-10"]],
    ["from LO the fall is unknown", [...series([200, 184, "LO"]), point(15, 20)], ["0-10"]],
    ["to HI the fall is unknown", series([480, 460, "HI"]), []],
  ])("%s", (_, points, expected) => {
    expect(falls(points)).toEqual(expected);
  });

  it("on a 1-minute sensor, three readings a minute apart", () => {
    expect(falls(series([200, 196, 192], 1), 1)).toEqual(["0-2"]);
    expect(falls(series([200, 197, 194], 1), 1)).toEqual([]);
  });

  it("records the lowest reading and the readings of the fall", () => {
    const [fall] = findEpisodes(series([200, 184, 168, 152]), { specimen: "interstitial", intervalMinutes: 5 });
    expect(fall).toEqual({ kind: "rapid-fall", specimen: "interstitial", start: at(0), end: at(15), worst: point(15, 152), lastBeyondAt: at(15), readingsBeyond: 4, durationMinutes: 15 });
  });

  it("fingersticks have no rapid falls", () => {
    expect(findEpisodes(series([200, 150, 100], 5), { specimen: "capillary" })).toEqual([]);
  });
});
