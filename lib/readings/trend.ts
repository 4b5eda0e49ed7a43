import type { TrendDirection } from "@/db/schema/readings-enums";

export type { TrendDirection };

/**
 * A CGM reading's trend arrow, as people read it: the glyph sighted readers see and the words a
 * screen reader says instead. NONE means the sensor gave no arrow, so nothing is shown.
 */
export const trendArrows: Record<TrendDirection, { glyph: string; words: string } | null> = {
  DoubleUp: { glyph: "⇈", words: "rising fast" },
  SingleUp: { glyph: "↑", words: "rising" },
  FortyFiveUp: { glyph: "↗", words: "rising slowly" },
  Flat: { glyph: "→", words: "steady" },
  FortyFiveDown: { glyph: "↘", words: "falling slowly" },
  SingleDown: { glyph: "↓", words: "falling" },
  DoubleDown: { glyph: "⇊", words: "falling fast" },
  "NOT COMPUTABLE": { glyph: "?", words: "trend not computable" },
  NONE: null,
};

/**
 * Nightscout's numeric `trend` for a direction (0 NONE, 1 DoubleUp ... 7 DoubleDown, 8 NOT
 * COMPUTABLE; 9, RATE OUT OF RANGE, has no direction Lantern stores). Followers read either.
 */
const NIGHTSCOUT_TRENDS: Record<TrendDirection, number> = {
  NONE: 0,
  DoubleUp: 1,
  SingleUp: 2,
  FortyFiveUp: 3,
  Flat: 4,
  FortyFiveDown: 5,
  SingleDown: 6,
  DoubleDown: 7,
  "NOT COMPUTABLE": 8,
};

export function nightscoutTrend(direction: TrendDirection): number {
  return NIGHTSCOUT_TRENDS[direction];
}
