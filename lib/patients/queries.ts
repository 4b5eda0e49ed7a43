import "server-only";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { careTeamMembers, careTeams, glucoseReadings, patients } from "@/db/schema";
import type { GlucoseUnit } from "@/db/schema/readings-enums";
import type { Actor, UserActor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { can } from "@/lib/access/permissions";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { withRecordNumber } from "@/lib/security/sealed-columns";

export interface PatientSummary {
  id: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  timezone: string;
  preferredUnit: GlucoseUnit;
  medicalRecordNumber: string | null;
}

const patientSummaryColumns = {
  id: patients.id,
  givenName: patients.givenName,
  familyName: patients.familyName,
  birthDate: patients.birthDate,
  timezone: patients.timezone,
  preferredUnit: patients.preferredUnit,
  medicalRecordNumberSealed: patients.medicalRecordNumberSealed,
};

/** The patient, if the actor may see them; otherwise not_found, exactly as for a missing id. */
export async function getVisiblePatient(actor: Actor, patientId: string): Promise<PatientSummary> {
  return audited(actor, { action: "read", resourceType: "Patient" }, async (tx, trail) => {
    const { id } = await authorizePatient(tx, actor, "patient:read", patientId);
    trail.touch(id);
    const [patient] = await tx.select(patientSummaryColumns).from(patients).where(eq(patients.id, id));
    return withRecordNumber(patient!);
  });
}

/** The patient record of the signed-in patient, or null for other roles. Not patient data: no audit. */
export async function getOwnPatientId(actor: UserActor): Promise<string | null> {
  if (actor.role !== "patient") return null;
  const [own] = await getDb().select({ id: patients.id }).from(patients).where(eq(patients.userId, actor.userId));
  return own?.id ?? null;
}

export interface PatientListItem extends PatientSummary {
  lastReading: { valueMgdl: number; effectiveAt: Date } | null;
}

/** Every patient the actor may see, with their latest reading when the actor may read readings. */
export async function listVisiblePatients(actor: Actor): Promise<PatientListItem[]> {
  return audited(actor, { action: "search", resourceType: "Patient" }, async (tx, trail) => {
    assertCan(actor, "patient:search");
    const withReadings = can(actor, "reading:search");
    const latest = tx
      .select({ valueMgdl: glucoseReadings.valueMgdl, effectiveAt: glucoseReadings.effectiveAt })
      .from(glucoseReadings)
      .where(and(eq(glucoseReadings.patientId, patients.id), isNull(glucoseReadings.duplicateOfId)))
      .orderBy(desc(glucoseReadings.effectiveAt), desc(glucoseReadings.id))
      .limit(1)
      .as("latest");
    const rows = await tx
      .select({
        ...patientSummaryColumns,
        lastValueMgdl: withReadings ? latest.valueMgdl : sql<null>`null`,
        lastEffectiveAt: withReadings ? latest.effectiveAt : sql<null>`null`,
      })
      .from(patients)
      .leftJoinLateral(latest, sql`true`)
      .where(and(patientVisibleTo(actor)))
      .orderBy(asc(patients.familyName), asc(patients.givenName), asc(patients.id));
    trail.touch(...rows.map((row) => row.id));
    return rows.map(({ lastValueMgdl, lastEffectiveAt, ...patient }) => ({
      ...withRecordNumber(patient),
      lastReading: lastValueMgdl !== null && lastEffectiveAt !== null ? { valueMgdl: lastValueMgdl, effectiveAt: lastEffectiveAt } : null,
    }));
  });
}

/** The care teams a clinician belongs to, by name (the triage list's team filter); none for other roles. */
export async function listMyCareTeams(actor: UserActor): Promise<{ id: string; name: string }[]> {
  return audited(actor, { action: "search", resourceType: "CareTeam" }, async (tx) => {
    assertCan(actor, "careTeam:read");
    if (actor.role !== "clinician") return [];
    return tx
      .select({ id: careTeams.id, name: careTeams.name })
      .from(careTeams)
      .innerJoin(careTeamMembers, eq(careTeamMembers.careTeamId, careTeams.id))
      .where(and(eq(careTeamMembers.clinicianUserId, actor.userId), eq(careTeams.organizationId, actor.organizationId)))
      .orderBy(asc(careTeams.name), asc(careTeams.id));
  });
}
