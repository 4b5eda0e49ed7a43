import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { careTeamMembers, careTeamPatients, careTeams, users } from "@/db/schema";
import type { UserRole } from "@/db/schema/users";
import type { UserActor } from "@/lib/access/actor";
import { authenticate } from "@/lib/auth/authenticate";
import type { AppError } from "@/lib/errors";
import { getVisiblePatient } from "@/lib/patients/queries";
import {
  insertCareTeam,
  insertGuardianLink,
  insertOrganization,
  insertPatient,
  insertPatientWithAccount,
  insertUser,
  originFrom,
  uniqueEmail,
  uniqueSuffix,
} from "@/test/factories";
import { startSmtpReceiver } from "@/test/smtp-receiver";
import {
  addClinicianToCareTeam,
  assignPatientToCareTeam,
  createCareTeam,
  createStaffAccount,
  getOrganizationOverview,
} from "./organization";

// A real SMTP server receives the invitations (the configuration is read on first use, after this).
const receiver = await startSmtpReceiver();
vi.stubEnv("LANTERN_SMTP_URL", receiver.url);
afterAll(() => receiver.stop());
const SITE = "https://lantern.test";

let organizationId: string;
let admin: UserActor;
let clinician: UserActor;
let otherOrganizationId: string;
let otherAdmin: UserActor;
let otherClinician: UserActor;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  admin = await insertUser(organizationId, "admin");
  clinician = await insertUser(organizationId, "clinician");
  otherOrganizationId = (await insertOrganization()).id;
  otherAdmin = await insertUser(otherOrganizationId, "admin");
  otherClinician = await insertUser(otherOrganizationId, "clinician");
});

const appError = (code: AppError["code"], fieldErrors?: Record<string, unknown>) =>
  expect.objectContaining({ name: "AppError", code, ...(fieldErrors ? { fieldErrors: expect.objectContaining(fieldErrors) } : {}) }) as AppError;

const freshAddress = () => originFrom(`192.0.2.${randomBytes(1)[0]}-${uniqueSuffix()}`);

async function usersWithEmail(email: string) {
  return getDb().select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
}

async function teamMembers(careTeamId: string) {
  return getDb().select().from(careTeamMembers).where(eq(careTeamMembers.careTeamId, careTeamId));
}

async function teamPatients(careTeamId: string) {
  return getDb().select().from(careTeamPatients).where(eq(careTeamPatients.careTeamId, careTeamId));
}

describe("createStaffAccount", () => {
  it.each(["clinician", "admin", "privacy_officer"] as const)("creates a %s in the admin's organization, emails them a link, and no password signs in", async (role) => {
    const email = uniqueEmail(`staff-${role}`);
    const before = receiver.messages.length;

    const created = await createStaffAccount(admin, { displayName: `New ${role}`, email, role }, SITE);

    expect(created).toEqual({ email });
    const [user] = await usersWithEmail(email);
    expect(user).toMatchObject({ role, organizationId, displayName: `New ${role}` });
    const [message] = (await receiver.waitFor(before + 1)).slice(before);
    expect(message).toMatchObject({ to: [email], subject: "Set your Lantern password" });
    expect(message!.text).toMatch(new RegExp(`${SITE}/invitation/inv_[A-Za-z0-9_-]{43}`));
    // Nothing the admin saw or could guess signs in as the new account.
    expect(JSON.stringify(created)).not.toMatch(/password/i);
    expect(await authenticate(email, "", freshAddress())).toBeNull();
    expect(await authenticate(email, user!.passwordHash, freshAddress())).toBeNull();
  });

  it.each(["clinician", "patient", "guardian", "privacy_officer"] as const satisfies UserRole[])("answers not_found to a %s and creates nobody", async (role) => {
    const caller = await insertUser(organizationId, role);
    const email = uniqueEmail("forbidden-staff");

    await expect(createStaffAccount(caller, { displayName: "Intruder", email, role: "admin" }, SITE)).rejects.toEqual(appError("not_found"));

    expect(await usersWithEmail(email)).toHaveLength(0);
  });

  it("refuses an email that already has an account, in any letter case, as a conflict on the email field", async () => {
    const email = uniqueEmail("taken");
    await createStaffAccount(admin, { displayName: "First", email, role: "clinician" }, SITE);

    await expect(createStaffAccount(otherAdmin, { displayName: "Second", email: email.toUpperCase(), role: "admin" }, SITE)).rejects.toEqual(
      appError("conflict", { email: [expect.any(String)] }),
    );
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it("refuses a role outside staff on the role field", async () => {
    const email = uniqueEmail("not-staff");

    await expect(createStaffAccount(admin, { displayName: "Patient?", email, role: "patient" }, SITE)).rejects.toEqual(
      appError("invalid_input", { role: [expect.any(String)] }),
    );
    expect(await usersWithEmail(email)).toHaveLength(0);
  });
});

describe("care teams", () => {
  it("make a patient visible to a clinician once both are on the same team", async () => {
    const patientId = (await insertPatient(organizationId)).id;
    const teamClinician = await insertUser(organizationId, "clinician");
    await expect(getVisiblePatient(teamClinician, patientId)).rejects.toEqual(appError("not_found"));

    const { careTeamId } = await createCareTeam(admin, { name: `Renal ${uniqueSuffix()}` });
    await addClinicianToCareTeam(admin, { careTeamId, clinicianUserId: teamClinician.userId });
    await expect(getVisiblePatient(teamClinician, patientId)).rejects.toEqual(appError("not_found"));
    await assignPatientToCareTeam(admin, { careTeamId, patientId });

    await expect(getVisiblePatient(teamClinician, patientId)).resolves.toMatchObject({ id: patientId });
    await expect(getVisiblePatient(clinician, patientId)).rejects.toEqual(appError("not_found"));
  });

  it("treat adding the same clinician or patient twice as done once", async () => {
    const { careTeamId } = await createCareTeam(admin, { name: `Twice ${uniqueSuffix()}` });
    const patientId = (await insertPatient(organizationId)).id;

    for (let round = 0; round < 2; round++) {
      await addClinicianToCareTeam(admin, { careTeamId, clinicianUserId: clinician.userId });
      await assignPatientToCareTeam(admin, { careTeamId, patientId });
    }

    expect(await teamMembers(careTeamId)).toHaveLength(1);
    expect(await teamPatients(careTeamId)).toHaveLength(1);
  });

  it("refuse a duplicate name in the organization as a conflict, but allow it in another organization", async () => {
    const name = `Paediatrics ${uniqueSuffix()}`;
    await createCareTeam(admin, { name });

    await expect(createCareTeam(admin, { name })).rejects.toEqual(appError("conflict", { name: [expect.any(String)] }));
    await expect(createCareTeam(otherAdmin, { name })).resolves.toEqual({ careTeamId: expect.any(String) });
    const named = await getDb().select().from(careTeams).where(eq(careTeams.name, name));
    expect(named.map((team) => team.organizationId).sort()).toEqual([organizationId, otherOrganizationId].sort());
  });

  it.each(["clinician", "patient", "guardian"] as const satisfies UserRole[])("answer not_found to a %s managing them", async (role) => {
    const caller = await insertUser(organizationId, role);
    const name = `Forbidden ${uniqueSuffix()}`;
    const team = await insertCareTeam(organizationId);

    await expect(createCareTeam(caller, { name })).rejects.toEqual(appError("not_found"));
    await expect(addClinicianToCareTeam(caller, { careTeamId: team.id, clinicianUserId: clinician.userId })).rejects.toEqual(appError("not_found"));
    await expect(assignPatientToCareTeam(caller, { careTeamId: team.id, patientId: (await insertPatient(organizationId)).id })).rejects.toEqual(
      appError("not_found"),
    );
    expect(await getDb().select().from(careTeams).where(eq(careTeams.name, name))).toHaveLength(0);
    expect(await teamMembers(team.id)).toHaveLength(0);
    expect(await teamPatients(team.id)).toHaveLength(0);
  });

  describe("across organizations", () => {
    it("a care team of another organization is not_found and gains no clinician or patient", async () => {
      const foreignTeam = await insertCareTeam(otherOrganizationId);
      const patientId = (await insertPatient(organizationId)).id;

      await expect(addClinicianToCareTeam(admin, { careTeamId: foreignTeam.id, clinicianUserId: clinician.userId })).rejects.toEqual(
        appError("not_found"),
      );
      await expect(assignPatientToCareTeam(admin, { careTeamId: foreignTeam.id, patientId })).rejects.toEqual(appError("not_found"));

      expect(await teamMembers(foreignTeam.id)).toHaveLength(0);
      expect(await teamPatients(foreignTeam.id)).toHaveLength(0);
    });

    it("a patient of another organization is not_found and is not assigned", async () => {
      const team = await insertCareTeam(organizationId);
      const foreignPatientId = (await insertPatient(otherOrganizationId)).id;

      await expect(assignPatientToCareTeam(admin, { careTeamId: team.id, patientId: foreignPatientId })).rejects.toEqual(appError("not_found"));

      expect(await teamPatients(team.id)).toHaveLength(0);
    });

    it("a clinician of another organization is not_found and does not join", async () => {
      const team = await insertCareTeam(organizationId);

      await expect(addClinicianToCareTeam(admin, { careTeamId: team.id, clinicianUserId: otherClinician.userId })).rejects.toEqual(
        appError("not_found"),
      );

      expect(await teamMembers(team.id)).toHaveLength(0);
    });
  });

  it("only clinicians join a care team: an admin of the organization is not_found", async () => {
    const team = await insertCareTeam(organizationId);

    await expect(addClinicianToCareTeam(admin, { careTeamId: team.id, clinicianUserId: admin.userId })).rejects.toEqual(appError("not_found"));

    const rows = await getDb()
      .select()
      .from(careTeamMembers)
      .where(and(eq(careTeamMembers.careTeamId, team.id), eq(careTeamMembers.clinicianUserId, admin.userId)));
    expect(rows).toHaveLength(0);
  });

  it.each([
    { field: "careTeamId", input: () => ({ careTeamId: "not-a-uuid", clinicianUserId: clinician.userId }) },
    { field: "clinicianUserId", input: () => ({ careTeamId: "00000000-0000-4000-8000-000000000000", clinicianUserId: "nope" }) },
  ])("refuses a malformed $field as invalid_input", async ({ field, input }) => {
    await expect(addClinicianToCareTeam(admin, input())).rejects.toEqual(appError("invalid_input", { [field]: [expect.any(String)] }));
  });
});

describe("getOrganizationOverview", () => {
  it("shows the staff, care teams and patients of the admin's organization only", async () => {
    const ownOrganizationId = (await insertOrganization()).id;
    const ownAdmin = await insertUser(ownOrganizationId, "admin", { displayName: "Ada Admin" });
    const ownClinician = await insertUser(ownOrganizationId, "clinician", { displayName: "Cy Clinician" });
    const ownGuardian = await insertUser(ownOrganizationId, "guardian");
    const ownPatient = await insertPatientWithAccount(ownOrganizationId);
    const childId = (await insertPatient(ownOrganizationId, { givenName: "Kit", familyName: "Young" })).id;
    await insertGuardianLink(ownGuardian.userId, childId);
    const ownTeam = await insertCareTeam(ownOrganizationId, { name: "Endocrinology", clinicianUserIds: [ownClinician.userId], patientIds: [childId] });
    await insertCareTeam(ownOrganizationId, { name: "Adults" });

    const foreignOrganizationId = (await insertOrganization()).id;
    const foreignClinician = await insertUser(foreignOrganizationId, "clinician");
    const foreignPatientId = (await insertPatient(foreignOrganizationId)).id;
    await insertCareTeam(foreignOrganizationId, { name: "Endocrinology", clinicianUserIds: [foreignClinician.userId], patientIds: [foreignPatientId] });
    await insertCareTeam(foreignOrganizationId, { clinicianUserIds: [ownClinician.userId] });

    const overview = await getOrganizationOverview(ownAdmin);

    expect(overview.staff.map((person) => [person.id, person.role])).toEqual([
      [ownAdmin.userId, "admin"],
      [ownClinician.userId, "clinician"],
    ]);
    expect(overview.careTeams).toEqual([
      { id: expect.any(String), name: "Adults", clinicians: [], patients: [] },
      { id: ownTeam.id, name: "Endocrinology", clinicians: ["Cy Clinician"], patients: ["Kit Young"] },
    ]);
    expect(overview.patients.map((patient) => patient.id).sort()).toEqual([ownPatient.patientId, childId].sort());
  });

  it("answers not_found to a clinician", async () => {
    await expect(getOrganizationOverview(clinician)).rejects.toEqual(appError("not_found"));
  });
});
