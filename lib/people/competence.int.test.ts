import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, patients } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { patientVisibleTo } from "@/lib/access/visibility";
import { whoCanSee } from "@/lib/oversight/access-log";
import { getVisiblePatient } from "@/lib/patients/queries";
import { insertCareTeam, insertGuardianLink, insertOrganization, insertPatient, insertUser } from "@/test/factories";
import { latestCompetenceAssessment } from "@/lib/access/competence";
import { limitGuardianAccess, recordCompetenceAssessment } from "./competence";

const NOW = new Date("2026-12-03T10:00:00Z");
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

async function sees(actor: UserActor, patientId: string, at: Date): Promise<boolean> {
  return (await getDb().select({ id: patients.id }).from(patients).where(and(eq(patients.id, patientId), patientVisibleTo(actor, "read", at)))).length === 1;
}

let clinician: UserActor;
let outsider: UserActor;
let teenager: UserActor;
let teenagerId: string;
let mother: UserActor;
let father: UserActor;

beforeAll(async () => {
  const organizationId = (await insertOrganization()).id;
  clinician = await insertUser(organizationId, "clinician");
  outsider = await insertUser(organizationId, "clinician");
  teenager = await insertUser(organizationId, "patient");
  teenagerId = (await insertPatient(organizationId, { userId: teenager.userId, birthDate: "2011-04-01" })).id;
  await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId], patientIds: [teenagerId] });
  await insertCareTeam(organizationId, { clinicianUserIds: [outsider.userId] });
  mother = await insertUser(organizationId, "guardian");
  father = await insertUser(organizationId, "guardian");
  await insertGuardianLink(mother.userId, teenagerId);
  await insertGuardianLink(father.userId, teenagerId);
});

describe("a young person judged competent limits their guardians' access", () => {
  it("cannot before a clinician of the care team recorded them competent", async () => {
    await expect(limitGuardianAccess(teenager, { patientId: teenagerId, guardianUserId: mother.userId, choice: "end" }, NOW)).rejects.toMatchObject({
      code: "forbidden",
      message: "Your care team has not recorded that you can decide this on your own yet. Ask them at your next visit, and they can record it.",
    });
    await recordCompetenceAssessment(clinician, { patientId: teenagerId, competent: "no", note: "Revisit at next clinic" }, new Date(NOW.getTime() - 60_000));
    await expect(limitGuardianAccess(teenager, { patientId: teenagerId, guardianUserId: mother.userId, choice: "end" }, NOW)).rejects.toMatchObject({ code: "forbidden" });
    expect(await getVisiblePatient(mother, teenagerId)).toMatchObject({ id: teenagerId });
  });

  it("only a clinician of the care team records the assessment, and it is on the audit trail", async () => {
    await expect(recordCompetenceAssessment(outsider, { patientId: teenagerId, competent: "yes" }, NOW)).rejects.toMatchObject({ code: "not_found" });
    await expect(recordCompetenceAssessment(mother, { patientId: teenagerId, competent: "yes" }, NOW)).rejects.toMatchObject({ code: "not_found" });
    await expect(recordCompetenceAssessment(clinician, { patientId: teenagerId, competent: "maybe" }, NOW)).rejects.toMatchObject({
      fieldErrors: { competent: ["Choose whether the young person is competent to decide"] },
    });
    await recordCompetenceAssessment(clinician, { patientId: teenagerId, competent: "yes", note: "Understands who sees what and why" }, NOW);
    expect(await latestCompetenceAssessment(getDb(), teenagerId)).toEqual({ competent: true, assessedAt: NOW });
    const events = await getDb().select().from(auditEvents).where(eq(auditEvents.resourceType, "CompetenceAssessment")).orderBy(auditEvents.seq);
    expect(events.filter((event) => event.patientIds.includes(teenagerId)).map((event) => [event.actorId, event.action, event.outcome])).toEqual([
      [clinician.userId, "create", "success"],
      [outsider.userId, "create", "denied"],
      [clinician.userId, "create", "success"],
    ]);
  });

  it("then limits one guardian to a last day: seen until that day, 404 after", async () => {
    await expect(limitGuardianAccess(teenager, { patientId: teenagerId, guardianUserId: father.userId, choice: "limit", lastDay: "2026-12-02" }, NOW)).rejects.toMatchObject({
      fieldErrors: { lastDay: ["Choose today or a later day. To stop their access now, choose End access."] },
    });
    await expect(limitGuardianAccess(teenager, { patientId: teenagerId, guardianUserId: father.userId, choice: "limit" }, NOW)).rejects.toMatchObject({
      fieldErrors: { lastDay: ["Enter the last day they can see your record"] },
    });
    await limitGuardianAccess(teenager, { patientId: teenagerId, guardianUserId: father.userId, choice: "limit", lastDay: "2026-12-31" }, NOW);
    expect(await sees(father, teenagerId, day("2026-12-31"))).toBe(true);
    expect(await sees(father, teenagerId, day("2027-01-01"))).toBe(false);
    expect(await sees(mother, teenagerId, day("2027-01-01"))).toBe(true);
  });

  it("and ends the other's access at once: the guardian gets 404, the record lists them as ended", async () => {
    await limitGuardianAccess(teenager, { patientId: teenagerId, guardianUserId: mother.userId, choice: "end" }, NOW);
    await expect(getVisiblePatient(mother, teenagerId)).rejects.toMatchObject({ code: "not_found" });
    await expect(whoCanSee(mother, teenagerId)).rejects.toMatchObject({ code: "not_found" });
    const seen = await whoCanSee(teenager, teenagerId, NOW);
    expect(seen.guardians.map(({ userId, status, accessEnds }) => ({ userId, status, accessEnds })).sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
      [
        { userId: mother.userId, status: "ended", accessEnds: null },
        { userId: father.userId, status: "active", accessEnds: "2026-12-31" },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    );
    expect(seen.mayLimitGuardians).toBe(true);
    // Ended is final: neither the young person nor anyone else reopens it here.
    await expect(limitGuardianAccess(teenager, { patientId: teenagerId, guardianUserId: mother.userId, choice: "limit", lastDay: "2027-06-01" }, NOW)).rejects.toMatchObject({ code: "not_found" });
    const revocations = await getDb().select().from(auditEvents).where(and(eq(auditEvents.resourceType, "GuardianLink"), eq(auditEvents.actorId, teenager.userId))).orderBy(auditEvents.seq);
    expect(revocations.map((event) => [event.action, event.resourceId, event.outcome])).toEqual([
      ["revoke", father.userId, "success"],
      ["revoke", mother.userId, "success"],
      ["revoke", mother.userId, "denied"],
    ]);
  });

  it("is for the young person themself: a guardian cannot limit another guardian", async () => {
    await expect(limitGuardianAccess(father, { patientId: teenagerId, guardianUserId: mother.userId, choice: "end" }, NOW)).rejects.toMatchObject({ code: "not_found" });
  });

  it("an adult needs no competence assessment", async () => {
    const adultId = (await insertPatient(clinician.organizationId, { birthDate: "1990-01-01" })).id;
    await insertCareTeam(clinician.organizationId, { clinicianUserIds: [clinician.userId], patientIds: [adultId] });
    await expect(recordCompetenceAssessment(clinician, { patientId: adultId, competent: "yes" }, NOW)).rejects.toMatchObject({
      fieldErrors: { competent: ["An adult decides for themself: a competence assessment is for patients under 18."] },
    });
  });
});
