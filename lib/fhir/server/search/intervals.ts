import { MGDL_PER_MMOLL } from "@/lib/readings/units";
import { APPROXIMATE_MARGIN_MS, type DateCondition } from "../date-search";
import type { QuantityValue } from "./values";

/**
 * What a prefixed search value (FHIR R4 §3.1.1.4) matches, as intervals of one number the data
 * layer can compare in SQL: a quantity's value, a LO/HI reading's limit, a birth date's first
 * instant. Pure.
 */
export interface Interval {
  min: number | null;
  minInclusive: boolean;
  max: number | null;
  maxInclusive: boolean;
}

/** Matches when the number is inside any interval, or, when `negate`, inside none. */
export interface IntervalMatch {
  any: Interval[];
  negate: boolean;
}

const from = (min: number, inclusive: boolean): Interval => ({ min, minInclusive: inclusive, max: null, maxInclusive: false });
const upTo = (max: number, inclusive: boolean): Interval => ({ min: null, minInclusive: false, max, maxInclusive: inclusive });
const between = (min: number, minInclusive: boolean, max: number, maxInclusive: boolean): Interval => ({ min, minInclusive, max, maxInclusive });
const inside = (...any: Interval[]): IntervalMatch => ({ any, negate: false });

/** `ap`: within 10% of the value, the margin R4 suggests. */
const APPROXIMATE_FRACTION = 0.1;

/**
 * A quantity search on glucose values. A value known exactly matches by the prefix: `eq` and `ne`
 * by the range the number's precision gives (`250` is [249.5, 250.5)), the others by the number
 * itself. A LO or HI reading (`<40`, `>400`) is known only to lie beyond its limit, so it matches
 * only when every value beyond the limit would: `gt250` finds a `>400` reading, `gt450` does not,
 * and nothing finds it by `eq`. The limits are conditions on the reading's limit.
 */
export function quantityMatch(value: QuantityValue): { exact: IntervalMatch; aboveLimit: IntervalMatch | null; belowLimit: IntervalMatch | null } {
  const { prefix, value: v, low, high } = value;
  const margin = Math.abs(v) * APPROXIMATE_FRACTION;
  switch (prefix) {
    case "eq":
      return { exact: inside(between(low, true, high, false)), aboveLimit: null, belowLimit: null };
    case "ne":
      return { exact: { any: [between(low, true, high, false)], negate: true }, aboveLimit: inside(from(high, true)), belowLimit: inside(upTo(low, true)) };
    case "gt":
    case "sa":
      return { exact: inside(from(v, false)), aboveLimit: inside(from(v, true)), belowLimit: null };
    case "ge":
      return { exact: inside(from(v, true)), aboveLimit: inside(from(v, true)), belowLimit: null };
    case "lt":
    case "eb":
      return { exact: inside(upTo(v, false)), aboveLimit: null, belowLimit: inside(upTo(v, true)) };
    case "le":
      return { exact: inside(upTo(v, true)), aboveLimit: null, belowLimit: inside(upTo(v, true)) };
    case "ap":
      return { exact: inside(between(v - margin, true, v + margin, true)), aboveLimit: null, belowLimit: null };
  }
}

/** The interval match in another unit: mg/dL ranges read in the stored mg/dL values (a factor > 0 keeps the order). */
export function scaled(match: IntervalMatch, factor: number): IntervalMatch {
  const scale = (n: number | null) => (n === null ? null : n * factor);
  return { negate: match.negate, any: match.any.map((i) => ({ ...i, min: scale(i.min), max: scale(i.max) })) };
}

/** mg/dL per unit of a glucose unit, to compare a search in one unit with values stored in another. */
export const MGDL_PER: Record<"mg/dL" | "mmol/L", number> = { "mg/dL": 1, "mmol/L": MGDL_PER_MMOLL };

/**
 * A date search on a target that is itself a period of `lengthMs` (a birth date is a day), as a
 * condition on the period's first instant. R4 §3.1.1.4.5: `eq` the period lies within the search
 * range; `gt` it reaches past the range's end, `lt` it begins before its start; `ge` and `le` add
 * `eq`; `sa` it starts after the range, `eb` it ends before it; `ap` it overlaps the range widened
 * by a day.
 */
export function periodMatch(condition: DateCondition, lengthMs: number): IntervalMatch {
  const { start, end } = condition;
  const within = between(start, true, end - lengthMs, true);
  switch (condition.prefix) {
    case "eq":
      return inside(within);
    case "ne":
      return { any: [within], negate: true };
    case "gt":
      return inside(from(end - lengthMs, false));
    case "lt":
      return inside(upTo(start, false));
    case "ge":
      return inside(within, from(end - lengthMs, false));
    case "le":
      return inside(within, upTo(start, false));
    case "sa":
      return inside(from(end, true));
    case "eb":
      return inside(upTo(start - lengthMs, true));
    case "ap":
      return inside(between(start - APPROXIMATE_MARGIN_MS - lengthMs, false, end + APPROXIMATE_MARGIN_MS, false));
  }
}
