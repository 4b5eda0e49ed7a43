import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Episode } from "./episode";
import { findEpisodes } from "./episodes";
import { canSkipEvaluation, reconcileEpisodes, windowToRecompute, type EpisodeOperation, type IncrementalSource, type StoredEpisode } from "./incremental";
import { episodeKinds } from "./kinds";
import type { GlucosePoint } from "./points";
import { TARGET_PRESETS } from "./targets";
import { arrivals, batches, cgmCase, fingerstickPoints } from "./testing/arbitraries";

/** A tiny episode store with the database's contract: ids are never reused. */
class EpisodeStore {
  readonly episodes = new Map<string, StoredEpisode>();
  private readonly everIssued = new Set<string>();
  private nextId = 1;

  apply(operations: readonly EpisodeOperation[]): void {
    const touched = new Set<string>();
    const once = (id: string) => {
      expect(touched.has(id), `${id} appears in two operations`).toBe(false);
      touched.add(id);
    };
    for (const operation of operations) {
      switch (operation.op) {
        case "open": {
          const id = `episode-${this.nextId++}`;
          expect(this.everIssued.has(id)).toBe(false);
          this.everIssued.add(id);
          this.episodes.set(id, { ...operation.episode, id });
          break;
        }
        case "update":
        case "close": {
          once(operation.id);
          const before = this.episodes.get(operation.id);
          // An id follows one episode: the new facts overlap the old ones, same kind.
          expect(before).toBeDefined();
          expect(operation.episode.kind).toBe(before!.kind);
          expect(operation.episode.start <= before!.lastBeyondAt && before!.start <= operation.episode.lastBeyondAt).toBe(true);
          if (operation.op === "close") expect([before!.end, operation.episode.end === null]).toEqual([null, false]);
          this.episodes.set(operation.id, { ...operation.episode, id: operation.id });
          break;
        }
        case "merge":
          once(operation.mergedId);
          expect(this.episodes.has(operation.survivorId)).toBe(true);
          expect(this.episodes.delete(operation.mergedId)).toBe(true);
          break;
        case "withdraw":
          once(operation.id);
          expect(this.episodes.delete(operation.id)).toBe(true);
          break;
      }
    }
  }

  /** The stored episodes without ids, in findEpisodes' order. */
  facts(): Episode[] {
    return [...this.episodes.values()]
      .map(({ id: _id, ...episode }) => episode)
      .sort((a, b) => a.start - b.start || episodeKinds.indexOf(a.kind) - episodeKinds.indexOf(b.kind));
  }
}

/** Feeds batches through window -> recompute -> reconcile -> apply, checking the invariant after each. */
function feed(source: IncrementalSource, arrivingBatches: readonly GlucosePoint[][]): EpisodeStore {
  const store = new EpisodeStore();
  const stored: GlucosePoint[] = [];
  for (const batch of arrivingBatches) {
    stored.push(...batch);
    const window = windowToRecompute(batch, [...store.episodes.values()], source)!;
    const recomputed = findEpisodes(
      stored.filter((p) => p.at >= window.from),
      source,
    );
    store.apply(reconcileEpisodes([...store.episodes.values()], recomputed, window));
    expect(store.facts()).toEqual(findEpisodes(stored, source));
  }
  return store;
}

const presets = fc.constantFrom(TARGET_PRESETS["standard-adult"].alerts, TARGET_PRESETS.pregnancy.alerts);

describe("incremental evaluation never splits or doubles an episode", () => {
  it("CGM: any arrival order and batch split ends with the episodes of all points at once", () => {
    fc.assert(
      fc.property(
        cgmCase.chain(({ intervalMinutes, points }) =>
          fc.record({
            intervalMinutes: fc.constant(intervalMinutes),
            thresholds: presets,
            split: arrivals(points).chain(batches),
          }),
        ),
        ({ intervalMinutes, thresholds, split }) => {
          feed({ specimen: "interstitial", intervalMinutes, thresholds }, split);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("CGM: readings arriving in time order, as from a live sensor, in small batches", () => {
    fc.assert(
      fc.property(
        cgmCase.chain(({ intervalMinutes, points }) => fc.record({ intervalMinutes: fc.constant(intervalMinutes), split: batches(points) })),
        ({ intervalMinutes, split }) => {
          feed({ specimen: "interstitial", intervalMinutes }, split);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("fingersticks: any arrival order and batch split ends with the events of all points at once", () => {
    fc.assert(
      fc.property(fingerstickPoints.chain(arrivals).chain(batches), presets, (split, thresholds) => {
        feed({ specimen: "capillary", thresholds }, split);
      }),
      { numRuns: 300 },
    );
  });
});

describe("canSkipEvaluation", () => {
  const sources = (intervalMinutes: number): IncrementalSource[] => [
    { specimen: "interstitial", intervalMinutes },
    { specimen: "interstitial", intervalMinutes, thresholds: TARGET_PRESETS.pregnancy.alerts },
  ];

  it("is true only when appending the points leaves every stored episode exactly as it was", () => {
    fc.assert(
      fc.property(cgmCase, fc.integer({ min: 1, max: 60 }), ({ intervalMinutes, points }, appended) => {
        for (const source of [...sources(intervalMinutes), { specimen: "capillary" as const }]) {
          const cut = Math.max(1, points.length - appended);
          const before = points.slice(0, cut);
          const after = points.slice(cut);
          const stored = findEpisodes(before, source);
          const hasOpen = stored.some((episode) => episode.end === null);
          if (!canSkipEvaluation(after, before.at(-1) ?? null, hasOpen, source)) continue;
          expect(findEpisodes(points, source)).toEqual(stored);
        }
      }),
      { numRuns: 600 },
    );
  });

  it("says evaluate for a backfill, an open episode, a point beyond a threshold or a fast fall", () => {
    const source: IncrementalSource = { specimen: "interstitial", intervalMinutes: 5 };
    const last = { at: 10 * 300_000, mgdl: 120, censored: null };
    const next = (minutes: number, mgdl: number, censored: "below" | "above" | null = null) => ({ at: last.at + minutes * 60_000, mgdl, censored });
    expect(canSkipEvaluation([next(5, 118), next(10, 121)], last, false, source)).toBe(true);
    expect(canSkipEvaluation([next(-5, 118)], last, false, source)).toBe(false);
    expect(canSkipEvaluation([next(5, 118)], last, true, source)).toBe(false);
    expect(canSkipEvaluation([next(5, 69)], last, false, source)).toBe(false);
    expect(canSkipEvaluation([next(5, 181)], last, false, source)).toBe(false);
    expect(canSkipEvaluation([next(5, 100, "above")], last, false, source)).toBe(false);
    expect(canSkipEvaluation([next(5, 100), next(10, 80)], last, false, source)).toBe(false);
  });
});
