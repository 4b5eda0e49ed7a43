import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/access/actor";
import { type AppError } from "@/lib/errors";
import {
  insertCareTeam,
  insertGuardianLink,
  insertOrganization,
  insertPatient,
  insertPatientWithAccount,
  insertUser,
} from "@/test/factories";
import { getVisiblePatient, listVisiblePatients } from "@/lib/patients/queries";

const actorNames = ["U1", "G", "C1", "C2", "C3", "AA", "AB", "CB", "GB", "PO"] as const;
const patientNames = ["P1", "P2", "P3", "P4"] as const;
type ActorName = (typeof actorNames)[number];
type PatientName = (typeof patientNames)[number];

/**
 * Org A: C1 on T1 (P1, P2), C2 on T2 (P3), U1 is P1, G is guardian of P3 (a child without an
 * account), AA its admin, and C3 an org A clinician wrongly listed on an org B team.
 * PO is org A's privacy officer, who sees no patient. Org B: AB its admin, P4 on TB with CB (and C3), GB guardian of P4.
 */
const visibleTo: Record<ActorName, PatientName[]> = {
  U1: ["P1"],
  G: ["P3"],
  C1: ["P1", "P2"],
  C2: ["P3"],
  C3: [],
  AA: ["P1", "P2", "P3"],
  AB: ["P4"],
  CB: ["P4"],
  GB: ["P4"],
  PO: [],
};

const actors = {} as Record<ActorName, UserActor>;
const patientIds = {} as Record<PatientName, string>;

beforeAll(async () => {
  const orgA = await insertOrganization();
  const orgB = await insertOrganization();

  const u1 = await insertPatientWithAccount(orgA.id);
  actors.U1 = u1.actor;
  patientIds.P1 = u1.patientId;
  patientIds.P2 = (await insertPatient(orgA.id)).id;
  patientIds.P3 = (await insertPatient(orgA.id, { birthDate: "2017-06-01" })).id;
  patientIds.P4 = (await insertPatient(orgB.id, { birthDate: "2015-02-01" })).id;

  actors.C1 = await insertUser(orgA.id, "clinician");
  actors.C2 = await insertUser(orgA.id, "clinician");
  actors.C3 = await insertUser(orgA.id, "clinician");
  actors.G = await insertUser(orgA.id, "guardian");
  actors.AA = await insertUser(orgA.id, "admin");
  actors.AB = await insertUser(orgB.id, "admin");
  actors.CB = await insertUser(orgB.id, "clinician");
  actors.GB = await insertUser(orgB.id, "guardian");
  actors.PO = await insertUser(orgA.id, "privacy_officer");

  await insertCareTeam(orgA.id, { clinicianUserIds: [actors.C1.userId], patientIds: [patientIds.P1, patientIds.P2] });
  await insertCareTeam(orgA.id, { clinicianUserIds: [actors.C2.userId], patientIds: [patientIds.P3] });
  await insertCareTeam(orgB.id, { clinicianUserIds: [actors.CB.userId, actors.C3.userId], patientIds: [patientIds.P4] });
  await insertGuardianLink(actors.G.userId, patientIds.P3);
  await insertGuardianLink(actors.GB.userId, patientIds.P4);
});

const notFound = expect.objectContaining({ name: "AppError", code: "not_found" }) as AppError;

describe("getVisiblePatient", () => {
  const matrix = actorNames.flatMap((actor) =>
    patientNames.map((patient) => ({ actor, patient, visible: visibleTo[actor].includes(patient) })),
  );

  it.each(matrix)("$actor sees $patient: $visible", async ({ actor, patient, visible }) => {
    const lookup = getVisiblePatient(actors[actor], patientIds[patient]);
    if (visible) {
      await expect(lookup).resolves.toMatchObject({ id: patientIds[patient] });
    } else {
      await expect(lookup).rejects.toEqual(notFound);
    }
  });

  it.each(actorNames)("%s gets not_found for a malformed id", async (actor) => {
    await expect(getVisiblePatient(actors[actor], "not-a-uuid")).rejects.toEqual(notFound);
  });

  it.each(actorNames)("%s gets not_found for a well-formed id that names no patient", async (actor) => {
    await expect(getVisiblePatient(actors[actor], randomUUID())).rejects.toEqual(notFound);
  });
});

describe("listVisiblePatients", () => {
  const listers = actorNames.filter((actor) => actor !== "U1" && actor !== "PO");

  it.each(listers)("%s lists exactly their visible patients", async (actor) => {
    const listed = await listVisiblePatients(actors[actor]);
    const expected = visibleTo[actor].map((patient) => patientIds[patient]);
    expect(listed.map((patient) => patient.id).sort()).toEqual(expected.sort());
  });

  it.each(["U1", "PO"] as const)("%s, who may not list patients, gets not_found", async (actor) => {
    await expect(listVisiblePatients(actors[actor])).rejects.toEqual(notFound);
  });
});
