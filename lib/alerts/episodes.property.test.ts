import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Episode } from "./episode";
import { findEpisodes } from "./episodes";
import type { GlucosePoint } from "./points";
import { fallsFast } from "./rapid-fall";
import { rulesFor, type EpisodeSource, type ThresholdRule } from "./rules";
import { TARGET_PRESETS } from "./targets";
import { arrivals, cgmCase, fingerstickPoints } from "./testing/arbitraries";
import { isBeyond } from "./threshold-episodes";

const presets = fc.constantFrom(TARGET_PRESETS["standard-adult"].alerts, TARGET_PRESETS.pregnancy.alerts);
const belongsTo = (p: GlucosePoint, e: Episode) => e.start <= p.at && p.at <= e.lastBeyondAt;

/** Maximal runs of consecutive readings on one side of a threshold (a gap ends a run). */
function runs(points: readonly GlucosePoint[], rule: ThresholdRule, beyond: boolean): GlucosePoint[][] {
  const found: GlucosePoint[][] = [];
  let current: GlucosePoint[] = [];
  for (const p of points) {
    const last = current.at(-1);
    if (last && p.at - last.at > rule.maxSpacingMs) current = [];
    if (isBeyond(p, rule) === beyond) {
      if (current.length === 0) found.push(current);
      current.push(p);
    } else current = [];
  }
  return found;
}

function checkThresholdKind(points: readonly GlucosePoint[], episodes: readonly Episode[], rule: ThresholdRule): void {
  const ofKind = episodes.filter((e) => e.kind === rule.kind);
  // Episodes of one kind never overlap, so no reading belongs to two.
  for (const [index, next] of ofKind.slice(1).entries()) {
    const previous = ofKind[index]!;
    expect(previous.end).not.toBeNull();
    expect(previous.end!).toBeLessThan(next.start);
  }
  // Every reading beyond in a run long enough to start an event belongs to exactly one episode.
  const beyondRuns = runs(points, rule, true);
  const memberships = beyondRuns.filter((run) => run.length >= rule.startReadings).flatMap((run) => run.map((p) => ofKind.filter((e) => belongsTo(p, e)).length));
  expect(memberships.filter((count) => count !== 1)).toEqual([]);
  const recoveries = runs(points, rule, false).filter((run) => run.length >= rule.endReadings);
  for (const episode of ofKind) {
    // It opens on a reading beyond that begins a run long enough: an in-range reading never opens one.
    const opening = beyondRuns.find((run) => run[0]!.at === episode.start);
    expect(opening?.length).toBeGreaterThanOrEqual(rule.startReadings);
    // It ends at the first of the first 15 minutes back inside after its start: never earlier
    // (which would split it), never later (which would join two), open if there are none.
    const closing = recoveries.find((run) => run[0]!.at > episode.start);
    expect(episode.end).toBe(closing?.[0]!.at ?? null);
  }
}

describe("findEpisodes on random CGM series", () => {
  it("covers every qualifying run exactly once, never overlaps, opens only beyond and ends at the first recovery", () => {
    fc.assert(
      fc.property(cgmCase, presets, ({ intervalMinutes, points }, thresholds) => {
        const source: EpisodeSource = { specimen: "interstitial", intervalMinutes, thresholds };
        const episodes = findEpisodes(points, source);
        for (const rule of rulesFor(source, points)) if (rule.kind !== "rapid-fall") checkThresholdKind(points, episodes, rule);
      }),
      { numRuns: 300 },
    );
  });

  it("level 2 and extended episodes lie inside a level 1 episode, and extended ones end with it", () => {
    fc.assert(
      fc.property(cgmCase, ({ intervalMinutes, points }) => {
        const episodes = findEpisodes(points, { specimen: "interstitial", intervalMinutes });
        const inside = (inner: Episode, outerKind: Episode["kind"]) =>
          episodes.filter((outer) => outer.kind === outerKind && outer.start <= inner.start && (outer.end === null || (inner.end !== null && inner.end <= outer.end)));
        for (const episode of episodes) {
          if (episode.kind === "hypo-level-2" || episode.kind === "hypo-extended") expect(inside(episode, "hypo-level-1")).toHaveLength(1);
          if (episode.kind === "hyper-level-2") expect(inside(episode, "hyper-level-1")).toHaveLength(1);
          if (episode.kind === "hypo-extended") expect(inside(episode, "hypo-level-1")[0]!.end).toBe(episode.end);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("rapid falls are runs of at least two steep spacings, whole and apart", () => {
    fc.assert(
      fc.property(cgmCase, ({ intervalMinutes, points }) => {
        const source: EpisodeSource = { specimen: "interstitial", intervalMinutes };
        const rule = rulesFor(source, points).find((r) => r.kind === "rapid-fall")!;
        const steep = (i: number) => i > 0 && i < points.length && fallsFast(points[i - 1]!, points[i]!, rule);
        const falls = findEpisodes(points, source).filter((e) => e.kind === "rapid-fall");
        const covered = new Set<number>();
        for (const fall of falls) {
          const first = points.findIndex((p) => p.at === fall.start);
          const last = points.findIndex((p) => p.at === fall.end);
          expect(last - first + 1).toBe(fall.readingsBeyond);
          expect(fall.readingsBeyond).toBeGreaterThanOrEqual(3);
          for (let i = first + 1; i <= last; i += 1) expect(steep(i)).toBe(true);
          expect(steep(first)).toBe(false);
          expect(steep(last + 1)).toBe(false);
          for (let i = first; i <= last; i += 1) {
            expect(covered.has(i)).toBe(false);
            covered.add(i);
          }
        }
        // Every two consecutive steep spacings lie in a fall.
        for (let i = 2; i < points.length; i += 1) if (steep(i - 1) && steep(i)) expect(covered.has(i)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same episodes for the same readings in any order, duplicated", () => {
    fc.assert(
      fc.property(
        cgmCase.chain((c) => fc.tuple(fc.constant(c), arrivals(c.points))),
        ([{ intervalMinutes, points }, arrived]) => {
          const source: EpisodeSource = { specimen: "interstitial", intervalMinutes };
          const once = findEpisodes(arrived, source);
          expect(findEpisodes([...arrived].reverse(), source)).toEqual(once);
          expect(findEpisodes([...arrived, ...points], source)).toEqual(findEpisodes([...points, ...arrived], source));
          expect(findEpisodes(arrived, { specimen: "interstitial" })).toEqual(findEpisodes([...arrived].reverse(), { specimen: "interstitial" }));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("findEpisodes on random fingersticks", () => {
  it("every value beyond a level 2 threshold belongs to exactly one event, which ends at the next value back inside", () => {
    fc.assert(
      fc.property(fingerstickPoints, presets, (points, thresholds) => {
        const source: EpisodeSource = { specimen: "capillary", thresholds };
        const episodes = findEpisodes(points, source);
        for (const rule of rulesFor(source, points)) {
          if (rule.kind === "rapid-fall") continue;
          const ofKind = episodes.filter((e) => e.kind === rule.kind);
          for (const p of points) expect(ofKind.filter((e) => belongsTo(p, e))).toHaveLength(isBeyond(p, rule) ? 1 : 0);
          for (const episode of ofKind) {
            const nextInside = points.find((p) => p.at > episode.start && !isBeyond(p, rule));
            expect(episode.end).toBe(nextInside?.at ?? null);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same events for the same fingersticks in any order, duplicated", () => {
    fc.assert(
      fc.property(
        fingerstickPoints.chain((points) => fc.tuple(fc.constant(points), arrivals(points))),
        ([points, arrived]) => {
          expect(findEpisodes([...arrived, ...points], { specimen: "capillary" })).toEqual(findEpisodes([...points, ...arrived].reverse(), { specimen: "capillary" }));
        },
      ),
      { numRuns: 200 },
    );
  });
});
