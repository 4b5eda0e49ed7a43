import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { encodeCursor, type Cursor } from "./paging";
import type { ParsedSearch, SearchDefinition } from "./search/types";
import { anyOf, idSql, instantSql, nothing } from "./search/sql";
import type { ReferenceValue } from "./search/values";

/**
 * What AuditEvent search supports (docs/decisions/016-audit-event-api.md): by patient and by
 * date, for privacy officers reviewing who accessed a record. The data layer adds the
 * organization and the permission, and pages (lib/fhir/server/audit-events.ts).
 */

/** The sort key of a page boundary: the event's sequence number (results come in that order). */
const auditKey = z.tuple([z.number().int().positive().max(Number.MAX_SAFE_INTEGER)]);
export type AuditEventSearch = ParsedSearch<SQL, z.infer<typeof auditKey>>;
export type AuditEventCursor = Cursor<z.infer<typeof auditKey>>;

export function auditEventCursor(direction: AuditEventCursor["direction"], row: { seq: number }): string {
  return encodeCursor(direction, [row.seq]);
}

const sequence = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : null);

/** Events that touched any of the referenced patients (their ids are in the event's `patient_ids`). */
function patientSql(values: readonly ReferenceValue[]): SQL {
  const ids = values.filter((value) => value.type === null || value.type === "Patient").map((value) => value.id.toLowerCase()).filter(isUuid);
  return ids.length ? sql`${auditEvents.patientIds} && ${sql.param(ids)}::text[]::uuid[]` : nothing;
}

export const auditEventSearch: SearchDefinition<SQL, z.infer<typeof auditKey>> = {
  resourceType: "AuditEvent",
  parameters: {
    patient: {
      type: "reference",
      documentation: "Events about the patient (`entity.what`): `Patient/[id]` or `[id]`; comma-separate or repeat for several.",
      modifiers: ["Patient"],
      where: patientSql,
    },
    entity: {
      type: "reference",
      documentation: "Same as `patient` (the patient entities of the event).",
      modifiers: ["Patient"],
      where: patientSql,
    },
    date: {
      type: "date",
      documentation: "`recorded`; repeat for a range (`date=ge2026-11-01&date=lt2026-12-01`); a date without a time is the whole day in UTC.",
      where: (values) => anyOf(values.map((value) => instantSql(auditEvents.occurredAt, value))),
    },
    _id: {
      type: "token",
      documentation: "The AuditEvent id (the audit trail's sequence number).",
      where: (values) => idSql(auditEvents.seq, values, sequence),
    },
  },
  sorts: [],
  includes: [],
  elements: { elements: ["type", "subtype", "action", "recorded", "outcome", "agent", "source", "entity"], mandatory: ["type", "recorded", "agent", "source"] },
  totalByDefault: false,
  cursorKey: auditKey,
};
