import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, type Transaction } from "@/db/client";
import { careTeamMembers, careTeamPatients, careTeams, guardianLinks, patients, users } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { GUARDIAN_ACCESS_ENDS_AT_AGE } from "@/lib/access/visibility";
import { audited, recordAudit } from "@/lib/audit/record";
import { isUniqueViolation } from "@/lib/db-errors";
import { AccessDenied, AppError } from "@/lib/errors";
import { NO_PASSWORD_YET } from "@/lib/security/password-hashing";
import { ageOn } from "@/lib/time/age";
import { invalidFields, parseInput } from "@/lib/validation";
import { sendInvitation } from "./invitations";
import { clinicRegistrationSchema, guardianLinkSchema, renewGuardianSchema, type ClinicRegistration } from "./schemas";
import { sealedRecordNumber } from "@/lib/security/sealed-columns";

export interface ClinicRegistrationResult {
  patientId: string;
  /** Addresses sent an invitation to set their own password. */
  invited: string[];
  /** True when a clinician confirmed the guardians; an admin's registration waits for one. */
  guardiansConfirmed: boolean;
}

function guardiansOf(form: ClinicRegistration): { name: string; email: string; field: "guardianEmail" | "secondGuardianEmail" }[] {
  const list: { name: string; email: string; field: "guardianEmail" | "secondGuardianEmail" }[] = [];
  if (form.guardianName && form.guardianEmail) list.push({ name: form.guardianName, email: form.guardianEmail, field: "guardianEmail" });
  if (form.secondGuardianName && form.secondGuardianEmail) list.push({ name: form.secondGuardianName, email: form.secondGuardianEmail, field: "secondGuardianEmail" });
  return list;
}

/** The care team the patient joins: in the actor's organization, and for a clinician one of their own. */
async function assertCareTeamFor(tx: Transaction, actor: UserActor, careTeamId: string): Promise<void> {
  const [team] = await tx
    .select({ id: careTeams.id })
    .from(careTeams)
    .where(
      and(
        eq(careTeams.id, careTeamId),
        eq(careTeams.organizationId, actor.organizationId),
        actor.role === "clinician"
          ? sql`exists (select 1 from ${careTeamMembers} where ${careTeamMembers.careTeamId} = ${careTeams.id} and ${careTeamMembers.clinicianUserId} = ${actor.userId})`
          : undefined,
      ),
    );
  if (!team) throw invalidFields({ careTeamId: [actor.role === "clinician" ? "Choose one of your care teams." : "Choose a care team of this organization."] });
}

/** An existing guardian of the organization is linked as they are; anyone else gets a new guardian account. */
async function guardianAccount(tx: Transaction, actor: UserActor, guardian: { name: string; email: string; field: string }): Promise<{ userId: string; isNew: boolean }> {
  const [existing] = await tx
    .select({ id: users.id, role: users.role, organizationId: users.organizationId })
    .from(users)
    .where(sql`lower(${users.email}) = ${guardian.email.toLowerCase()}`);
  if (existing) {
    if (existing.role !== "guardian" || existing.organizationId !== actor.organizationId) {
      throw invalidFields({ [guardian.field]: ["This email belongs to an account that cannot be a guardian here. Use the guardian's own address."] });
    }
    return { userId: existing.id, isNew: false };
  }
  const [created] = await tx
    .insert(users)
    .values({ organizationId: actor.organizationId, email: guardian.email, displayName: guardian.name, role: "guardian", passwordHash: NO_PASSWORD_YET })
    .returning({ id: users.id });
  return { userId: created!.id, isNew: true };
}

/**
 * A clinician or admin registers a patient in the portal: demographics, record number and time
 * zone, the care team, and for a child their guardian(s). New guardians, and the patient when
 * given an email, are invited by email to set their own password. A clinician registering a child
 * confirms the guardians (the verified step); an admin's registration leaves the links waiting
 * for a clinician of the care team to confirm them.
 */
export async function registerPatientByClinic(actor: UserActor, input: unknown, siteOrigin: string, now = new Date()): Promise<ClinicRegistrationResult> {
  assertCan(actor, "patient:register");
  const form = parseInput(clinicRegistrationSchema, input);
  const today = now.toISOString().slice(0, 10);
  if (form.birthDate > today) throw invalidFields({ birthDate: ["The date of birth cannot be in the future."] });
  const guardians = guardiansOf(form);
  const minor = ageOn(form.birthDate, today) < GUARDIAN_ACCESS_ENDS_AT_AGE;
  if (guardians.length > 0 && !minor) {
    throw invalidFields({ guardianEmail: [`Guardians act for patients under ${GUARDIAN_ACCESS_ENDS_AT_AGE}. An adult patient signs in with their own account.`] });
  }
  if (minor && guardians.length === 0) {
    throw invalidFields({ guardianEmail: [`A patient under ${GUARDIAN_ACCESS_ENDS_AT_AGE} needs at least one parent or guardian.`] });
  }
  const confirmsGuardians = actor.role === "clinician";
  if (confirmsGuardians && guardians.length > 0 && !form.guardiansVerified) {
    throw invalidFields({ guardiansVerified: ["Confirm that you have verified these people are the patient's parents or guardians."] });
  }

  try {
    return await audited(actor, { action: "register", resourceType: "Patient" }, async (tx, trail) => {
      await assertCareTeamFor(tx, actor, form.careTeamId);
      const invited: string[] = [];
      let patientUserId: string | null = null;
      if (form.patientEmail) {
        const [patientUser] = await tx
          .insert(users)
          .values({ organizationId: actor.organizationId, email: form.patientEmail, displayName: `${form.givenName} ${form.familyName}`, role: "patient", passwordHash: NO_PASSWORD_YET })
          .returning({ id: users.id });
        patientUserId = patientUser!.id;
      }
      const [patient] = await tx
        .insert(patients)
        .values({
          organizationId: actor.organizationId,
          userId: patientUserId,
          givenName: form.givenName,
          familyName: form.familyName,
          birthDate: form.birthDate,
          timezone: form.timezone,
          preferredUnit: form.preferredUnit,
          ...sealedRecordNumber(form.medicalRecordNumber ?? null),
        })
        .returning({ id: patients.id });
      const patientId = patient!.id;
      trail.touch(patientId);
      trail.resourceId = patientId;
      await tx.insert(careTeamPatients).values({ careTeamId: form.careTeamId, patientId });

      for (const guardian of guardians) {
        const account = await guardianAccount(tx, actor, guardian);
        await tx.insert(guardianLinks).values({
          guardianUserId: account.userId,
          patientId,
          confirmedByUserId: confirmsGuardians ? actor.userId : null,
          confirmedAt: confirmsGuardians ? now : null,
        });
        if (confirmsGuardians) await recordGuardianGrant(tx, actor, patientId, account.userId);
        if (account.isNew) {
          await sendInvitation(tx, { userId: account.userId, email: guardian.email, reason: "guardian" }, actor.userId, siteOrigin, now);
          invited.push(guardian.email);
        }
      }
      if (patientUserId && form.patientEmail) {
        await sendInvitation(tx, { userId: patientUserId, email: form.patientEmail, reason: "patient" }, actor.userId, siteOrigin, now);
        invited.push(form.patientEmail);
      }
      return { patientId, invited, guardiansConfirmed: confirmsGuardians || guardians.length === 0 };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "An account with one of these emails, or a patient with this record number, already exists.", {
        patientEmail: form.patientEmail ? ["Check this email is not already in use."] : [],
        medicalRecordNumber: form.medicalRecordNumber ? ["Check this record number is not already in use."] : [],
      });
    }
    throw error;
  }
}

/** A guardian link that takes effect is access granted: on record as a grant on the patient. */
async function recordGuardianGrant(tx: Transaction, actor: UserActor, patientId: string, guardianUserId: string): Promise<void> {
  await recordAudit(tx, actor, { action: "grant", resourceType: "GuardianLink", resourceId: guardianUserId, patientIds: [patientId], outcome: "success" });
}

/** The verified step: a clinician of the patient's care team confirms a waiting guardian link. */
export async function confirmGuardianLink(actor: UserActor, input: unknown, now = new Date()): Promise<void> {
  assertCan(actor, "guardian:verify");
  const form = parseInput(guardianLinkSchema, input);
  await audited(actor, { action: "grant", resourceType: "GuardianLink" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "guardian:verify", form.patientId);
    trail.touch(patient.id);
    trail.resourceId = form.guardianUserId;
    const confirmed = await tx
      .update(guardianLinks)
      .set({ confirmedByUserId: actor.userId, confirmedAt: now })
      .where(and(eq(guardianLinks.patientId, patient.id), eq(guardianLinks.guardianUserId, form.guardianUserId), sql`${guardianLinks.confirmedAt} is null`))
      .returning({ id: guardianLinks.guardianUserId });
    if (confirmed.length === 0) throw new AccessDenied("guardian link waiting for confirmation");
  });
}

/**
 * A clinician of the care team extends a guardian's access past the patient's 18th birthday (an
 * adult who cannot manage alone and agreed, or whose court order says so), up to and including a day.
 */
export async function renewGuardianLink(actor: UserActor, input: unknown, now = new Date()): Promise<void> {
  assertCan(actor, "guardian:verify");
  const form = parseInput(renewGuardianSchema, input);
  if (form.renewedUntil < now.toISOString().slice(0, 10)) throw invalidFields({ renewedUntil: ["Choose a day from today on."] });
  await audited(actor, { action: "grant", resourceType: "GuardianLink" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "guardian:verify", form.patientId);
    trail.touch(patient.id);
    trail.resourceId = form.guardianUserId;
    const renewed = await tx
      .update(guardianLinks)
      .set({ renewedUntil: form.renewedUntil })
      .where(and(eq(guardianLinks.patientId, patient.id), eq(guardianLinks.guardianUserId, form.guardianUserId), sql`${guardianLinks.confirmedAt} is not null`))
      .returning({ id: guardianLinks.guardianUserId });
    if (renewed.length === 0) throw new AccessDenied("guardian link");
  });
}

/** The care teams a new patient may join: a clinician's own, or every team of the admin's organization. */
export async function careTeamsForRegistration(actor: UserActor): Promise<{ id: string; name: string }[]> {
  assertCan(actor, "patient:register");
  return getDb()
    .select({ id: careTeams.id, name: careTeams.name })
    .from(careTeams)
    .where(
      and(
        eq(careTeams.organizationId, actor.organizationId),
        actor.role === "clinician"
          ? sql`exists (select 1 from ${careTeamMembers} where ${careTeamMembers.careTeamId} = ${careTeams.id} and ${careTeamMembers.clinicianUserId} = ${actor.userId})`
          : undefined,
      ),
    )
    .orderBy(asc(careTeams.name));
}
