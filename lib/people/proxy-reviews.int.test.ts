import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, careTeamPatients, careTeamTasks, guardianLinks } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { stopPeriodicJobs } from "@/lib/periodic";
import { insertCareTeam, insertGuardianLink, insertOrganization, insertPatient, insertUser } from "@/test/factories";
import { completeCareTeamTask, createDueProxyReviews, listCareTeamTasks, startProxyReviewJob } from "./proxy-reviews";

const reviewsOf = async (patientId: string) =>
  (await getDb().select({ age: careTeamTasks.ageYears, dueOn: careTeamTasks.dueOn, kind: careTeamTasks.kind }).from(careTeamTasks).where(eq(careTeamTasks.patientId, patientId))).sort((a, b) => a.age - b.age);
const at = (day: string) => new Date(`${day}T09:00:00Z`);
const LONG_AGO = new Date("2017-01-01T00:00:00Z");

let organizationId: string;
let clinician: UserActor;
let otherClinician: UserActor;
let careTeamId: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  clinician = await insertUser(organizationId, "clinician");
  otherClinician = await insertUser(organizationId, "clinician");
  careTeamId = (await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId] })).id;
  await insertCareTeam(organizationId, { clinicianUserIds: [otherClinician.userId] });
});

/** A child of the care team born on `birthDate`, with a guardian confirmed on `confirmedAt` (or none). */
async function childWithGuardian(birthDate: string, confirmedAt: Date | null) {
  const { id } = await insertPatient(organizationId, { birthDate });
  await getDb().insert(careTeamPatients).values({ careTeamId, patientId: id });
  const guardian = await insertUser(organizationId, "guardian");
  await insertGuardianLink(guardian.userId, id, confirmedAt ? { confirmedAt } : { confirmed: false });
  return { patientId: id, guardian };
}

afterEach(async () => {
  vi.useRealTimers();
  await stopPeriodicJobs();
});

describe("proxy reviews at a child's configured birthdays (default 11 and 16)", () => {
  it("creates a task for the care team on the 11th birthday, not the day before, and once however often the job runs", async () => {
    const { patientId } = await childWithGuardian("2016-03-20", LONG_AGO);
    await createDueProxyReviews(at("2027-03-19"));
    expect(await reviewsOf(patientId)).toEqual([]);
    await createDueProxyReviews(at("2027-03-20"));
    await Promise.all([createDueProxyReviews(at("2027-03-20")), createDueProxyReviews(at("2027-03-20"))]);
    await createDueProxyReviews(at("2027-09-01"));
    expect(await reviewsOf(patientId)).toEqual([{ age: 11, dueOn: "2027-03-20", kind: "proxy-review" }]);
    await createDueProxyReviews(at("2032-03-20"));
    await createDueProxyReviews(at("2032-03-21"));
    expect(await reviewsOf(patientId)).toEqual([
      { age: 11, dueOn: "2027-03-20", kind: "proxy-review" },
      { age: 16, dueOn: "2032-03-20", kind: "proxy-review" },
    ]);
  });

  it("needs a confirmed guardian link that existed on the birthday: none for a child registered at 12, nor without a confirmed guardian", async () => {
    const registeredAt12 = await childWithGuardian("2014-05-01", at("2026-06-01"));
    const unconfirmed = await childWithGuardian("2016-05-01", null);
    await createDueProxyReviews(at("2030-05-01"));
    expect(await reviewsOf(registeredAt12.patientId)).toEqual([{ age: 16, dueOn: "2030-05-01", kind: "proxy-review" }]);
    expect(await reviewsOf(unconfirmed.patientId)).toEqual([]);
  });

  it("none once the young person ended every guardian's access", async () => {
    const { patientId, guardian } = await childWithGuardian("2015-07-07", LONG_AGO);
    await getDb().update(guardianLinks).set({ endedByPatientAt: at("2026-01-01") }).where(and(eq(guardianLinks.patientId, patientId), eq(guardianLinks.guardianUserId, guardian.userId)));
    await createDueProxyReviews(at("2031-07-07"));
    expect(await reviewsOf(patientId)).toEqual([]);
  });

  it("follows the configured ages", async () => {
    const { patientId } = await childWithGuardian("2015-02-02", LONG_AGO);
    await createDueProxyReviews(at("2028-02-02"), [13]);
    expect(await reviewsOf(patientId)).toEqual([{ age: 13, dueOn: "2028-02-02", kind: "proxy-review" }]);
  });

  it("is created by the periodic job runner with the clock of the day", async () => {
    const { patientId } = await childWithGuardian("2016-11-11", LONG_AGO);
    vi.useFakeTimers({ toFake: ["Date"], now: at("2027-11-11") });
    startProxyReviewJob(60_000);
    await vi.waitFor(async () => expect(await reviewsOf(patientId)).toHaveLength(1), { timeout: 10_000 });
    expect(await reviewsOf(patientId)).toEqual([{ age: 11, dueOn: "2027-11-11", kind: "proxy-review" }]);
  });

  it("is listed to the clinicians of the child's care team only, who complete it (audited); a completed task leaves the list", async () => {
    const { patientId } = await childWithGuardian("2013-01-10", LONG_AGO);
    await createDueProxyReviews(at("2029-01-10"));
    const mine = (await listCareTeamTasks(clinician)).filter((task) => task.patientId === patientId);
    expect(mine).toEqual([{ id: expect.any(String), kind: "proxy-review", patientId, patientName: expect.any(String), ageYears: 11, dueOn: "2024-01-10" }, { id: expect.any(String), kind: "proxy-review", patientId, patientName: expect.any(String), ageYears: 16, dueOn: "2029-01-10" }]);
    expect((await listCareTeamTasks(otherClinician)).filter((task) => task.patientId === patientId)).toEqual([]);
    await expect(completeCareTeamTask(otherClinician, { taskId: mine[0]!.id })).rejects.toMatchObject({ code: "not_found" });
    await completeCareTeamTask(clinician, { taskId: mine[0]!.id });
    expect((await listCareTeamTasks(clinician)).filter((task) => task.patientId === patientId).map((task) => task.ageYears)).toEqual([16]);
    await expect(completeCareTeamTask(clinician, { taskId: mine[0]!.id })).rejects.toMatchObject({ code: "not_found" });
    const events = await getDb().select().from(auditEvents).where(and(eq(auditEvents.resourceType, "Task"), eq(auditEvents.resourceId, mine[0]!.id))).orderBy(auditEvents.seq);
    expect(events.map((event) => [event.actorId, event.action, event.outcome])).toEqual([
      [otherClinician.userId, "update", "denied"],
      [clinician.userId, "update", "success"],
      [clinician.userId, "update", "denied"],
    ]);
  });
});
