import { describe, expect, it } from "vitest";
import { MGDL_PER_MMOLL } from "@/lib/readings/units";
import type { Episode } from "./episode";
import { countEvents, findEpisodes } from "./episodes";
import type { EpisodeSource } from "./rules";
import { TARGET_PRESETS } from "./targets";
import { at, MINUTE, point, series, times, type Value } from "./testing/series";

const cgm: EpisodeSource = { specimen: "interstitial", intervalMinutes: 5 };
const fingerstick: EpisodeSource = { specimen: "capillary" };

/** "kind start-end" in minutes after T0, "open" while open: tables read like the spec. */
function brief(episodes: readonly Episode[]): string[] {
  return episodes.map((e) => `${e.kind} ${(e.start - at(0)) / MINUTE}-${e.end === null ? "open" : (e.end - at(0)) / MINUTE}`);
}
const episodesOf = (values: readonly Value[], source: EpisodeSource = cgm, everyMinutes = 5) => brief(findEpisodes(series(values, everyMinutes), source));
const IN = 120;

describe("thresholds: values are rounded to whole mg/dL (halves up) before comparing", () => {
  it.each<[number, string[]]>([
    [53.49, ["hypo-level-2 0-15", "hypo-level-1 0-15"]],
    [53.5, ["hypo-level-1 0-15"]],
    [54, ["hypo-level-1 0-15"]],
    [69.49, ["hypo-level-1 0-15"]],
    [69.5, []],
    [70, []],
    [180, []],
    [180.49, []],
    [180.5, ["hyper-level-1 0-15"]],
    [250, ["hyper-level-1 0-15"]],
    [250.49, ["hyper-level-1 0-15"]],
    [250.5, ["hyper-level-2 0-15", "hyper-level-1 0-15"]],
  ])("three readings of %s mg/dL, then three in range: %j", (value, expected) => {
    expect(episodesOf([value, value, value, IN, IN, IN])).toEqual(expected);
  });

  it.each<[number, string[]]>([
    [2.9, ["hypo-level-2 0-15", "hypo-level-1 0-15"]],
    [3.0, ["hypo-level-1 0-15"]],
    [3.8, ["hypo-level-1 0-15"]],
    [3.9, []],
    [10.0, []],
    [10.1, ["hyper-level-1 0-15"]],
    [13.9, ["hyper-level-1 0-15"]],
    [14.0, ["hyper-level-2 0-15", "hyper-level-1 0-15"]],
  ])("three readings of %s mmol/L (x 18.01559) fall in the consensus mmol/L bands: %j", (mmol, expected) => {
    const mgdl = mmol * MGDL_PER_MMOLL;
    expect(episodesOf([mgdl, mgdl, mgdl, IN, IN, IN])).toEqual(expected);
  });

  it("LO counts below every low threshold and HI above every high one, whatever their limit", () => {
    const loAt100 = { at: at(0), mgdl: 100, censored: "below" as const };
    const points = [loAt100, point(5, "LO"), point(10, "LO"), ...series([IN, IN, IN], 5, 15), { at: at(30), mgdl: 150, censored: "above" as const }, point(35, "HI"), point(40, "HI")];
    expect(brief(findEpisodes(points, cgm))).toEqual(["hypo-level-2 0-15", "hypo-level-1 0-15", "hyper-level-2 30-open", "hyper-level-1 30-open"]);
  });
});

describe("CGM start: 15 consecutive minutes beyond the threshold", () => {
  it.each<[string, Value[], string[]]>([
    ["3 readings of 5 minutes start an event", [IN, 60, 60, 60, IN, IN, IN], ["hypo-level-1 5-20"]],
    ["2 readings do not", [IN, 60, 60, IN, IN, IN], []],
    ["a reading back inside restarts the run", [60, 60, IN, 60, 60, IN, IN, IN], []],
    ["the event begins at the first reading of the run", [60, 60, 60, 60, 60, IN, IN, IN], ["hypo-level-1 0-25"]],
  ])("%s", (_, values, expected) => {
    expect(episodesOf(values)).toEqual(expected);
  });

  it("one missing reading (readings two intervals apart) keeps the run; a longer gap breaks it", () => {
    expect(brief(findEpisodes([point(0, 60), point(10, 60), point(15, 60), ...series([IN, IN, IN], 5, 20)], cgm))).toEqual(["hypo-level-1 0-20"]);
    expect(brief(findEpisodes([point(0, 60), point(5, 60), point(16, 60), point(21, 60), ...series([IN, IN, IN], 5, 26)], cgm))).toEqual([]);
  });
});

describe("CGM end: 15 consecutive minutes back inside", () => {
  it.each<[string, Value[], string[]]>([
    ["ends at the first of 3 readings back inside", [60, 60, 60, IN, IN, IN], ["hypo-level-1 0-15"]],
    ["2 readings back inside then a low again: still one event", [60, 60, 60, IN, IN, 60, IN, IN, IN], ["hypo-level-1 0-30"]],
    ["2 readings back inside at the end of the data: still open", [60, 60, 60, IN, IN], ["hypo-level-1 0-open"]],
    ["a new run after the end is a new event", [60, 60, 60, IN, IN, IN, 60, 60, 60], ["hypo-level-1 0-15", "hypo-level-1 30-open"]],
    ["level 1 ends at 70 while level 2 already ended at 54", [50, 50, 50, 60, 60, 60, IN, IN, IN], ["hypo-level-2 0-15", "hypo-level-1 0-30"]],
  ])("%s", (_, values, expected) => {
    expect(episodesOf(values)).toEqual(expected);
  });

  it("an open event stays open across a gap and ends only after 15 minutes of readings back inside", () => {
    const points = [...series([60, 60, 60]), point(60, 60), point(65, IN), point(70, IN), point(120, IN), point(125, IN), point(130, IN)];
    expect(brief(findEpisodes(points, cgm))).toEqual(["hypo-level-1 0-120"]);
  });
});

describe("extended hypoglycaemia: more than 120 consecutive minutes below the level 1 threshold", () => {
  it("25 readings of 5 minutes (125 minutes) are extended, 24 (120 minutes) are not", () => {
    expect(episodesOf([...times(25, 65), IN, IN, IN])).toEqual(["hypo-extended 0-125", "hypo-level-1 0-125"]);
    expect(episodesOf([...times(24, 65), IN, IN, IN])).toEqual(["hypo-level-1 0-120"]);
  });

  it("needs one unbroken run: a return inside the level 1 event restarts the count", () => {
    expect(episodesOf([...times(20, 65), IN, ...times(20, 65), IN, IN, IN])).toEqual(["hypo-level-1 0-205"]);
  });
});

describe("level 2 inside level 1: independent events", () => {
  it("a level 2 event within a level 1 event counts once in each", () => {
    const episodes = findEpisodes(series([65, 60, 50, 45, 50, 60, 65, IN, IN, IN, 255, 260, 255, 200, 200, 200, IN, IN, IN]), cgm);
    expect(brief(episodes)).toEqual(["hypo-level-1 0-35", "hypo-level-2 10-25", "hyper-level-2 50-65", "hyper-level-1 50-80"]);
    expect(countEvents(episodes, { start: at(0), end: at(24 * 60) })).toEqual({ hypoLevel1: 1, hypoLevel2: 1, hypoExtended: 0, hyperLevel1: 1, hyperLevel2: 1 });
  });
});

describe("what an episode records", () => {
  it("worst value, its instant, the last reading beyond, the count and the duration", () => {
    const [episode] = findEpisodes(series([65, 58, 61, 58, IN, 66, IN, IN, IN]), { ...cgm, thresholds: { ...TARGET_PRESETS["standard-adult"].alerts, hypoLevel2: 40 } });
    expect(episode).toEqual({
      kind: "hypo-level-1",
      specimen: "interstitial",
      start: at(0),
      end: at(30),
      worst: point(5, 58),
      lastBeyondAt: at(25),
      readingsBeyond: 5,
      durationMinutes: 30,
    });
  });

  it("an episode open at the end of the data lasts to its last reading beyond plus one interval", () => {
    expect(findEpisodes(series([250.5, 300, "HI", 280, IN]), cgm).find((e) => e.kind === "hyper-level-2")).toMatchObject({
      end: null,
      worst: point(10, "HI"),
      lastBeyondAt: at(15),
      readingsBeyond: 4,
      durationMinutes: 20,
    });
  });
});

describe("sensors with other intervals", () => {
  it("1-minute sensor: 15 readings start an event, 14 do not; 15 readings back inside end it", () => {
    const oneMinute: EpisodeSource = { specimen: "interstitial", intervalMinutes: 1 };
    expect(episodesOf([...times(15, 60), ...times(15, IN)], oneMinute, 1)).toEqual(["hypo-level-1 0-15"]);
    expect(episodesOf([...times(14, 60), ...times(15, IN)], oneMinute, 1)).toEqual([]);
    expect(episodesOf([...times(15, 60), ...times(14, IN)], oneMinute, 1)).toEqual(["hypo-level-1 0-open"]);
  });

  it("15-minute sensor: one reading is 15 minutes, so it starts an event and one reading back ends it", () => {
    const fifteen: EpisodeSource = { specimen: "interstitial", intervalMinutes: 15 };
    expect(episodesOf([IN, 60, IN, 60, 60, IN], fifteen, 15)).toEqual(["hypo-level-1 15-30", "hypo-level-1 45-75"]);
    expect(episodesOf([...times(9, 65), IN], fifteen, 15)).toEqual(["hypo-extended 0-135", "hypo-level-1 0-135"]);
    expect(episodesOf([...times(8, 65), IN], fifteen, 15)).toEqual(["hypo-level-1 0-120"]);
  });

  it("without a given interval, the median spacing of the readings is used", () => {
    expect(episodesOf([IN, 60, IN, IN], { specimen: "interstitial" }, 15)).toEqual(["hypo-level-1 15-30"]);
    expect(episodesOf([IN, 60, IN, IN], { specimen: "interstitial" }, 5)).toEqual([]);
  });
});

describe("pregnancy thresholds (63-140 target range)", () => {
  const pregnancy: EpisodeSource = { ...cgm, thresholds: TARGET_PRESETS.pregnancy.alerts };
  it.each<[number, string[]]>([
    [62, ["hypo-level-1 0-15"]],
    [63, []],
    [53, ["hypo-level-2 0-15", "hypo-level-1 0-15"]],
    [140, []],
    [141, ["hyper-level-1 0-15"]],
    [181, ["hyper-level-2 0-15", "hyper-level-1 0-15"]],
  ])("three readings of %s mg/dL: %j", (value, expected) => {
    expect(episodesOf([value, value, value, IN, IN, IN], pregnancy)).toEqual(expected);
  });
});

describe("duplicates and order", () => {
  it("the same instant twice is one reading, the lower one, whatever the order", () => {
    const points = [...series([60, 60, IN, IN, IN, IN]), point(10, 60)];
    expect(brief(findEpisodes(points, cgm))).toEqual(["hypo-level-1 0-15"]);
    expect(brief(findEpisodes([...points].reverse(), cgm))).toEqual(["hypo-level-1 0-15"]);
    expect(findEpisodes([...points, ...points], cgm)).toEqual(findEpisodes(points, cgm));
  });

  it("refuses a point that is not a number rather than guessing", () => {
    expect(() => findEpisodes([{ at: at(0), mgdl: Number.NaN, censored: null }], cgm)).toThrow(RangeError);
    expect(() => findEpisodes(series([60]), { specimen: "interstitial", intervalMinutes: 2.5 })).toThrow(RangeError);
  });
});

describe("fingersticks: a value beyond a level 2 threshold is an event by itself", () => {
  it.each<[string, Value[], string[]]>([
    ["one value below 54 opens at once", [IN, 50], ["hypo-level-2 60-open"]],
    ["and closes at the next value back inside (54 or more)", [50, 54], ["hypo-level-2 0-60"]],
    ["consecutive values beyond are one event", [50, "LO", 52, 90, 45], ["hypo-level-2 0-180", "hypo-level-2 240-open"]],
    ["a level 1 low alone is not an event", [60, 65, 69], []],
    ["above 250 opens, 250 closes", [251, 300, 250], ["hyper-level-2 0-120"]],
    ["HI opens", ["HI", IN], ["hyper-level-2 0-60"]],
  ])("%s (a fingerstick every hour)", (_, values, expected) => {
    expect(episodesOf(values, fingerstick, 60)).toEqual(expected);
  });

  it("stays open however long until the next fingerstick, and lasts from the first value to the one back inside", () => {
    const [episode] = findEpisodes([point(0, 45), point(3 * 1440, 50), point(3 * 1440 + 60, 100)], fingerstick);
    expect(episode).toMatchObject({ start: at(0), end: at(3 * 1440 + 60), worst: point(0, 45), readingsBeyond: 2, durationMinutes: 3 * 1440 + 60 });
    expect(findEpisodes([point(0, 45)], fingerstick)).toEqual([
      { kind: "hypo-level-2", specimen: "capillary", start: at(0), end: null, worst: point(0, 45), lastBeyondAt: at(0), readingsBeyond: 1, durationMinutes: 0 },
    ]);
  });

  it("pregnancy thresholds apply to fingersticks too", () => {
    expect(brief(findEpisodes(series([181, 150], 60), { specimen: "capillary", thresholds: TARGET_PRESETS.pregnancy.alerts }))).toEqual(["hyper-level-2 0-60"]);
  });
});

describe("countEvents: an event is counted in the period in which it begins", () => {
  const episodes = findEpisodes([...series(times(6, 60), 5, 1430), ...series([IN, IN, IN], 5, 1460)], cgm);

  it("an event from 23:50 to 00:20 counts on the first day only", () => {
    expect(brief(episodes)).toEqual(["hypo-level-1 1430-1460"]);
    expect(countEvents(episodes, { start: at(0), end: at(1440) })).toMatchObject({ hypoLevel1: 1 });
    expect(countEvents(episodes, { start: at(1440), end: at(2880) })).toMatchObject({ hypoLevel1: 0 });
  });

  it("the period is start-inclusive and end-exclusive", () => {
    expect(countEvents(episodes, { start: at(1430), end: at(1431) }).hypoLevel1).toBe(1);
    expect(countEvents(episodes, { start: at(0), end: at(1430) }).hypoLevel1).toBe(0);
  });

  it("does not count rapid falls", () => {
    const falls = findEpisodes(series([200, 180, 160, 140]), cgm);
    expect(falls.map((e) => e.kind)).toEqual(["rapid-fall"]);
    expect(countEvents(falls, { start: at(0), end: at(60) })).toEqual({ hypoLevel1: 0, hypoLevel2: 0, hypoExtended: 0, hyperLevel1: 0, hyperLevel2: 0 });
  });
});
