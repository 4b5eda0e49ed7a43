import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { uploadProblems } from "@/db/schema";
import type { Actor } from "@/lib/access/actor";
import { authorizePatient, type AuthorizedPatient } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import type { UploadProblem } from "./problem-reasons";

/**
 * Upload problems: what apps sent that Lantern did not store, so it is never silent. Recorded by
 * the write that refused it, in its transaction; one row per patient, app and reason, counting up.
 */
export async function recordUploadProblems(tx: Transaction, patient: AuthorizedPatient, problems: readonly UploadProblem[], now: Date): Promise<void> {
  if (problems.length === 0) return;
  const counted = new Map<string, UploadProblem & { count: number }>();
  for (const problem of problems) {
    const key = JSON.stringify([problem.app, problem.reason]);
    const earlier = counted.get(key);
    counted.set(key, { ...problem, count: (earlier?.count ?? 0) + 1 });
  }
  await tx
    .insert(uploadProblems)
    .values([...counted.values()].map(({ app, reason, count }) => ({ patientId: patient.id, app, reason, count, firstSeenAt: now, lastSeenAt: now })))
    .onConflictDoUpdate({
      target: [uploadProblems.patientId, uploadProblems.app, uploadProblems.reason],
      set: { count: sql`${uploadProblems.count} + excluded.count`, lastSeenAt: sql`greatest(${uploadProblems.lastSeenAt}, excluded.last_seen_at)` },
    });
}

export interface UploadProblemRow {
  app: string;
  reason: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  count: number;
}

/** The patient's upload problems, the latest first, for the devices page. */
export async function listUploadProblems(actor: Actor, patientId: string, limit = 50): Promise<UploadProblemRow[]> {
  return audited(actor, { action: "search", resourceType: "UploadProblem" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "device:search", patientId);
    trail.touch(patient.id);
    return tx
      .select({ app: uploadProblems.app, reason: uploadProblems.reason, firstSeenAt: uploadProblems.firstSeenAt, lastSeenAt: uploadProblems.lastSeenAt, count: uploadProblems.count })
      .from(uploadProblems)
      .where(eq(uploadProblems.patientId, patient.id))
      .orderBy(desc(uploadProblems.lastSeenAt))
      .limit(limit);
  });
}
