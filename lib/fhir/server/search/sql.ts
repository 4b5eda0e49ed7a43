import "server-only";
import { isUuid } from "@/lib/ids";
import { and, gt, gte, inArray, lt, lte, not, or, sql, type Column, type SQL, type SQLWrapper } from "drizzle-orm";
import { conditionBounds, type DateCondition } from "../date-search";
import type { IntervalMatch } from "./intervals";
import type { ReferenceValue, TokenValue } from "./values";

/**
 * The SQL the search declarations share: intervals, instants, ids and references as drizzle
 * conditions. Each returns a condition that holds or not; none ever fails on a value a client sent
 * (a malformed id simply matches nothing, as an id the caller may not see).
 */

export const nothing = sql`false`;

/** Any of the conditions (FHIR's comma); nothing when there are none. */
export function anyOf(conditions: readonly (SQL | undefined)[]): SQL {
  return or(...conditions) ?? nothing;
}

type Bound = number | SQL;

/** `expression` within an interval match; `bound` turns each limit into what SQL compares with. */
export function intervalSql(expression: SQLWrapper, match: IntervalMatch, bound: (n: number) => Bound = (n) => n): SQL {
  const inAny = anyOf(
    match.any.map(
      (i) =>
        and(
          i.min === null ? undefined : i.minInclusive ? gte(expression, bound(i.min)) : gt(expression, bound(i.min)),
          i.max === null ? undefined : i.maxInclusive ? lte(expression, bound(i.max)) : lt(expression, bound(i.max)),
        ) ?? sql`true`,
    ),
  );
  return match.negate ? not(inAny) : inAny;
}

/** A timestamp bound, cast so both drivers compare instants (never text). */
export const instantBound = (ms: number): SQL => sql`${new Date(ms).toISOString()}::timestamptz`;

/** A date search on an instant column (an Observation's effective time, its last update). */
export function instantSql(column: Column, condition: DateCondition): SQL {
  const bounds = conditionBounds(condition);
  if (bounds.exclude) return not(and(gte(column, instantBound(bounds.exclude.from)), lt(column, instantBound(bounds.exclude.to)))!);
  return and(bounds.from === undefined ? undefined : gte(column, instantBound(bounds.from)), bounds.to === undefined ? undefined : lt(column, instantBound(bounds.to))) ?? sql`true`;
}

/** `_id`: the ids among the values that can exist (`valid`); `_id` has no system, so `system|id` matches nothing. */
export function idSql<T extends string | number>(column: Column, values: readonly TokenValue[], parse: (id: string) => T | null): SQL {
  const ids = values.flatMap((value) => (value.system === undefined && value.code !== undefined ? [parse(value.code)] : [])).filter((id): id is T => id !== null);
  return ids.length ? inArray(column, ids) : nothing;
}

/** An id of a type with uuid ids, as stored (lower case); null for one that cannot exist. */
export const uuidId = (id: string): string | null => (isUuid(id) ? id.toLowerCase() : null);

/** A reference parameter: the ids of references to `type` (or untyped ones), filtered by what can exist. */
export function referenceSql(column: Column, values: readonly ReferenceValue[], type: string, valid: (id: string) => boolean): SQL {
  const ids = values.filter((value) => value.type === null || value.type === type).map((value) => value.id.toLowerCase()).filter(valid);
  return ids.length ? inArray(column, ids) : nothing;
}
