import type { Specimen } from "@/db/schema/readings-enums";
import type { Episode } from "./episode";
import { episodeKinds } from "./kinds";
import type { GlucosePoint } from "./points";
import { fallsFast } from "./rapid-fall";
import { rulesFor } from "./rules";
import { isBeyond } from "./threshold-episodes";
import type { AlertThresholds } from "./targets";

/**
 * Incremental evaluation for the write path (docs/decisions/006-episodes.md): when new points
 * arrive, re-read the stored points from `windowToRecompute(...).from` to the end of the data, run
 * `findEpisodes` on them, and apply `reconcileEpisodes`. Invariant: the stored episodes always equal
 * `findEpisodes` over all stored points, whatever the order and batching of arrivals.
 *
 * Why the window suffices. The episode machines read points in time order, so points before the
 * earliest new one (`a`) behave as before. The window starts where every machine, in the old data
 * and the new alike, is closed with nothing pending, so a fresh run from there agrees:
 * - at least `(startReadings - 1) x maxSpacing` before `a`, for every kind: a run not yet long
 *   enough to open an episode spans less than that, so any run reaching `a` from further back had
 *   already opened a stored episode;
 * - never inside a stored episode (from its start to its end, or to the end of the data while
 *   open): the window then moves back to that episode's start. Past an episode's end, whatever
 *   could still undo or extend it (the rest of the recovery that confirmed it, a rapid fall's next
 *   spacing) lies within the lookback above, so every new point comes after it.
 */

/** A stored episode: the caller's id on an episode as `findEpisodes` returned it. */
export interface StoredEpisode extends Episode {
  readonly id: string;
}

/** Incremental evaluation needs a fixed interval: a median over a window would vary per window. */
export type IncrementalSource =
  | { readonly specimen: "capillary"; readonly thresholds?: AlertThresholds }
  | { readonly specimen: "interstitial"; readonly thresholds?: AlertThresholds; readonly intervalMinutes: number };

/** Re-read the stored points of `specimen` at or after `from` (epoch ms), to the end of the data. */
export interface RecomputeWindow {
  readonly specimen: Specimen;
  readonly from: number;
}

/** How long `count` consecutive readings can span. */
const spanOf = (count: number, maxSpacingMs: number) => (count <= 1 ? 0 : (count - 1) * maxSpacingMs);

/**
 * The window to recompute after `newPoints` arrived (null when none did). `stored` is the
 * patient's stored episodes; other specimens' are ignored.
 */
export function windowToRecompute(newPoints: readonly GlucosePoint[], stored: readonly StoredEpisode[], source: IncrementalSource): RecomputeWindow | null {
  if (newPoints.length === 0) return null;
  const earliest = newPoints.reduce((min, point) => Math.min(min, point.at), Infinity);
  if (!Number.isFinite(earliest)) throw new RangeError("A new point has an invalid instant");
  const lookback = Math.max(...rulesFor(source, []).map((rule) => spanOf(rule.startReadings, rule.maxSpacingMs)));
  const occupied = stored
    .filter((episode) => episode.specimen === source.specimen)
    .map((episode) => ({ start: episode.start, until: episode.end ?? Infinity }))
    .sort((a, b) => b.start - a.start);
  let from = earliest - lookback;
  // Latest start first: once `from` moves back to a start, no later episode can contain it.
  for (const { start, until } of occupied) if (start < from && from <= until) from = start;
  return { specimen: source.specimen, from };
}

/**
 * Whether new points can be left unevaluated: the stored episodes would not change. True only
 * when all of these hold: the specimen has no episode still open, every new point comes after the
 * last stored one (an arriving feed, not a backfill), no new point is beyond any threshold, and no
 * spacing from the last stored point through the new ones falls fast. Appended points inside every
 * threshold, none steep, can neither open, extend, close, split nor merge an episode; the write
 * path then saves the window's re-read (the steady state of a feed in range).
 */
export function canSkipEvaluation(newPoints: readonly GlucosePoint[], lastStored: GlucosePoint | null, hasOpenEpisode: boolean, source: IncrementalSource): boolean {
  if (hasOpenEpisode || newPoints.length === 0) return !hasOpenEpisode;
  const ordered = [...newPoints].sort((a, b) => a.at - b.at);
  if (lastStored && ordered[0]!.at <= lastStored.at) return false;
  const rules = rulesFor(source, []);
  for (const rule of rules) {
    if (rule.kind === "rapid-fall") {
      const run = lastStored ? [lastStored, ...ordered] : ordered;
      if (run.some((point, index) => index > 0 && fallsFast(run[index - 1]!, point, rule))) return false;
    } else if (ordered.some((point) => isBeyond(point, rule))) {
      return false;
    }
  }
  return true;
}

export type EpisodeOperation =
  /** A new episode: the caller gives it a new id (a new alert). */
  | { readonly op: "open"; readonly episode: Episode }
  /** Facts changed (worst, duration, start, or an end undone by late readings); the id stays. */
  | { readonly op: "update"; readonly id: string; readonly episode: Episode }
  /** Was open, now ended: the patient is back in range. */
  | { readonly op: "close"; readonly id: string; readonly episode: Episode }
  /** Late readings joined two episodes: `mergedId` is gone, folded into `survivorId`. */
  | { readonly op: "merge"; readonly survivorId: string; readonly mergedId: string }
  /** Late readings show this was never an episode (e.g. a reading back in range split its run). */
  | { readonly op: "withdraw"; readonly id: string };

/** Two episodes of one kind are the same one, earlier and later, when their readings beyond overlap. */
const overlaps = (a: Episode, b: Episode) => a.kind === b.kind && a.start <= b.lastBeyondAt && b.start <= a.lastBeyondAt;

function sameFacts(a: Episode, b: Episode): boolean {
  return (
    a.kind === b.kind &&
    a.specimen === b.specimen &&
    a.start === b.start &&
    a.end === b.end &&
    a.worst.at === b.worst.at &&
    a.worst.mgdl === b.worst.mgdl &&
    a.worst.censored === b.worst.censored &&
    a.lastBeyondAt === b.lastBeyondAt &&
    a.readingsBeyond === b.readingsBeyond &&
    a.durationMinutes === b.durationMinutes
  );
}

const byStartThenKind = (a: Episode, b: Episode) => a.start - b.start || episodeKinds.indexOf(a.kind) - episodeKinds.indexOf(b.kind);

/**
 * The operations that turn the stored episodes into `recomputed` (findEpisodes over the window's
 * points), in an order safe to apply one by one: merges and withdrawals, then updates and closes,
 * then opens. Stored episodes starting before the window are untouched. Each recomputed episode
 * keeps the id of the earliest stored episode it overlaps that no earlier one took, so an id is
 * never given to two episodes and always follows one episode as late readings reshape it.
 */
export function reconcileEpisodes(stored: readonly StoredEpisode[], recomputed: readonly Episode[], window: RecomputeWindow): EpisodeOperation[] {
  const candidates = stored
    .filter((episode) => episode.specimen === window.specimen && episode.start >= window.from)
    .sort((a, b) => byStartThenKind(a, b) || (a.id < b.id ? -1 : 1));
  const taken = new Set<string>();
  const matches = [...recomputed].sort(byStartThenKind).map((episode) => {
    const previous = candidates.find((candidate) => !taken.has(candidate.id) && overlaps(candidate, episode));
    if (previous) taken.add(previous.id);
    return { episode, previous };
  });

  const removals: EpisodeOperation[] = candidates
    .filter((candidate) => !taken.has(candidate.id))
    .map((candidate) => {
      // The first recomputed episode it overlaps was matched to an earlier candidate, never left empty.
      const survivor = matches.find(({ episode, previous }) => previous && overlaps(candidate, episode))?.previous;
      return survivor ? { op: "merge", survivorId: survivor.id, mergedId: candidate.id } : { op: "withdraw", id: candidate.id };
    });
  const changes: EpisodeOperation[] = [];
  const opens: EpisodeOperation[] = [];
  for (const { episode, previous } of matches) {
    if (!previous) opens.push({ op: "open", episode });
    else if (!sameFacts(previous, episode)) changes.push({ op: previous.end === null && episode.end !== null ? "close" : "update", id: previous.id, episode });
  }
  return [...removals, ...changes, ...opens];
}
