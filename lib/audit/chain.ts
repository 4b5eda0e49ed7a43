import { createHash } from "node:crypto";

/**
 * The audit chain, recomputed outside the database (docs/decisions/008-audit-trail.md). Each row's
 * hash is SHA-256 over the previous row's hash followed by the row's canonical text: a JSON array
 * of its fields as text, exactly as the `audit_event_canonical` SQL function writes it (PostgreSQL
 * separates json array elements with ", "). Pure: the database trigger writes, this checks.
 */
export const GENESIS_HASH = "0".repeat(64);

/** An audit row with every field as the text the canonical form uses. */
export interface ChainRow {
  seq: string;
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds). */
  occurredAt: string;
  actorKind: string;
  actorId: string | null;
  actorRole: string | null;
  organizationId: string | null;
  /** Patient ids joined by commas, in stored order ("" for none). */
  patientIds: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  purpose: string;
  outcome: string;
  sourceAddress: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export function canonicalText(row: ChainRow): string {
  const fields = [
    row.seq, row.occurredAt, row.actorKind, row.actorId, row.actorRole, row.organizationId, row.patientIds,
    row.action, row.resourceType, row.resourceId, row.purpose, row.outcome, row.sourceAddress, row.requestId,
  ];
  return `[${fields.map((field) => JSON.stringify(field)).join(", ")}]`;
}

export function chainHash(prevHash: string, row: ChainRow): string {
  return createHash("sha256").update(prevHash + canonicalText(row), "utf8").digest("hex");
}

export type ChainVerdict = { ok: true; verified: number; lastSeq: number | null; lastHash: string } | { ok: false; verified: number; seq: number; problem: string };

/**
 * Walks rows in `seq` order (feed them in pages: the state carries over) and names the first row
 * that was changed, removed or inserted out of turn.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private previousHash = GENESIS_HASH;
  private count = 0;
  private failure: ChainVerdict | null = null;

  push(rows: readonly ChainRow[]): void {
    for (const row of rows) {
      if (this.failure) return;
      const seq = Number(row.seq);
      if (seq !== this.expectedSeq) {
        this.fail(this.expectedSeq, seq > this.expectedSeq ? `row ${this.expectedSeq} is missing (the next row is ${seq}): rows were removed` : `row ${seq} appears out of order`);
        return;
      }
      if (row.prevHash !== this.previousHash) {
        this.fail(seq, `row ${seq} does not point at row ${seq - 1}: a row before it was changed or removed`);
        return;
      }
      if (chainHash(row.prevHash, row) !== row.hash) {
        this.fail(seq, `row ${seq} was changed after it was written: its content no longer matches its hash`);
        return;
      }
      this.previousHash = row.hash;
      this.expectedSeq += 1;
      this.count += 1;
    }
  }

  verdict(): ChainVerdict {
    if (this.failure) return this.failure;
    return { ok: true, verified: this.count, lastSeq: this.count ? this.expectedSeq - 1 : null, lastHash: this.previousHash };
  }

  private fail(seq: number, problem: string): void {
    this.failure = { ok: false, verified: this.count, seq, problem };
  }
}
