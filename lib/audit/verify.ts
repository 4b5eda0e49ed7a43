import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "@/db/client";
import { ChainVerifier, type ChainRow, type ChainVerdict } from "./chain";

const PAGE = 5_000;

/**
 * Recomputes the whole audit chain from the stored rows (`npm run admin -- audit:verify`), page by
 * page so memory stays flat, and names the first row changed or removed. An anchor (a seq and
 * the hash it had, kept outside the database) also catches rows removed from the end.
 */
export async function verifyAuditChain(db: Database, anchor?: { seq: number; hash: string }): Promise<ChainVerdict> {
  const verifier = new ChainVerifier();
  let after = 0;
  let anchorSeen = false;
  for (;;) {
    const rows = rowsOf<ChainRow>(
      await db.execute(sql`select seq::text as "seq",
          to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "occurredAt",
          actor_kind::text as "actorKind", actor_id as "actorId", actor_role as "actorRole", organization_id::text as "organizationId",
          array_to_string(patient_ids, ',') as "patientIds", action, resource_type as "resourceType", resource_id as "resourceId",
          purpose, outcome::text as outcome, source_address as "sourceAddress", request_id as "requestId", prev_hash as "prevHash", hash
        from audit_events where audit_events.seq > ${after} order by audit_events.seq limit ${PAGE}`),
    );
    if (rows.length === 0) break;
    verifier.push(rows);
    if (anchor) {
      const anchored = rows.find((row) => Number(row.seq) === anchor.seq);
      if (anchored) {
        anchorSeen = true;
        if (anchored.hash !== anchor.hash) return { ok: false, verified: 0, seq: anchor.seq, problem: `row ${anchor.seq} no longer has the anchored hash` };
      }
    }
    after = Number(rows.at(-1)!.seq);
  }
  const verdict = verifier.verdict();
  if (verdict.ok && anchor && !anchorSeen) {
    return { ok: false, verified: verdict.verified, seq: anchor.seq, problem: `row ${anchor.seq} (the anchor) is gone: rows were removed from the end` };
  }
  return verdict;
}
