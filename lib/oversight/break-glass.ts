import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { breakGlassGrants, careTeamMembers, careTeamPatients, patients, users } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan } from "@/lib/access/authorize";
import { audited, recordAudit } from "@/lib/audit/record";
import { environment } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/security/password-hashing";
import { invalidFields, parseInput } from "@/lib/validation";
import { breakGlassSchema } from "./schemas";
import { lookupsFor } from "@/lib/security/sealed-columns";

/** The purpose recorded on a break-glass grant's audit event. */
export const BREAK_GLASS_PURPOSE = "emergency";

/**
 * Break-glass: a clinician outside a patient's care teams, in an emergency, states why and
 * re-enters their password, and reads that one patient's record (never writes) for
 * LANTERN_BREAK_GLASS_HOURS. The start is a `grant` audit event with the emergency purpose: the
 * privacy officer's review queue lists it, every read during the grant is in the audit trail as
 * usual, and the patient's access log marks those reads as break-glass. A wrong password or an
 * unknown record number is on record as a refusal too.
 */
export async function startBreakGlass(actor: UserActor, input: unknown, now = new Date()): Promise<{ patientId: string; expiresAt: Date }> {
  assertCan(actor, "breakGlass:start");
  const form = parseInput(breakGlassSchema, input);
  const db = getDb();
  const event = { action: "grant", resourceType: "BreakGlass", purpose: BREAK_GLASS_PURPOSE } as const;
  const [me] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.userId));
  if (!me || !(await verifyPassword(me.passwordHash, form.password))) {
    await recordAudit(db, actor, { ...event, outcome: "failure" });
    throw invalidFields({ password: ["That is not your password. Enter the password you sign in with."] });
  }
  const [patient] = await db
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.organizationId, actor.organizationId), inArray(patients.medicalRecordNumberIndex, lookupsFor("patientMedicalRecordNumber", form.medicalRecordNumber))));
  if (!patient) {
    await recordAudit(db, actor, { ...event, outcome: "denied" });
    throw invalidFields({ medicalRecordNumber: ["No patient of this organization has this record number. Check it with the patient or their notes."] });
  }
  const onMyTeam = await db
    .select({ id: careTeamPatients.patientId })
    .from(careTeamPatients)
    .innerJoin(careTeamMembers, eq(careTeamMembers.careTeamId, careTeamPatients.careTeamId))
    .where(and(eq(careTeamPatients.patientId, patient.id), eq(careTeamMembers.clinicianUserId, actor.userId)));
  if (onMyTeam.length > 0) throw new AppError("conflict", "This patient is on one of your care teams: open their record from your patient list.");
  const expiresAt = new Date(now.getTime() + environment().LANTERN_BREAK_GLASS_HOURS * 3_600_000);
  await audited(actor, event, async (tx, trail) => {
    trail.touch(patient.id);
    const [grant] = await tx
      .insert(breakGlassGrants)
      .values({ clinicianUserId: actor.userId, patientId: patient.id, reason: form.reason, startedAt: now, expiresAt })
      .returning({ id: breakGlassGrants.id });
    trail.resourceId = grant!.id;
  });
  return { patientId: patient.id, expiresAt };
}
