import "server-only";
import { and, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { alerts } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { encodeCursor, type Cursor } from "./paging";
import type { ParsedSearch, SearchDefinition } from "./search/types";
import { anyOf, idSql, instantSql, referenceSql } from "./search/sql";
import type { TokenValue } from "./search/values";

/**
 * What Flag search supports (the declaration docs/fhir.md and the CapabilityStatement are
 * generated from) and how each parameter becomes a condition on `alerts`. The data layer adds the
 * visibility rule, leaves merged and withdrawn alerts out, and pages (lib/fhir/server/flags.ts).
 */

/** The sort key of a Flag page boundary: the alert id (results come in id order). */
const flagKey = z.tuple([z.number().int().positive().max(Number.MAX_SAFE_INTEGER)]);
export type FlagSearch = ParsedSearch<SQL, z.infer<typeof flagKey>>;
export type FlagCursor = Cursor<z.infer<typeof flagKey>>;

export function flagCursor(direction: FlagCursor["direction"], row: { id: number }): string {
  return encodeCursor(direction, [row.id]);
}

const alertId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : null);

const FLAG_STATUS = "http://hl7.org/fhir/flag-status";
const isStatus = (token: TokenValue, code: string) => token.system !== null && (token.system === undefined || token.system === FLAG_STATUS) && token.code === code;

/** `active` as lib/fhir/flag.ts's flagStatusOf decides it: the episode goes on, or it ended and nobody resolved it (and it is not history). */
export const flagIsActive: SQL = or(isNull(alerts.endedAt), and(ne(alerts.status, "resolved"), sql`not ${alerts.historical}`))!;

export const flagSearch: SearchDefinition<SQL, z.infer<typeof flagKey>> = {
  resourceType: "Flag",
  parameters: {
    patient: {
      type: "reference",
      documentation: "The patient: `Patient/[id]` or `[id]`; comma-separate or repeat for several.",
      modifiers: ["Patient"],
      where: (values) => referenceSql(alerts.patientId, values, "Patient", isUuid),
    },
    subject: {
      type: "reference",
      documentation: "Same as `patient` (every subject is a Patient).",
      modifiers: ["Patient"],
      where: (values) => referenceSql(alerts.patientId, values, "Patient", isUuid),
    },
    status: {
      type: "token",
      documentation: "`active` while the episode goes on or nobody has resolved the alert; `inactive` once it ended and was resolved (or is history from late readings).",
      where: (values) =>
        anyOf([
          values.some((value) => isStatus(value, "active")) ? flagIsActive : undefined,
          values.some((value) => isStatus(value, "inactive")) ? and(isNotNull(alerts.endedAt), sql`not (${flagIsActive})`) : undefined,
        ]),
    },
    _id: {
      type: "token",
      documentation: "The Flag id (the alert's).",
      where: (values) => idSql(alerts.id, values, alertId),
    },
    _lastUpdated: {
      type: "date",
      documentation: "`meta.lastUpdated`: when the episode or its handling last changed, as `date`: `_lastUpdated=gt2026-11-24T00:00:00Z`.",
      where: (values) => anyOf(values.map((value) => instantSql(alerts.updatedAt, value))),
    },
  },
  sorts: [],
  includes: [],
  elements: { elements: ["identifier", "status", "category", "code", "subject", "period"], mandatory: ["status", "code", "subject"] },
  totalByDefault: true,
  cursorKey: flagKey,
};
