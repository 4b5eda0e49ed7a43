import { extendTally, finishTally, openTally, type Episode } from "./episode";
import { MINUTE_MS, type GlucosePoint } from "./points";
import type { RapidFallRule } from "./rules";

/**
 * Whether glucose fell faster than the rule's rate between two consecutive CGM readings. No rate
 * is measured across a gap or between readings closer than half an interval. A LO before or a HI
 * after hides how far glucose fell, so those spacings never count; a HI before or a LO after only
 * understates the fall, so their limits are used.
 */
export function fallsFast(from: GlucosePoint, to: GlucosePoint, rule: RapidFallRule): boolean {
  const spacing = to.at - from.at;
  if (spacing > rule.maxSpacingMs || spacing < rule.minSpacingMs) return false;
  if (from.censored === "below" || to.censored === "above") return false;
  return (to.mgdl - from.mgdl) / (spacing / MINUTE_MS) < rule.mgdlPerMinute;
}

/**
 * Rapid falls in distinct, time-ordered CGM points: runs of consecutive steep spacings holding at
 * least `startReadings` readings (two spacings, so one noisy sample, which makes one steep spacing
 * down and one up, never alerts). A fall spans its readings: it starts at the first, ends at the
 * last, and a later steep spacing extends it.
 */
export function rapidFalls(points: readonly GlucosePoint[], rule: RapidFallRule): Episode[] {
  const falls: Episode[] = [];
  let first = 0;
  const closeAt = (last: number) => {
    if (last - first + 1 < rule.startReadings) return;
    const [start, ...rest] = points.slice(first, last + 1) as [GlucosePoint, ...GlucosePoint[]];
    const tally = openTally(start);
    for (const point of rest) extendTally(tally, point, "low");
    falls.push(finishTally(tally, "rapid-fall", "interstitial", tally.lastBeyondAt, 0));
  };
  for (let index = 1; index < points.length; index += 1) {
    if (fallsFast(points[index - 1]!, points[index]!, rule)) continue;
    closeAt(index - 1);
    first = index;
  }
  closeAt(points.length - 1);
  return falls;
}
