import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { careTeamMembers, careTeamPatients, careTeams, patients, users } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { isUniqueViolation } from "@/lib/db-errors";
import { AccessDenied, AppError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { sendInvitation } from "@/lib/people/invitations";
import { NO_PASSWORD_YET } from "@/lib/security/password-hashing";
import { parseInput } from "@/lib/validation";
import { careTeamMemberSchema, careTeamPatientSchema, careTeamSchema, staffAccountSchema } from "./schemas";

/**
 * Creates a clinician, admin or privacy officer in the actor's organization and emails them a
 * one-time link to set their own password: nobody, the admin included, ever knows it, so creating
 * a clinician gives the admin none of the clinician's access (separation of duties). The grant is
 * in the privacy officer's review queue.
 */
export async function createStaffAccount(actor: UserActor, input: unknown, siteOrigin: string): Promise<{ email: string }> {
  assertCan(actor, "staff:manage");
  const form = parseInput(staffAccountSchema, input);
  try {
    await audited(actor, { action: "grant", resourceType: "User", purpose: "administration" }, async (tx, trail) => {
      const [user] = await tx
        .insert(users)
        .values({ organizationId: actor.organizationId, email: form.email, displayName: form.displayName, role: form.role, passwordHash: NO_PASSWORD_YET })
        .returning({ id: users.id });
      trail.resourceId = user!.id;
      await sendInvitation(tx, { userId: user!.id, email: form.email, reason: "staff" }, actor.userId, siteOrigin);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "An account with this email already exists.", { email: ["This email already has an account."] });
    }
    throw error;
  }
  return { email: form.email };
}

export async function createCareTeam(actor: UserActor, input: unknown): Promise<{ careTeamId: string }> {
  assertCan(actor, "careTeam:manage");
  const form = parseInput(careTeamSchema, input);
  try {
    return await audited(actor, { action: "create", resourceType: "CareTeam", purpose: "administration" }, async (tx, trail) => {
      const [team] = await tx.insert(careTeams).values({ organizationId: actor.organizationId, name: form.name }).returning({ id: careTeams.id });
      trail.resourceId = team!.id;
      return { careTeamId: team!.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "A care team with this name exists.", { name: ["A care team with this name exists."] });
    }
    throw error;
  }
}

async function assertOwnCareTeam(tx: Transaction, actor: UserActor, careTeamId: string): Promise<void> {
  const [team] = isUuid(careTeamId)
    ? await tx.select({ id: careTeams.id }).from(careTeams).where(and(eq(careTeams.id, careTeamId), eq(careTeams.organizationId, actor.organizationId)))
    : [];
  if (!team) throw new AccessDenied("care team");
}

/** Putting a clinician on a care team grants them its patients' records: on record as a grant. */
export async function addClinicianToCareTeam(actor: UserActor, input: unknown): Promise<void> {
  assertCan(actor, "careTeam:manage");
  const form = parseInput(careTeamMemberSchema, input);
  await audited(actor, { action: "grant", resourceType: "CareTeam", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = form.careTeamId;
    await assertOwnCareTeam(tx, actor, form.careTeamId);
    const [clinician] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, form.clinicianUserId), eq(users.organizationId, actor.organizationId), eq(users.role, "clinician")));
    if (!clinician) throw new AccessDenied("clinician");
    const patientsOfTeam = await tx.select({ id: careTeamPatients.patientId }).from(careTeamPatients).where(eq(careTeamPatients.careTeamId, form.careTeamId));
    trail.touch(...patientsOfTeam.map((row) => row.id));
    await tx.insert(careTeamMembers).values(form).onConflictDoNothing();
  });
}

export async function assignPatientToCareTeam(actor: UserActor, input: unknown): Promise<void> {
  assertCan(actor, "careTeam:manage");
  const form = parseInput(careTeamPatientSchema, input);
  await audited(actor, { action: "grant", resourceType: "CareTeam", purpose: "administration" }, async (tx, trail) => {
    trail.resourceId = form.careTeamId;
    await assertOwnCareTeam(tx, actor, form.careTeamId);
    const patient = await authorizePatient(tx, actor, "patient:read", form.patientId);
    trail.touch(patient.id);
    await tx.insert(careTeamPatients).values(form).onConflictDoNothing();
  });
}

export interface OrganizationOverview {
  staff: { id: string; displayName: string; email: string; role: "clinician" | "admin" | "privacy_officer"; disabled: boolean }[];
  careTeams: { id: string; name: string; clinicians: string[]; patients: string[] }[];
  patients: { id: string; name: string }[];
}

/** What the admin page shows: staff, care teams with their members, and the patients to assign. */
export async function getOrganizationOverview(actor: UserActor): Promise<OrganizationOverview> {
  return audited(actor, { action: "search", resourceType: "Patient", purpose: "administration" }, async (db, trail) => {
    assertCan(actor, "careTeam:manage");
    const [staffRows, teamRows, memberRows, patientRows, teamPatientRows] = await Promise.all([
      db
        .select({ id: users.id, displayName: users.displayName, email: users.email, role: users.role, disabledAt: users.disabledAt })
        .from(users)
        .where(eq(users.organizationId, actor.organizationId))
        .orderBy(asc(users.displayName)),
      db
        .select({ id: careTeams.id, name: careTeams.name })
        .from(careTeams)
        .where(eq(careTeams.organizationId, actor.organizationId))
        .orderBy(asc(careTeams.name)),
      db
        .select({ careTeamId: careTeamMembers.careTeamId, name: users.displayName })
        .from(careTeamMembers)
        .innerJoin(users, eq(users.id, careTeamMembers.clinicianUserId))
        .where(eq(users.organizationId, actor.organizationId))
        .orderBy(asc(users.displayName)),
      db
        .select({ id: patients.id, givenName: patients.givenName, familyName: patients.familyName })
        .from(patients)
        .where(patientVisibleTo(actor))
        .orderBy(asc(patients.familyName), asc(patients.givenName)),
      db
        .select({ careTeamId: careTeamPatients.careTeamId, patientId: careTeamPatients.patientId })
        .from(careTeamPatients)
        .innerJoin(patients, eq(patients.id, careTeamPatients.patientId))
        .where(patientVisibleTo(actor)),
    ]);
    const patientName = new Map(patientRows.map((p) => [p.id, `${p.givenName} ${p.familyName}`]));
    trail.touch(...patientName.keys());
    return {
      staff: staffRows.flatMap((user) =>
        user.role === "clinician" || user.role === "admin" || user.role === "privacy_officer"
          ? [{ id: user.id, displayName: user.displayName, email: user.email, role: user.role, disabled: user.disabledAt !== null }]
          : [],
      ),
      careTeams: teamRows.map((team) => ({
        ...team,
        clinicians: memberRows.filter((m) => m.careTeamId === team.id).map((m) => m.name),
        patients: teamPatientRows.filter((p) => p.careTeamId === team.id).map((p) => patientName.get(p.patientId) ?? ""),
      })),
      patients: [...patientName].map(([id, name]) => ({ id, name })),
    };
  });
}
