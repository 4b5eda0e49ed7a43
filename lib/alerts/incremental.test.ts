import { describe, expect, it } from "vitest";
import type { Episode } from "./episode";
import { findEpisodes } from "./episodes";
import { reconcileEpisodes, windowToRecompute, type IncrementalSource, type StoredEpisode } from "./incremental";
import { at, point, series, times } from "./testing/series";

const cgm: IncrementalSource = { specimen: "interstitial", intervalMinutes: 5 };
const IN = 120;
const stored = (id: string, episode: Episode): StoredEpisode => ({ ...episode, id });
const level1 = (episodes: Episode[]) => episodes.filter((e) => e.kind === "hypo-level-1");

describe("windowToRecompute", () => {
  const openLow = stored("a", findEpisodes(series([60, 60, 60]), cgm)[0]!);
  const closedLow = stored("b", findEpisodes(series([60, 60, 60, IN, IN, IN]), cgm)[0]!);

  it.each<[string, IncrementalSource, StoredEpisode[], number, number]>([
    ["CGM: 240 minutes back, the longest run that may not have opened an episode yet (extended)", cgm, [], 1000, 760],
    ["1-minute CGM: the same 240 minutes", { specimen: "interstitial", intervalMinutes: 1 }, [], 1000, 760],
    ["15-minute CGM: the same 240 minutes", { specimen: "interstitial", intervalMinutes: 15 }, [], 1000, 760],
    ["fingersticks: from the new point itself", { specimen: "capillary" }, [], 1000, 1000],
    ["back to the start of an episode still open", cgm, [openLow], 1000, 0],
    ["back to the start of a closed episode the lookback lands in", cgm, [closedLow], 250, 0],
    ["not for a closed episode ended before it", cgm, [closedLow], 260, 20],
    ["and not for another specimen's episodes", { specimen: "capillary" }, [openLow], 1000, 1000],
  ])("%s", (_, source, episodes, newMinute, fromMinute) => {
    expect(windowToRecompute([point(newMinute, IN), point(newMinute + 5, IN)], episodes, source)).toEqual({ specimen: source.specimen, from: at(fromMinute) });
  });

  it("follows a chain of episodes back: each start it moves to may lie in an earlier episode", () => {
    const early = stored("early", { ...closedLow, start: at(0), end: at(100) });
    const later = stored("later", { ...closedLow, kind: "hyper-level-1", start: at(90), end: at(300) });
    expect(windowToRecompute([point(500, IN)], [later, early], cgm)?.from).toBe(at(0));
  });

  it("needs new points", () => {
    expect(windowToRecompute([], [openLow], cgm)).toBeNull();
  });
});

describe("reconcileEpisodes", () => {
  const window = { specimen: "interstitial", from: at(0) } as const;
  const [first, second] = level1(findEpisodes(series([60, 60, 60, IN, IN, IN, 60, 60, 60, IN, IN, IN]), cgm)) as [Episode, Episode];
  const joined = level1(findEpisodes(series([60, 60, 60, IN, IN, 60, 60, 60, 60, IN, IN, IN]), cgm))[0]!;

  it("opens what is new and leaves what is unchanged", () => {
    expect(reconcileEpisodes([stored("a", first)], [first, second], window)).toEqual([{ op: "open", episode: second }]);
  });

  it("updates an episode that grew, keeping its id", () => {
    const grown = { ...first, readingsBeyond: 4, lastBeyondAt: at(15) };
    expect(reconcileEpisodes([stored("a", first)], [grown], window)).toEqual([{ op: "update", id: "a", episode: grown }]);
  });

  it("closes an open episode when the patient is back in range", () => {
    const open = { ...first, end: null };
    expect(reconcileEpisodes([stored("a", open)], [first], window)).toEqual([{ op: "close", id: "a", episode: first }]);
  });

  it("reopens (updates) a closed episode when late readings undo its end", () => {
    const open = { ...first, end: null };
    expect(reconcileEpisodes([stored("a", first)], [open], window)).toEqual([{ op: "update", id: "a", episode: open }]);
  });

  it("merges two stored episodes that late readings joined: the earlier id survives", () => {
    expect(reconcileEpisodes([stored("b", second), stored("a", first)], [joined], window)).toEqual([
      { op: "merge", survivorId: "a", mergedId: "b" },
      { op: "update", id: "a", episode: joined },
    ]);
  });

  it("splits an episode that a late reading back in range divided: the first part keeps the id", () => {
    expect(reconcileEpisodes([stored("a", joined)], [first, second], window)).toEqual([
      { op: "update", id: "a", episode: first },
      { op: "open", episode: second },
    ]);
  });

  it("withdraws an episode that late readings show never was one", () => {
    expect(reconcileEpisodes([stored("a", first)], [], window)).toEqual([{ op: "withdraw", id: "a" }]);
  });

  it("leaves stored episodes before the window, of another kind or of another specimen alone", () => {
    const level2 = { ...first, kind: "hypo-level-2" as const };
    const fingerstick = { ...first, specimen: "capillary" as const };
    expect(reconcileEpisodes([stored("a", first), stored("c", fingerstick)], [level2], { specimen: "interstitial", from: at(0) })).toEqual([
      { op: "withdraw", id: "a" },
      { op: "open", episode: level2 },
    ]);
    expect(reconcileEpisodes([stored("a", first)], [], { specimen: "interstitial", from: at(1) })).toEqual([]);
  });
});

describe("the write path, step by step", () => {
  /** What the database will do: store points, read the window, recompute, reconcile. */
  function arrive(points: ReturnType<typeof series>, batch: ReturnType<typeof series>, episodes: StoredEpisode[]) {
    const all = [...points, ...batch];
    const window = windowToRecompute(batch, episodes, cgm)!;
    const operations = reconcileEpisodes(
      episodes,
      findEpisodes(
        all.filter((p) => p.at >= window.from),
        cgm,
      ),
      window,
    );
    return { all, operations };
  }

  it("live readings: one alert opens, then updates, then closes", () => {
    const lows = series([IN, 60, 60, 60]);
    const { operations: opened } = arrive([], lows, []);
    expect(opened).toEqual([{ op: "open", episode: findEpisodes(lows, cgm)[0] }]);
    const { all, operations: updated } = arrive(lows, series([55], 5, 20), [stored("alert-1", findEpisodes(lows, cgm)[0]!)]);
    expect(updated).toMatchObject([{ op: "update", id: "alert-1", episode: { worst: point(20, 55), end: null } }]);
    const { operations: closed } = arrive(all, series(times(3, IN), 5, 25), [stored("alert-1", findEpisodes(all, cgm)[0]!)]);
    expect(closed).toMatchObject([{ op: "close", id: "alert-1", episode: { start: at(5), end: at(25), readingsBeyond: 4 } }]);
  });

  it("a retry of the same readings changes nothing", () => {
    const lows = series([IN, 60, 60, 60]);
    const alert = stored("alert-1", findEpisodes(lows, cgm)[0]!);
    expect(arrive(lows, lows, [alert]).operations).toEqual([]);
  });
});
