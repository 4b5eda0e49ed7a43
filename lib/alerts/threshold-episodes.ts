import type { Specimen } from "@/db/schema/readings-enums";
import { wholeMgdl } from "@/lib/metrics/glycemic";
import { extendTally, finishTally, openTally, type Episode, type EpisodeTally } from "./episode";
import type { GlucosePoint } from "./points";
import type { ThresholdRule } from "./rules";

/** LO counts below every low threshold and HI above every high one, whatever limit they carry. */
export function isBeyond(point: GlucosePoint, rule: Pick<ThresholdRule, "side" | "thresholdMgdl">): boolean {
  if (rule.side === "low") return point.censored === "below" || (point.censored === null && wholeMgdl(point.mgdl) < rule.thresholdMgdl);
  return point.censored === "above" || (point.censored === null && wholeMgdl(point.mgdl) > rule.thresholdMgdl);
}

/**
 * The episodes of one threshold kind in distinct, time-ordered points. While closed, a run of
 * consecutive readings beyond the threshold opens an episode at its first reading once it holds
 * `startReadings`; a reading back inside or a gap restarts the run. Once open, the episode stays
 * open across gaps and brief returns, and closes when `endReadings` consecutive readings are back
 * inside; it ends at the first of them.
 */
export function thresholdEpisodes(points: readonly GlucosePoint[], rule: ThresholdRule, specimen: Specimen): Episode[] {
  const episodes: Episode[] = [];
  let runStart = 0;
  let runLength = 0;
  let open: EpisodeTally | null = null;
  let recoveryStart = 0;
  let recoveryLength = 0;
  for (const [index, point] of points.entries()) {
    const previous = points[index - 1];
    const consecutive = previous !== undefined && point.at - previous.at <= rule.maxSpacingMs;
    if (isBeyond(point, rule)) {
      if (open) {
        extendTally(open, point, rule.side);
        recoveryLength = 0;
        continue;
      }
      if (consecutive && runLength > 0) runLength += 1;
      else [runStart, runLength] = [index, 1];
      if (runLength < rule.startReadings) continue;
      const [first, ...rest] = points.slice(runStart, index + 1) as [GlucosePoint, ...GlucosePoint[]];
      open = openTally(first);
      for (const beyond of rest) extendTally(open, beyond, rule.side);
      runLength = 0;
    } else if (open) {
      if (consecutive && recoveryLength > 0) recoveryLength += 1;
      else [recoveryStart, recoveryLength] = [index, 1];
      if (recoveryLength < rule.endReadings) continue;
      episodes.push(finishTally(open, rule.kind, specimen, points[recoveryStart]!.at, rule.readingMinutes));
      open = null;
      recoveryLength = 0;
    } else {
      runLength = 0;
    }
  }
  if (open) episodes.push(finishTally(open, rule.kind, specimen, null, rule.readingMinutes));
  return episodes;
}
