import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, patients } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { addClinicianToCareTeam, createCareTeam } from "@/lib/admin/organization";
import type { AppError } from "@/lib/errors";
import { getVisiblePatient } from "@/lib/patients/queries";
import { addManualReading } from "@/lib/readings/manual-entry";
import { listRecentReadings } from "@/lib/readings/queries";
import { hashPassword } from "@/lib/security/password-hashing";
import { insertCareTeam, insertGuardianLink, insertOrganization, insertPatientWithAccount, insertPatient, insertUser, uniqueSuffix } from "@/test/factories";
import { accessLogOf, markReviewed, reviewQueue, searchAuditTrail, whoCanSee } from "./access-log";
import { startBreakGlass } from "./break-glass";
import { sealedRecordNumber } from "@/lib/security/sealed-columns";

const PASSWORD = "amber pelican quarry seventeen lamps";
const appError = (code: AppError["code"], fieldErrors?: Record<string, unknown>) =>
  expect.objectContaining({ name: "AppError", code, ...(fieldErrors ? { fieldErrors: expect.objectContaining(fieldErrors) } : {}) }) as AppError;

let organizationId: string;
let admin: UserActor;
let officer: UserActor;
let teamClinician: UserActor;
let emergencyClinician: UserActor;
let patient: UserActor;
let patientId: string;
let recordNumber: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  admin = await insertUser(organizationId, "admin");
  officer = await insertUser(organizationId, "privacy_officer");
  teamClinician = await insertUser(organizationId, "clinician", { passwordHash: await hashPassword(PASSWORD) });
  emergencyClinician = await insertUser(organizationId, "clinician", { passwordHash: await hashPassword(PASSWORD) });
  const withAccount = await insertPatientWithAccount(organizationId);
  patient = withAccount.actor;
  patientId = withAccount.patientId;
  recordNumber = `MRN-${uniqueSuffix()}`;
  await getDb().update(patients).set(sealedRecordNumber(recordNumber)).where(eq(patients.id, patientId));
  await insertCareTeam(organizationId, { clinicianUserIds: [teamClinician.userId], patientIds: [patientId] });
});

const takenAt = "2026-01-10T08:00";

describe("break-glass", () => {
  it("refuses a wrong password and an unknown record number, on record, and grants nothing", async () => {
    await expect(startBreakGlass(emergencyClinician, { medicalRecordNumber: recordNumber, reason: "Unconscious in the emergency department", password: "not my password at all" })).rejects.toEqual(
      appError("invalid_input", { password: [expect.any(String)] }),
    );
    await expect(startBreakGlass(emergencyClinician, { medicalRecordNumber: "NO-SUCH", reason: "Unconscious in the emergency department", password: PASSWORD })).rejects.toEqual(
      appError("invalid_input", { medicalRecordNumber: [expect.any(String)] }),
    );
    await expect(startBreakGlass(emergencyClinician, { medicalRecordNumber: recordNumber, reason: "because", password: PASSWORD })).rejects.toEqual(
      appError("invalid_input", { reason: [expect.any(String)] }),
    );
    await expect(getVisiblePatient(emergencyClinician, patientId)).rejects.toEqual(appError("not_found"));
    const refusals = await getDb().select().from(auditEvents).where(and(eq(auditEvents.actorId, emergencyClinician.userId), eq(auditEvents.resourceType, "BreakGlass")));
    expect(refusals.map((event) => event.outcome).sort()).toEqual(["denied", "failure"]);
  });

  it("refuses a clinician already on the patient's care team", async () => {
    await expect(startBreakGlass(teamClinician, { medicalRecordNumber: recordNumber, reason: "Checking the break-glass page", password: PASSWORD })).rejects.toEqual(appError("conflict"));
  });

  it("gives a clinician outside the care team read access to that one patient for two hours, audited, reviewed, and in the patient's access log", async () => {
    const otherPatientId = (await insertPatient(organizationId)).id;
    const startedAt = new Date();
    const { patientId: opened, expiresAt } = await startBreakGlass(emergencyClinician, { medicalRecordNumber: recordNumber, reason: "Unconscious in the emergency department", password: PASSWORD }, startedAt);
    expect(opened).toBe(patientId);
    expect(expiresAt.getTime() - startedAt.getTime()).toBe(2 * 3_600_000);

    await expect(getVisiblePatient(emergencyClinician, patientId)).resolves.toMatchObject({ id: patientId });
    await expect(listRecentReadings(emergencyClinician, patientId)).resolves.toEqual(expect.any(Array));
    await expect(getVisiblePatient(emergencyClinician, otherPatientId)).rejects.toEqual(appError("not_found"));
    // Reading only: no writing under break-glass.
    await expect(addManualReading(emergencyClinician, patientId, { value: 120, unit: "mg/dL", takenAt })).rejects.toEqual(appError("not_found"));

    const log = await accessLogOf(patient, patientId);
    const theirs = log.filter((entry) => entry.who === emergencyClinician.displayName);
    expect(theirs.length).toBeGreaterThanOrEqual(3);
    expect(theirs.filter((entry) => entry.action === "read" && entry.outcome === "success" && entry.resourceType === "Patient").every((entry) => entry.breakGlass)).toBe(true);
    expect(theirs[0]).toMatchObject({ role: "clinician" });
    expect(theirs).toContainEqual(expect.objectContaining({ action: "read", resourceType: "Patient", outcome: "success", breakGlass: true }));
    // The refused attempt before the grant is on the log, not marked break-glass.
    expect(theirs.some((entry) => entry.outcome === "denied" && !entry.breakGlass)).toBe(true);
    expect(log.filter((entry) => entry.who === teamClinician.displayName).every((entry) => !entry.breakGlass)).toBe(true);

    const seen = await whoCanSee(patient, patientId);
    expect(seen.breakGlass).toEqual([{ clinician: emergencyClinician.displayName, until: expiresAt, reason: "Unconscious in the emergency department" }]);

    const queue = await reviewQueue(officer);
    const item = queue.find((entry) => entry.resourceType === "BreakGlass" && entry.who === emergencyClinician.displayName);
    expect(item).toMatchObject({ reason: "Unconscious in the emergency department", reviewedAt: null, breakGlass: true });

    const breakGlassOnly = await searchAuditTrail(officer, { breakGlassOnly: "on" });
    expect(breakGlassOnly.length).toBeGreaterThan(0);
    expect(breakGlassOnly.every((entry) => entry.breakGlass)).toBe(true);
  });

  it("ends when the time is up", async () => {
    const late = await insertUser(organizationId, "clinician", { passwordHash: await hashPassword(PASSWORD) });
    await startBreakGlass(late, { medicalRecordNumber: recordNumber, reason: "Night shift emergency review", password: PASSWORD }, new Date(Date.now() - 2 * 3_600_000 - 1000));
    await expect(getVisiblePatient(late, patientId)).rejects.toEqual(appError("not_found"));
  });
});

describe("who accessed my data, and who can see it", () => {
  it("shows a guardian the child's access log and the guardians with the day their access ends", async () => {
    const guardian = await insertUser(organizationId, "guardian");
    const waiting = await insertUser(organizationId, "guardian");
    const childId = (await insertPatient(organizationId, { birthDate: "2015-05-20" })).id;
    await insertGuardianLink(guardian.userId, childId);
    await insertGuardianLink(waiting.userId, childId, { confirmed: false });
    await insertCareTeam(organizationId, { clinicianUserIds: [teamClinician.userId], patientIds: [childId], name: `Paediatrics ${uniqueSuffix()}` });
    await getVisiblePatient(teamClinician, childId);

    const log = await accessLogOf(guardian, childId);
    expect(log.some((entry) => entry.who === teamClinician.displayName && entry.role === "clinician" && entry.action === "read")).toBe(true);
    const seen = await whoCanSee(guardian, childId);
    expect(seen.guardians).toEqual(
      expect.arrayContaining([
        { userId: guardian.userId, name: guardian.displayName, status: "active", accessEnds: "2033-05-19" },
        { userId: waiting.userId, name: waiting.displayName, status: "awaiting-confirmation", accessEnds: "2033-05-19" },
      ]),
    );
    expect(seen.careTeams.some((team) => team.clinicians.includes(teamClinician.displayName))).toBe(true);
    expect(seen.mayVerifyGuardians).toBe(false);
    expect((await whoCanSee(teamClinician, childId)).mayVerifyGuardians).toBe(true);
  });

  it.each(["admin", "privacy_officer"] as const)("is not for a %s (they search the audit trail instead)", async (role) => {
    const actor = role === "admin" ? admin : officer;
    await expect(accessLogOf(actor, patientId)).rejects.toEqual(appError("not_found"));
  });

  it("is not for a clinician outside the care team", async () => {
    await expect(accessLogOf(await insertUser(organizationId, "clinician"), patientId)).rejects.toEqual(appError("not_found"));
  });
});

describe("the audit search", () => {
  it("finds events by record number and by the actor's email, for admins and privacy officers of the organization only", async () => {
    await getVisiblePatient(teamClinician, patientId);
    const byRecord = await searchAuditTrail(admin, { medicalRecordNumber: recordNumber, action: "read" });
    expect(byRecord.length).toBeGreaterThan(0);
    expect(byRecord.every((entry) => entry.recordNumbers.includes(recordNumber) && entry.action === "read")).toBe(true);
    const byActor = await searchAuditTrail(officer, { actorEmail: (teamClinician as UserActor & { email: string }).email.toUpperCase() });
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((entry) => entry.who === teamClinician.displayName)).toBe(true);

    const otherAdmin = await insertUser((await insertOrganization()).id, "admin");
    expect(await searchAuditTrail(otherAdmin, { medicalRecordNumber: recordNumber })).toEqual([]);
    await expect(searchAuditTrail(teamClinician, {})).rejects.toEqual(appError("not_found"));
    await expect(searchAuditTrail(admin, { from: "yesterday" })).rejects.toEqual(appError("invalid_input", { from: [expect.any(String)] }));
  });
});

describe("separation of duties and the privacy officer's review queue", () => {
  it("an admin who puts a clinician on a care team gains no access to readings, and the grant waits for review", async () => {
    const { careTeamId } = await createCareTeam(admin, { name: `Outreach ${uniqueSuffix()}` });
    const newcomer = await insertUser(organizationId, "clinician");
    await addClinicianToCareTeam(admin, { careTeamId, clinicianUserId: newcomer.userId });
    await expect(listRecentReadings(admin, patientId)).rejects.toEqual(appError("not_found"));

    const queue = await reviewQueue(officer);
    const grant = queue.find((entry) => entry.resourceType === "CareTeam" && entry.resourceId === careTeamId);
    expect(grant).toMatchObject({ who: admin.displayName, role: "admin", action: "grant", reviewedAt: null });
    // Creating a care team grants nothing: not in the queue.
    expect(queue.filter((entry) => entry.resourceId === careTeamId)).toHaveLength(1);

    await markReviewed(officer, { auditSeq: grant!.seq });
    const after = await reviewQueue(officer);
    expect(after.find((entry) => entry.seq === grant!.seq)).toMatchObject({ reviewedAt: expect.any(Date), reviewedBy: officer.displayName });

    const [someRead] = await getDb().select().from(auditEvents).where(and(eq(auditEvents.action, "read"), eq(auditEvents.organizationId, organizationId))).limit(1);
    await expect(markReviewed(officer, { auditSeq: someRead!.seq })).rejects.toEqual(appError("not_found"));
    await expect(reviewQueue(admin)).rejects.toEqual(appError("not_found"));
    await expect(markReviewed(admin, { auditSeq: grant!.seq })).rejects.toEqual(appError("not_found"));
  });
});
