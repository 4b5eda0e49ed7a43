import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { breakGlassGrants, patients } from "@/db/schema";
import type { UserActor } from "@/lib/access/actor";
import { insertCareTeam, insertGuardianLink, insertOrganization, insertPatient, insertUser } from "@/test/factories";
import { patientVisibleTo, type AccessKind } from "./visibility";

/** The visibility rule on a given day: guardians until the 18th birthday, break-glass while it lasts. */
async function sees(actor: UserActor, patientId: string, at: Date, access: AccessKind = "read"): Promise<boolean> {
  const rows = await getDb().select({ id: patients.id }).from(patients).where(and(eq(patients.id, patientId), patientVisibleTo(actor, access, at)));
  return rows.length === 1;
}

let organizationId: string;
let guardian: UserActor;
let childId: string;
let renewedId: string;
let unconfirmedId: string;

beforeAll(async () => {
  organizationId = (await insertOrganization()).id;
  guardian = await insertUser(organizationId, "guardian");
  childId = (await insertPatient(organizationId, { birthDate: "2010-03-15" })).id;
  renewedId = (await insertPatient(organizationId, { birthDate: "2010-03-15" })).id;
  unconfirmedId = (await insertPatient(organizationId, { birthDate: "2016-01-01" })).id;
  await insertGuardianLink(guardian.userId, childId);
  await insertGuardianLink(guardian.userId, renewedId, { renewedUntil: "2029-03-14" });
  await insertGuardianLink(guardian.userId, unconfirmedId, { confirmed: false });
});

describe("a guardian's access, by the day", () => {
  it.each([
    ["on the day before the 18th birthday", "2028-03-14T23:59:00Z", true],
    ["on the 18th birthday", "2028-03-15T00:00:00Z", false],
    ["years later", "2035-01-01T12:00:00Z", false],
    ["in childhood", "2020-06-01T12:00:00Z", true],
  ])("%s (%s): %s", async (_when, at, visible) => {
    expect(await sees(guardian, childId, new Date(at))).toBe(visible);
  });

  it.each([
    ["on the 18th birthday", "2028-03-15T10:00:00Z", true],
    ["on the last renewed day", "2029-03-14T10:00:00Z", true],
    ["the day after the renewal ends", "2029-03-15T10:00:00Z", false],
  ])("renewed until 2029-03-14, %s: %s", async (_when, at, visible) => {
    expect(await sees(guardian, renewedId, new Date(at))).toBe(visible);
  });

  it("a link no clinician confirmed gives no access", async () => {
    expect(await sees(guardian, unconfirmedId, new Date("2020-01-01T00:00:00Z"))).toBe(false);
  });
});

describe("break-glass access, by the moment", () => {
  let clinician: UserActor;
  let patientId: string;
  let teamPatientId: string;

  beforeAll(async () => {
    clinician = await insertUser(organizationId, "clinician");
    patientId = (await insertPatient(organizationId)).id;
    teamPatientId = (await insertPatient(organizationId)).id;
    await insertCareTeam(organizationId, { clinicianUserIds: [clinician.userId], patientIds: [teamPatientId] });
    await getDb()
      .insert(breakGlassGrants)
      .values({ clinicianUserId: clinician.userId, patientId, reason: "Seen in the emergency department", startedAt: new Date("2030-01-01T10:00:00Z"), expiresAt: new Date("2030-01-01T12:00:00Z") });
  });

  it.each([
    ["before it started", "2030-01-01T09:59:59Z", false],
    ["when it starts", "2030-01-01T10:00:00Z", true],
    ["a minute before it expires", "2030-01-01T11:59:00Z", true],
    ["when it expires", "2030-01-01T12:00:00Z", false],
  ])("reading %s (%s): %s", async (_when, at, visible) => {
    expect(await sees(clinician, patientId, new Date(at))).toBe(visible);
  });

  it("never writes: a grant is for reading", async () => {
    expect(await sees(clinician, patientId, new Date("2030-01-01T11:00:00Z"), "write")).toBe(false);
    expect(await sees(clinician, teamPatientId, new Date("2030-01-01T11:00:00Z"), "write")).toBe(true);
  });

  it("covers only its own clinician", async () => {
    const colleague = await insertUser(organizationId, "clinician");
    expect(await sees(colleague, patientId, new Date("2030-01-01T11:00:00Z"))).toBe(false);
  });
});
