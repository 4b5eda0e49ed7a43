import { describe, expect, it } from "vitest";
import { ChainVerifier, chainHash, GENESIS_HASH, type ChainRow } from "./chain";

/** A chain of `n` rows built exactly as the database trigger builds it. */
function chain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let previous = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const row: ChainRow = {
      seq: String(seq), occurredAt: `2026-12-03T08:00:0${seq % 10}.000000Z`, actorKind: "user", actorId: `user-${seq}`, actorRole: "clinician",
      organizationId: "00000000-0000-4000-8000-000000000001", patientIds: seq % 2 ? "00000000-0000-4000-8000-00000000000a" : "",
      action: "read", resourceType: "Patient", resourceId: null, purpose: "care", outcome: "success", sourceAddress: "192.0.2.1", requestId: `r${seq}`,
      prevHash: previous, hash: "",
    };
    row.hash = chainHash(previous, row);
    previous = row.hash;
    rows.push(row);
  }
  return rows;
}

function verify(rows: ChainRow[], pageSize = 3) {
  const verifier = new ChainVerifier();
  for (let i = 0; i < rows.length; i += pageSize) verifier.push(rows.slice(i, i + pageSize));
  return verifier.verdict();
}

describe("ChainVerifier", () => {
  it("verifies an intact chain fed in pages and reports its last seq and hash", () => {
    const rows = chain(10);
    expect(verify(rows)).toEqual({ ok: true, verified: 10, lastSeq: 10, lastHash: rows[9]!.hash });
    expect(verify([])).toEqual({ ok: true, verified: 0, lastSeq: null, lastHash: GENESIS_HASH });
  });

  it.each([
    ["the action", (row: ChainRow) => ({ ...row, action: "search" })],
    ["the patients", (row: ChainRow) => ({ ...row, patientIds: "" })],
    ["the time", (row: ChainRow) => ({ ...row, occurredAt: "2026-12-04T08:00:00.000000Z" })],
    ["the outcome", (row: ChainRow) => ({ ...row, outcome: "denied" })],
  ])("names a row whose %s was changed", (_what, change) => {
    const rows = chain(10);
    rows[4] = change(rows[4]!);
    expect(verify(rows)).toMatchObject({ ok: false, seq: 5, verified: 4, problem: expect.stringMatching(/changed after it was written/) });
  });

  it("names the gap where a row was removed", () => {
    const rows = chain(10);
    rows.splice(6, 1);
    expect(verify(rows)).toMatchObject({ ok: false, seq: 7, problem: expect.stringMatching(/row 7 is missing/) });
  });

  it("catches a changed row whose hash was recomputed: the next row no longer points at it", () => {
    const rows = chain(10);
    const changed = { ...rows[2]!, action: "search" };
    changed.hash = chainHash(changed.prevHash, changed);
    rows[2] = changed;
    expect(verify(rows)).toMatchObject({ ok: false, seq: 4, problem: expect.stringMatching(/does not point at row 3/) });
  });

  it("names rows out of order", () => {
    const rows = chain(5);
    [rows[1], rows[2]] = [rows[2]!, rows[1]!];
    expect(verify(rows)).toMatchObject({ ok: false, seq: 2 });
  });
});
