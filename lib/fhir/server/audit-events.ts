import "server-only";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { auditEvents, backendClients, users } from "@/db/schema";
import type { Actor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { AccessDenied } from "@/lib/errors";
import type { FhirAuditInput } from "@/lib/fhir/audit-event";
import { auditEventCursor, type AuditEventSearch } from "./audit-event-search";
import type { Page } from "./paging";

/**
 * The organization's audit trail as FHIR AuditEvent (docs/decisions/016-audit-event-api.md): for
 * privacy officers (auditEvent:read), signed in to the portal, on the FHIR API. Never for a
 * backend client (no SMART scope grants it). Each read and search is on the trail itself.
 */

const columns = {
  seq: auditEvents.seq,
  occurredAt: auditEvents.occurredAt,
  actorKind: auditEvents.actorKind,
  actorId: auditEvents.actorId,
  actorRole: auditEvents.actorRole,
  actorName: sql<string | null>`coalesce(${users.displayName}, ${backendClients.name})`,
  action: auditEvents.action,
  resourceType: auditEvents.resourceType,
  resourceId: auditEvents.resourceId,
  patientIds: auditEvents.patientIds,
  purpose: auditEvents.purpose,
  outcome: auditEvents.outcome,
  sourceAddress: auditEvents.sourceAddress,
};

function selectEvents(tx: Transaction) {
  return tx
    .select(columns)
    .from(auditEvents)
    .leftJoin(users, and(eq(auditEvents.actorKind, "user"), sql`${users.id}::text = ${auditEvents.actorId}`))
    .leftJoin(backendClients, and(eq(auditEvents.actorKind, "backend-client"), sql`${backendClients.id}::text = ${auditEvents.actorId}`));
}

const ofOrganization = (actor: Actor): SQL => sql`${auditEvents.organizationId} = ${actor.organizationId}::uuid`;

/** One AuditEvent of the actor's organization; 404 for any other id, as for a missing one. */
export async function readAuditEvent(actor: Actor, id: string): Promise<FhirAuditInput> {
  return audited(actor, { action: "read", resourceType: "AuditEvent", purpose: "oversight" }, async (tx, trail) => {
    assertCan(actor, "auditEvent:read", "AuditEvent");
    trail.resourceId = id;
    if (!/^\d{1,15}$/.test(id)) throw new AccessDenied("AuditEvent");
    const [row] = await selectEvents(tx).where(and(eq(auditEvents.seq, Number(id)), ofOrganization(actor)));
    if (!row) throw new AccessDenied("AuditEvent");
    return row as FhirAuditInput;
  });
}

/** One page of a search in sequence order, audited as one event (naming no patients: the officer sees ids, not records). */
export async function searchAuditEvents(actor: Actor, search: AuditEventSearch): Promise<Page<FhirAuditInput>> {
  return audited(actor, { action: "search", resourceType: "AuditEvent", purpose: "oversight" }, async (tx) => {
    assertCan(actor, "auditEvent:read", "AuditEvent");
    const filter = and(ofOrganization(actor), ...search.conditions);
    const total = search.total ? ((await tx.select({ count: sql<number>`count(*)::int` }).from(auditEvents).where(filter))[0]?.count ?? 0) : null;
    if (search.count === 0 || search.summaryCount) return { rows: [], next: null, previous: null, total };
    const cursor = search.cursor;
    const backwards = cursor?.direction === "before";
    const keyset = cursor ? (backwards ? sql`${auditEvents.seq} < ${cursor.key[0]}` : sql`${auditEvents.seq} > ${cursor.key[0]}`) : undefined;
    const raw = (await selectEvents(tx)
      .where(and(filter, keyset))
      .orderBy(backwards ? desc(auditEvents.seq) : asc(auditEvents.seq))
      .limit(search.count + 1)) as FhirAuditInput[];
    const more = raw.length > search.count;
    const rows = raw.slice(0, search.count);
    if (backwards) rows.reverse();
    const first = rows[0];
    const last = rows.at(-1);
    return {
      rows,
      next: last && (backwards || more) ? auditEventCursor("after", last) : null,
      previous: first && cursor && (!backwards || more) ? auditEventCursor("before", first) : null,
      total,
    };
  });
}
