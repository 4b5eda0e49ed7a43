import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { patients, privacyRequestKinds, privacyRequests, type ConsentDecider } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { audited } from "@/lib/audit/record";
import { AccessDenied, AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { withRecordNumber } from "@/lib/security/sealed-columns";

/**
 * Restriction (GDPR Art 18) and erasure (Art 17) requests, tracked to their deadline: one month
 * from receipt (Art 12(3)). The patient or their guardian asks; the organization's admins answer,
 * recording for an erasure whether the care-records exemption applied (health records are kept
 * for their retention period: Art 17(3)(b) and (c), Art 9(2)(h)). Answering does not itself erase
 * or restrict anything: it is the record that the request was handled, and how.
 */

export const privacyRequestSchema = z.object({
  kind: z.enum(privacyRequestKinds, { message: "Choose restriction or erasure." }),
  details: z.string().trim().min(1, "Say what you would like restricted or erased, and why if you wish.").max(2000, "Keep it under 2,000 characters."),
});

export const privacyAnswerSchema = z.object({
  status: z.enum(["completed", "refused"], { message: "Choose completed or refused." }),
  response: z.string().trim().min(1, "Write the answer the patient will read.").max(4000, "Keep it under 4,000 characters."),
  careRecordsExemption: z.enum(["yes", "no"], { message: "Say whether care records were kept under the health-care exemption." }).transform((value) => value === "yes"),
});

/** One calendar month after receipt, the Art 12(3) deadline (31 January is due on 28 or 29 February). */
export function dueDateOf(requestedAt: Date): Date {
  const due = Temporal.Instant.fromEpochMilliseconds(requestedAt.getTime()).toZonedDateTimeISO("UTC").add({ months: 1 });
  return new Date(due.epochMilliseconds);
}

const requestColumns = {
  id: privacyRequests.id,
  patientId: privacyRequests.patientId,
  kind: privacyRequests.kind,
  details: privacyRequests.details,
  requestedAs: privacyRequests.requestedAs,
  requestedAt: privacyRequests.requestedAt,
  dueAt: privacyRequests.dueAt,
  status: privacyRequests.status,
  response: privacyRequests.response,
  careRecordsExemption: privacyRequests.careRecordsExemption,
  resolvedAt: privacyRequests.resolvedAt,
};

export async function createPrivacyRequest(actor: UserActor, patientId: string, input: unknown, now = new Date()): Promise<{ id: string; dueAt: Date }> {
  const form = parseInput(privacyRequestSchema, input);
  return audited(actor, { action: "create", resourceType: "PrivacyRequest", purpose: "privacy" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "privacyRequest:create", patientId);
    trail.touch(patient.id);
    const [created] = await tx
      .insert(privacyRequests)
      .values({
        patientId: patient.id, organizationId: patient.organizationId, kind: form.kind, details: form.details, requestedByUserId: actor.userId,
        requestedAs: actor.role as ConsentDecider, requestedAt: now, dueAt: dueDateOf(now),
      })
      .returning({ id: privacyRequests.id, dueAt: privacyRequests.dueAt });
    trail.resourceId = created!.id;
    return created!;
  });
}

/** The patient's own requests and their answers, newest first. */
export async function listPatientPrivacyRequests(actor: UserActor, patientId: string) {
  return audited(actor, { action: "search", resourceType: "PrivacyRequest", purpose: "privacy" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "privacyRequest:create", patientId);
    trail.touch(patient.id);
    return tx.select(requestColumns).from(privacyRequests).where(eq(privacyRequests.patientId, patient.id)).orderBy(desc(privacyRequests.requestedAt));
  });
}

/** The organization's requests for admins: open ones first, earliest deadline first, with the patient's record number. */
export async function listPrivacyRequests(actor: UserActor, now = new Date()) {
  assertCan(actor, "privacyRequest:manage");
  return audited(actor, { action: "search", resourceType: "PrivacyRequest", purpose: "privacy" }, async (tx, trail) => {
    const rows = await tx
      .select({ ...requestColumns, medicalRecordNumberSealed: patients.medicalRecordNumberSealed, overdue: sql<boolean>`${privacyRequests.status} = 'open' and ${privacyRequests.dueAt} < ${now.toISOString()}::timestamptz` })
      .from(privacyRequests)
      .innerJoin(patients, eq(patients.id, privacyRequests.patientId))
      .where(eq(privacyRequests.organizationId, actor.organizationId))
      .orderBy(sql`${privacyRequests.status} <> 'open'`, asc(privacyRequests.dueAt));
    trail.touch(...rows.map((row) => row.patientId));
    return rows.map(withRecordNumber);
  });
}

export async function answerPrivacyRequest(actor: UserActor, requestId: string, input: unknown, now = new Date()): Promise<void> {
  assertCan(actor, "privacyRequest:manage");
  const form = parseInput(privacyAnswerSchema, input);
  await audited(actor, { action: "update", resourceType: "PrivacyRequest", purpose: "privacy" }, async (tx, trail) => {
    trail.resourceId = requestId;
    const ours = and(sql`${privacyRequests.id}::text = ${requestId}`, eq(privacyRequests.organizationId, actor.organizationId));
    const [updated] = await tx
      .update(privacyRequests)
      .set({ status: form.status, response: form.response, careRecordsExemption: form.careRecordsExemption, resolvedByUserId: actor.userId, resolvedAt: now })
      .where(and(ours, eq(privacyRequests.status, "open")))
      .returning({ patientId: privacyRequests.patientId });
    if (updated) return trail.touch(updated.patientId);
    const [answered] = await tx.select({ patientId: privacyRequests.patientId }).from(privacyRequests).where(ours);
    if (!answered) throw new AccessDenied("request");
    throw new AppError("conflict", "This request has already been answered.");
  });
}
