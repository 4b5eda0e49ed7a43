import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { careTeamMembers, careTeamPatients, careTeams, patients, users } from "@/db/schema";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { isUniqueViolation } from "@/lib/db-errors";
import { AppError, notFound } from "@/lib/errors";
import { hashPassword } from "@/lib/security/password-hashing";
import { generatePassword } from "@/lib/security/generated-password";
import { parseInput } from "@/lib/validation";
import { patientVisibleTo } from "@/lib/patients/visibility";
import { careTeamMemberSchema, careTeamPatientSchema, careTeamSchema, staffAccountSchema } from "./schemas";

/**
 * Creates a clinician or admin in the actor's organization with a generated initial password,
 * returned once for the admin to hand over; it is stored only as a hash.
 */
export async function createStaffAccount(actor: Actor, input: unknown): Promise<{ email: string; initialPassword: string }> {
  assertCan(actor, "staff:manage");
  const form = parseInput(staffAccountSchema, input);
  const initialPassword = generatePassword();
  try {
    await getDb()
      .insert(users)
      .values({
        organizationId: actor.organizationId,
        email: form.email,
        displayName: form.displayName,
        role: form.role,
        passwordHash: await hashPassword(initialPassword),
      });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "An account with this email already exists.", { email: ["This email already has an account."] });
    }
    throw error;
  }
  return { email: form.email, initialPassword };
}

export async function createCareTeam(actor: Actor, input: unknown): Promise<{ careTeamId: string }> {
  assertCan(actor, "careTeam:manage");
  const form = parseInput(careTeamSchema, input);
  try {
    const [team] = await getDb()
      .insert(careTeams)
      .values({ organizationId: actor.organizationId, name: form.name })
      .returning({ id: careTeams.id });
    return { careTeamId: team!.id };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "A care team with this name exists.", { name: ["A care team with this name exists."] });
    }
    throw error;
  }
}

async function assertOwnCareTeam(actor: Actor, careTeamId: string): Promise<void> {
  const [team] = await getDb()
    .select({ id: careTeams.id })
    .from(careTeams)
    .where(and(eq(careTeams.id, careTeamId), eq(careTeams.organizationId, actor.organizationId)));
  if (!team) throw notFound("care team");
}

export async function addClinicianToCareTeam(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, "careTeam:manage");
  const form = parseInput(careTeamMemberSchema, input);
  await assertOwnCareTeam(actor, form.careTeamId);
  const [clinician] = await getDb()
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, form.clinicianUserId), eq(users.organizationId, actor.organizationId), eq(users.role, "clinician")));
  if (!clinician) throw notFound("clinician");
  await getDb().insert(careTeamMembers).values(form).onConflictDoNothing();
}

export async function assignPatientToCareTeam(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, "careTeam:manage");
  const form = parseInput(careTeamPatientSchema, input);
  await assertOwnCareTeam(actor, form.careTeamId);
  const [patient] = await getDb()
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.id, form.patientId), patientVisibleTo(actor)));
  if (!patient) throw notFound("patient");
  await getDb().insert(careTeamPatients).values(form).onConflictDoNothing();
}

export interface OrganizationOverview {
  staff: { id: string; displayName: string; email: string; role: "clinician" | "admin" }[];
  careTeams: { id: string; name: string; clinicians: string[]; patients: string[] }[];
  patients: { id: string; name: string }[];
}

/** What the admin page shows: staff, care teams with their members, and the patients to assign. */
export async function getOrganizationOverview(actor: Actor): Promise<OrganizationOverview> {
  assertCan(actor, "careTeam:manage");
  const db = getDb();
  const [staffRows, teamRows, memberRows, patientRows, teamPatientRows] = await Promise.all([
    db
      .select({ id: users.id, displayName: users.displayName, email: users.email, role: users.role })
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
  return {
    staff: staffRows.flatMap((user) =>
      user.role === "clinician" || user.role === "admin" ? [{ ...user, role: user.role }] : [],
    ),
    careTeams: teamRows.map((team) => ({
      ...team,
      clinicians: memberRows.filter((m) => m.careTeamId === team.id).map((m) => m.name),
      patients: teamPatientRows.filter((p) => p.careTeamId === team.id).map((p) => patientName.get(p.patientId) ?? ""),
    })),
    patients: [...patientName].map(([id, name]) => ({ id, name })),
  };
}
