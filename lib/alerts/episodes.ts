import type { Episode } from "./episode";
import { episodeKinds } from "./kinds";
import { distinctPoints, type GlucosePoint } from "./points";
import { rapidFalls } from "./rapid-fall";
import { rulesFor, type EpisodeSource } from "./rules";
import { thresholdEpisodes } from "./threshold-episodes";

/**
 * THE episode function: alerts, the dashboards' event counts and the FHIR $cgm-summary all call
 * it, so they cannot disagree. Pure: the same points, in any order and with any duplicates, give
 * the same episodes. Rules: CLINICAL.md "Hypo- and hyperglycaemia", lib/alerts/rules.ts and
 * docs/decisions/006-episodes.md.
 *
 * CGM: hypo level 1 and 2, extended hypo, hyper level 1 and 2 (a level 2 episode also lies inside
 * a level 1 one: each kind is found on its own) and rapid falls. Fingerstick: level 2 only.
 * Sorted by start, then most urgent kind first.
 */
export function findEpisodes(points: readonly GlucosePoint[], source: EpisodeSource): Episode[] {
  const distinct = distinctPoints(points);
  return rulesFor(source, distinct)
    .flatMap((rule) => (rule.kind === "rapid-fall" ? rapidFalls(distinct, rule) : thresholdEpisodes(distinct, rule, source.specimen)))
    .sort((a, b) => a.start - b.start || episodeKinds.indexOf(a.kind) - episodeKinds.indexOf(b.kind));
}

export interface EventCounts {
  hypoLevel1: number;
  hypoLevel2: number;
  hypoExtended: number;
  hyperLevel1: number;
  hyperLevel2: number;
}

const countedAs = {
  "hypo-level-1": "hypoLevel1",
  "hypo-level-2": "hypoLevel2",
  "hypo-extended": "hypoExtended",
  "hyper-level-1": "hyperLevel1",
  "hyper-level-2": "hyperLevel2",
} as const satisfies Partial<Record<Episode["kind"], keyof EventCounts>>;

/**
 * Consensus event counts for a period (start inclusive, end exclusive, epoch ms): an episode is
 * counted in the period in which it begins, wherever it ends. Rapid falls are not consensus events.
 * Count stored episodes, or episodes found on points reaching back before the period: found on the
 * period's points alone, an episode under way at its start would seem to begin there.
 */
export function countEvents(episodes: readonly Pick<Episode, "kind" | "start">[], period: { start: number; end: number }): EventCounts {
  const counts: EventCounts = { hypoLevel1: 0, hypoLevel2: 0, hypoExtended: 0, hyperLevel1: 0, hyperLevel2: 0 };
  for (const episode of episodes) {
    if (episode.kind === "rapid-fall" || episode.start < period.start || episode.start >= period.end) continue;
    counts[countedAs[episode.kind]] += 1;
  }
  return counts;
}
