import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, guardianLinks, invitations, patients, users } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { internalOrigin } from "@/lib/access/actor";
import { createStaffAccount } from "@/lib/admin/organization";
import { authenticate } from "@/lib/auth/authenticate";
import type { AppError } from "@/lib/errors";
import { getVisiblePatient } from "@/lib/patients/queries";
import { insertCareTeam, insertOrganization, insertUser, originFrom, uniqueEmail, uniqueSuffix } from "@/test/factories";
import { startSmtpReceiver, type ReceivedMail } from "@/test/smtp-receiver";
import { acceptInvitation, describeInvitation } from "./invitations";
import { confirmGuardianLink, registerPatientByClinic, renewGuardianLink } from "./registration";

// A real SMTP server receives every invitation (the configuration is read on first use, after this).
const receiver = await startSmtpReceiver();
vi.stubEnv("LANTERN_SMTP_URL", receiver.url);
afterAll(() => receiver.stop());

const SITE = "https://lantern.test";
const STRONG = "violet harbour trombone sixty kettles";
const anonymous = () => ({ kind: "anonymous" as const, origin: originFrom(`198.51.100.${randomBytes(1)[0]}-${uniqueSuffix()}`) });
const appError = (code: AppError["code"], fieldErrors?: Record<string, unknown>) =>
  expect.objectContaining({ name: "AppError", code, ...(fieldErrors ? { fieldErrors: expect.objectContaining(fieldErrors) } : {}) }) as AppError;

/** The one message sent to `email`, and the token of its link. */
async function invitationTo(email: string): Promise<{ message: ReceivedMail; token: string }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const message = receiver.messages.find((m) => m.to.includes(email));
    if (message) return { message, token: /\/invitation\/(inv_[A-Za-z0-9_-]+)/.exec(message.text)![1]! };
    if (Date.now() > deadline) throw new Error(`no invitation reached ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function actorFor(email: string): Promise<UserActor> {
  const [user] = await getDb().select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return { kind: "user", userId: user!.id, role: user!.role, organizationId: user!.organizationId, displayName: user!.displayName, origin: internalOrigin() };
}

let organizationId: string;
let admin: UserActor;
let clinician: UserActor;
let careTeamId: string;
let otherTeamId: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  admin = await insertUser(organizationId, "admin");
  clinician = await insertUser(organizationId, "clinician");
  careTeamId = (await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId] })).id;
  otherTeamId = (await insertCareTeam(organizationId)).id;
});

type Form = Record<string, string> & { guardianEmail: string; familyName: string };
const child = (overrides: Record<string, string> = {}): Form => ({
  givenName: "Kit",
  familyName: `Child${uniqueSuffix()}`,
  birthDate: "2017-04-02",
  timezone: "Europe/London",
  preferredUnit: "mmol/L",
  medicalRecordNumber: `MRN-${uniqueSuffix()}`,
  careTeamId,
  guardianName: "Grace Parent",
  guardianEmail: uniqueEmail("guardian"),
  guardiansVerified: "on",
  ...overrides,
});

describe("invitations to set one's own password", () => {
  it("a staff member sets their password from the emailed link, once, under the password policy", async () => {
    const email = uniqueEmail("nurse");
    await createStaffAccount(admin, { displayName: "Nia Nurse", email, role: "clinician" }, SITE);
    const { message, token } = await invitationTo(email);
    expect(message.subject).toBe("Set your Lantern password");
    expect(await describeInvitation(token)).toEqual({ email, displayName: "Nia Nurse" });
    const [stored] = await getDb().select().from(invitations).innerJoin(users, eq(users.id, invitations.userId)).where(eq(users.email, email));
    expect(stored!.invitations.tokenHash).not.toContain(token.slice(4));
    expect(stored!.invitations.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    await expect(acceptInvitation(anonymous(), token, { password: "short", confirmPassword: "short" })).rejects.toEqual(appError("invalid_input", { password: [expect.any(String)] }));
    await expect(acceptInvitation(anonymous(), token, { password: STRONG, confirmPassword: `${STRONG}!` })).rejects.toEqual(
      appError("invalid_input", { confirmPassword: [expect.any(String)] }),
    );
    await expect(acceptInvitation(anonymous(), token, { password: STRONG, confirmPassword: STRONG })).resolves.toEqual({ email });

    expect(await authenticate(email, STRONG, originFrom(`203.0.113.${uniqueSuffix()}`))).toEqual({ userId: stored!.users.id });
    await expect(acceptInvitation(anonymous(), token, { password: `${STRONG} again`, confirmPassword: `${STRONG} again` })).rejects.toEqual(appError("conflict"));
    expect(await describeInvitation(token)).toBeNull();
  });

  it("a link past its expiry sets nothing", async () => {
    const email = uniqueEmail("late");
    await createStaffAccount(admin, { displayName: "Lou Late", email, role: "admin" }, SITE);
    const { token } = await invitationTo(email);
    const inFourDays = new Date(Date.now() + 4 * 24 * 3_600_000);
    await expect(acceptInvitation(anonymous(), token, { password: STRONG, confirmPassword: STRONG }, inFourDays)).rejects.toEqual(appError("conflict"));
    expect(await authenticate(email, STRONG, originFrom(`203.0.113.${uniqueSuffix()}`))).toBeNull();
  });

  it("a made-up token is refused", async () => {
    await expect(acceptInvitation(anonymous(), "inv_nothing", { password: STRONG, confirmPassword: STRONG })).rejects.toEqual(appError("conflict"));
  });
});

describe("a clinician registers a child with their guardians", () => {
  it("creates the record on their care team, invites both guardians, and the guardians see the child once they set a password", async () => {
    const form = child({ secondGuardianName: "Gil Parent", secondGuardianEmail: uniqueEmail("guardian2") });
    const result = await registerPatientByClinic(clinician, form, SITE);

    expect(result.invited.sort()).toEqual([form.guardianEmail, form.secondGuardianEmail!].sort());
    expect(result.guardiansConfirmed).toBe(true);
    await expect(getVisiblePatient(clinician, result.patientId)).resolves.toMatchObject({ givenName: "Kit", medicalRecordNumber: form.medicalRecordNumber });

    const { token, message } = await invitationTo(form.guardianEmail);
    expect(message.text).not.toContain(form.familyName);
    await acceptInvitation(anonymous(), token, { password: STRONG, confirmPassword: STRONG });
    const guardian = await actorFor(form.guardianEmail);
    expect(guardian.role).toBe("guardian");
    await expect(getVisiblePatient(guardian, result.patientId)).resolves.toMatchObject({ id: result.patientId });

    const links = await getDb().select().from(guardianLinks).where(eq(guardianLinks.patientId, result.patientId));
    expect(links).toHaveLength(2);
    for (const link of links) expect(link).toMatchObject({ confirmedByUserId: clinician.userId, confirmedAt: expect.any(Date) });
    const grants = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "grant"), eq(auditEvents.resourceType, "GuardianLink"), sql`${result.patientId}::uuid = any(${auditEvents.patientIds})`));
    expect(grants).toHaveLength(2);
  });

  it("links a guardian who already has an account (a sibling's) without a new invitation", async () => {
    const first = child();
    await registerPatientByClinic(clinician, first, SITE);
    const second = await registerPatientByClinic(clinician, child({ guardianEmail: first.guardianEmail.toUpperCase() }), SITE);
    expect(second.invited).toEqual([]);
    expect(receiver.messages.filter((m) => m.to.includes(first.guardianEmail))).toHaveLength(1);
  });

  it("invites a teenager given their own email as a patient", async () => {
    const form = child({ birthDate: "2011-09-09", patientEmail: uniqueEmail("teen") });
    const result = await registerPatientByClinic(clinician, form, SITE);
    expect(result.invited).toContain(form.patientEmail);
    const { token } = await invitationTo(form.patientEmail!);
    await acceptInvitation(anonymous(), token, { password: STRONG, confirmPassword: STRONG });
    await expect(getVisiblePatient(await actorFor(form.patientEmail!), result.patientId)).resolves.toMatchObject({ id: result.patientId });
  });

  it.each([
    ["a child without a guardian", { guardianName: "", guardianEmail: "" }, "guardianEmail"],
    ["guardians for an adult", { birthDate: "1990-01-01" }, "guardianEmail"],
    ["guardians not confirmed as verified", { guardiansVerified: "" }, "guardiansVerified"],
    ["a care team the clinician is not on", { careTeamId: "OTHER" }, "careTeamId"],
    ["a birth date in the future", { birthDate: "2999-01-01" }, "birthDate"],
    ["a guardian name without an email", { guardianEmail: "" }, "guardianEmail"],
    ["a staff member's email as a guardian", { guardianEmail: "STAFF" }, "guardianEmail"],
  ])("refuses %s, on the field to fix, and creates nothing", async (_case, overrides, field) => {
    const resolved = Object.fromEntries(
      Object.entries(overrides).map(([key, value]) => [key, value === "OTHER" ? otherTeamId : value === "STAFF" ? (clinician as UserActor & { email: string }).email : value]),
    );
    const form = child(resolved);
    await expect(registerPatientByClinic(clinician, form, SITE)).rejects.toEqual(appError("invalid_input", { [field]: [expect.any(String)] }));
    const [count] = await getDb().select({ n: sql<number>`count(*)::int` }).from(patients).where(eq(patients.familyName, form.familyName));
    expect(count!.n).toBe(0);
  });

  it.each(["patient", "guardian", "privacy_officer"] as const)("answers not_found to a %s", async (role) => {
    await expect(registerPatientByClinic(await insertUser(organizationId, role), child(), SITE)).rejects.toEqual(appError("not_found"));
  });
});

describe("an admin registers a child: the guardian waits for a clinician's confirmation", () => {
  it("gives the guardian no access until a clinician of the care team confirms the link", async () => {
    const form = child({ guardiansVerified: "" });
    const result = await registerPatientByClinic(admin, form, SITE);
    expect(result.guardiansConfirmed).toBe(false);
    const { token } = await invitationTo(form.guardianEmail);
    await acceptInvitation(anonymous(), token, { password: STRONG, confirmPassword: STRONG });
    const guardian = await actorFor(form.guardianEmail);
    await expect(getVisiblePatient(guardian, result.patientId)).rejects.toEqual(appError("not_found"));

    const outsider = await insertUser(organizationId, "clinician");
    await expect(confirmGuardianLink(outsider, { patientId: result.patientId, guardianUserId: guardian.userId })).rejects.toEqual(appError("not_found"));
    await expect(confirmGuardianLink(admin, { patientId: result.patientId, guardianUserId: guardian.userId })).rejects.toEqual(appError("not_found"));
    await confirmGuardianLink(clinician, { patientId: result.patientId, guardianUserId: guardian.userId });
    await expect(getVisiblePatient(guardian, result.patientId)).resolves.toMatchObject({ id: result.patientId });
  });
});

describe("renewing a guardian's access past the 18th birthday", () => {
  it("lets a clinician of the care team extend it to a day, not before today", async () => {
    const form = child({ birthDate: "2008-06-01" });
    const { patientId } = await registerPatientByClinic(clinician, form, SITE, new Date("2025-01-10T12:00:00Z"));
    const guardian = await actorFor(form.guardianEmail);
    await expect(renewGuardianLink(clinician, { patientId, guardianUserId: guardian.userId, renewedUntil: "2020-01-01" })).rejects.toEqual(
      appError("invalid_input", { renewedUntil: [expect.any(String)] }),
    );
    await renewGuardianLink(clinician, { patientId, guardianUserId: guardian.userId, renewedUntil: "2099-12-31" });
    const [link] = await getDb().select().from(guardianLinks).where(eq(guardianLinks.patientId, patientId));
    expect(link!.renewedUntil).toBe("2099-12-31");
  });
});
