import type { EpisodeKind, ThresholdKind } from "./kinds";
import { assertIntervalMinutes, MINUTE_MS, samplingIntervalMinutes, type GlucosePoint } from "./points";
import { CONSENSUS_THRESHOLDS, type AlertThresholds } from "./targets";

/**
 * The event definitions of CLINICAL.md ("Hypo- and hyperglycaemia", the 2023 consensus) turned
 * into reading counts for one source. Every reading stands for one sampling interval, so
 * "15 minutes" is ceil(15 / interval) readings (3 at 5 minutes, 15 at 1, 1 at 15) and "more than
 * 120 minutes" is floor(120 / interval) + 1 readings (25 at 5 minutes). Readings more than two
 * intervals apart are not consecutive.
 */

/** One patient's stream of readings of one specimen; CGM readings are one sensor's. */
export type EpisodeSource =
  | {
      readonly specimen: "interstitial";
      readonly thresholds?: AlertThresholds;
      /** Given by the caller when the sensor model is known, else the median spacing. */
      readonly intervalMinutes?: number;
    }
  | { readonly specimen: "capillary"; readonly thresholds?: AlertThresholds };

/** What every kind shares, and all that incremental evaluation needs to know about it. */
export interface RunRule {
  readonly kind: EpisodeKind;
  /** Consecutive readings that open an episode. */
  readonly startReadings: number;
  /** Consecutive readings that close it once open. */
  readonly endReadings: number;
  /** Readings further apart than this are not consecutive (Infinity: always consecutive). */
  readonly maxSpacingMs: number;
}

export interface ThresholdRule extends RunRule {
  readonly kind: ThresholdKind;
  /** "low": beyond means below the threshold; "high": above it. */
  readonly side: "low" | "high";
  readonly thresholdMgdl: number;
  /** Minutes each reading stands for: the interval for CGM, 0 for a fingerstick (an instant). */
  readonly readingMinutes: number;
}

export interface RapidFallRule extends RunRule {
  readonly kind: "rapid-fall";
  readonly mgdlPerMinute: number;
  /** Closer readings give no rate: their measurement noise would read as a steep slope. */
  readonly minSpacingMs: number;
}

export type EpisodeRule = ThresholdRule | RapidFallRule;

/** CGM rate of change that counts as falling fast (CLINICAL.md: 2-3 mg/dL per minute). */
export const RAPID_FALL_MGDL_PER_MINUTE = -3;

const EVENT_START_MINUTES = 15;
const EVENT_END_MINUTES = 15;
const EXTENDED_HYPO_MORE_THAN_MINUTES = 120;

function cgmRules({ hypoLevel1, hypoLevel2, hyperLevel1, hyperLevel2 }: AlertThresholds, intervalMinutes: number): EpisodeRule[] {
  assertIntervalMinutes(intervalMinutes);
  const fifteenMinutes = Math.ceil(EVENT_START_MINUTES / intervalMinutes);
  const cgm = {
    startReadings: fifteenMinutes,
    endReadings: Math.ceil(EVENT_END_MINUTES / intervalMinutes),
    maxSpacingMs: 2 * intervalMinutes * MINUTE_MS,
    readingMinutes: intervalMinutes,
  };
  return [
    { ...cgm, kind: "hypo-level-2", side: "low", thresholdMgdl: hypoLevel2 },
    { ...cgm, kind: "hypo-extended", side: "low", thresholdMgdl: hypoLevel1, startReadings: Math.floor(EXTENDED_HYPO_MORE_THAN_MINUTES / intervalMinutes) + 1 },
    { ...cgm, kind: "hypo-level-1", side: "low", thresholdMgdl: hypoLevel1 },
    {
      kind: "rapid-fall",
      // Two consecutive steep spacings (three readings): one noisy sample makes at most one.
      startReadings: 3,
      endReadings: 1,
      maxSpacingMs: cgm.maxSpacingMs,
      mgdlPerMinute: RAPID_FALL_MGDL_PER_MINUTE,
      minSpacingMs: (intervalMinutes * MINUTE_MS) / 2,
    },
    { ...cgm, kind: "hyper-level-2", side: "high", thresholdMgdl: hyperLevel2 },
    { ...cgm, kind: "hyper-level-1", side: "high", thresholdMgdl: hyperLevel1 },
  ];
}

/**
 * A fingerstick is a single point: one value beyond a level 2 threshold opens an event at once,
 * later fingersticks beyond it belong to the same event however far apart, and the next
 * fingerstick back inside the threshold closes it.
 */
function fingerstickRules({ hypoLevel2, hyperLevel2 }: AlertThresholds): ThresholdRule[] {
  const single = { startReadings: 1, endReadings: 1, maxSpacingMs: Infinity, readingMinutes: 0 };
  return [
    { ...single, kind: "hypo-level-2", side: "low", thresholdMgdl: hypoLevel2 },
    { ...single, kind: "hyper-level-2", side: "high", thresholdMgdl: hyperLevel2 },
  ];
}

/** The rules for a source; `points` (distinct, in time order) give the interval when none is set. */
export function rulesFor(source: EpisodeSource, points: readonly GlucosePoint[]): EpisodeRule[] {
  const thresholds = source.thresholds ?? CONSENSUS_THRESHOLDS;
  if (source.specimen === "capillary") return fingerstickRules(thresholds);
  return cgmRules(thresholds, source.intervalMinutes ?? samplingIntervalMinutes(points));
}
