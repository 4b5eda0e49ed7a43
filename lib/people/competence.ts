import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { competenceAssessments, guardianLinks } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { latestCompetenceAssessment } from "@/lib/access/competence";
import { GUARDIAN_ACCESS_ENDS_AT_AGE } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { AccessDenied, AppError } from "@/lib/errors";
import { ageOn } from "@/lib/time/age";
import { invalidFields, parseInput } from "@/lib/validation";
import { competenceAssessmentSchema, guardianLimitSchema } from "./schemas";

/**
 * A young person judged competent decides who acts for them (Gillick competence; PRIVACY-SECURITY.md
 * B; docs/privacy.md): a clinician of the care team records the assessment, and while the latest
 * one says competent, the young person, signed in to their own account, may limit each guardian's
 * access to a last day or end it. The visibility rule (lib/access/visibility.ts) honours both.
 */

/** A clinician of the patient's care team records whether a young person is competent to decide (audited). */
export async function recordCompetenceAssessment(actor: UserActor, input: unknown, now = new Date()): Promise<void> {
  assertCan(actor, "competence:assess");
  const form = parseInput(competenceAssessmentSchema, input);
  await audited(actor, { action: "create", resourceType: "CompetenceAssessment" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "competence:assess", form.patientId);
    trail.touch(patient.id);
    if (ageOn(patient.birthDate, now.toISOString().slice(0, 10)) >= GUARDIAN_ACCESS_ENDS_AT_AGE) {
      throw invalidFields({ competent: [`An adult decides for themself: a competence assessment is for patients under ${GUARDIAN_ACCESS_ENDS_AT_AGE}.`] });
    }
    const [assessment] = await tx
      .insert(competenceAssessments)
      .values({ patientId: patient.id, assessedByUserId: actor.userId, competent: form.competent, note: form.note ?? null, assessedAt: now })
      .returning({ id: competenceAssessments.id });
    trail.resourceId = assessment!.id;
  });
}

/**
 * The young person limits a guardian's access to a last day (inclusive), or ends it now. Only the
 * patient themself, and only while their latest assessment says competent. Ending is final: the
 * link stays on record, ended, for "who can see my data".
 */
export async function limitGuardianAccess(actor: UserActor, input: unknown, now = new Date()): Promise<{ ended: boolean }> {
  assertCan(actor, "guardian:limit");
  const form = parseInput(guardianLimitSchema, input);
  const today = now.toISOString().slice(0, 10);
  if (form.choice === "limit" && form.lastDay! < today) throw invalidFields({ lastDay: ["Choose today or a later day. To stop their access now, choose End access."] });
  return audited(actor, { action: "revoke", resourceType: "GuardianLink", purpose: "privacy" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "guardian:limit", form.patientId);
    trail.touch(patient.id);
    trail.resourceId = form.guardianUserId;
    if (!(await latestCompetenceAssessment(tx, patient.id))?.competent) {
      throw new AppError("forbidden", "Your care team has not recorded that you can decide this on your own yet. Ask them at your next visit, and they can record it.");
    }
    const changes = form.choice === "end" ? { endedByPatientAt: now } : { limitedByPatientUntil: form.lastDay! };
    const updated = await tx
      .update(guardianLinks)
      .set(changes)
      .where(and(eq(guardianLinks.patientId, patient.id), eq(guardianLinks.guardianUserId, form.guardianUserId), isNull(guardianLinks.endedByPatientAt)))
      .returning({ guardianUserId: guardianLinks.guardianUserId });
    if (updated.length === 0) throw new AccessDenied("guardian link");
    return { ended: form.choice === "end" };
  });
}
