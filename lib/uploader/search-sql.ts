import "server-only";
import { and, asc, desc, inArray, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { CollectionQuery, TimeRange } from "./search-params";

/**
 * A searched collection's query in SQL. Times compare at millisecond precision: that is what
 * apps send and get back (`date`, `srvModified`), while PostgreSQL keeps microseconds.
 */
export const milliseconds = (column: AnyColumn) => sql`date_trunc('milliseconds', ${column})`;

function rangeCondition(expression: SQL, range: TimeRange): SQL | undefined {
  const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  return and(
    range.from ? (range.from.inclusive ? sql`${expression} >= ${at(range.from.at)}` : sql`${expression} > ${at(range.from.at)}`) : undefined,
    range.to ? (range.to.inclusive ? sql`${expression} <= ${at(range.to.at)}` : sql`${expression} < ${at(range.to.at)}`) : undefined,
  );
}

export interface SearchColumns {
  id: AnyColumn;
  time: AnyColumn;
  modified: AnyColumn;
}

/** The conditions on time and server time of last change. */
export function timeConditions(columns: SearchColumns, query: CollectionQuery): SQL | undefined {
  return and(rangeCondition(milliseconds(columns.time), query.time), rangeCondition(milliseconds(columns.modified), query.modified));
}

/** An equality filter; a filter that allows no value matches nothing. */
export function oneOf(column: AnyColumn, values: string[] | undefined): SQL | undefined {
  if (values === undefined) return undefined;
  return values.length === 0 ? sql`false` : inArray(column, values);
}

/** The order a query asks for, with the row id to make it total (pages never overlap or skip). */
export function orderOf(columns: SearchColumns, query: CollectionQuery): SQL[] {
  const direction = query.order === "asc" ? asc : desc;
  return [direction(milliseconds(columns[query.sortBy === "modified" ? "modified" : "time"])), direction(columns.id)];
}

/**
 * API v3 history: the changes after a time, oldest first, `limit` of them, but never cutting a
 * group of changes made in the same millisecond. The app's next request starts after the last
 * srvModified it saw, so the rest of such a group (a file import stores thousands at once)
 * would never reach it; the page grows to hold the group instead.
 */
export async function changesInWholeMilliseconds<Row>(
  fetch: (options: { where?: SQL; limit?: number }) => Promise<Row[]>,
  key: (row: Row) => { id: number; modified: Date },
  columns: SearchColumns,
  limit: number,
): Promise<Row[]> {
  const page = await fetch({ limit });
  if (page.length < limit) return page;
  const last = key(page.at(-1)!);
  const rest = await fetch({ where: and(sql`${milliseconds(columns.modified)} = ${last.modified.toISOString()}::timestamptz`, sql`${columns.id} > ${last.id}`) });
  return [...page, ...rest];
}
