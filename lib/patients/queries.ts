import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { glucoseReadings, patients } from "@/db/schema";
import type { GlucoseUnit } from "@/db/schema/readings-enums";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { patientVisibleTo } from "./visibility";

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
  medicalRecordNumber: patients.medicalRecordNumber,
};

/** The patient, if the actor may see them; otherwise not_found, exactly as for a missing id. */
export async function getVisiblePatient(actor: Actor, patientId: string): Promise<PatientSummary> {
  assertCan(actor, "patient:read", "patient");
  if (!isUuid(patientId)) throw notFound("patient");
  const [patient] = await getDb()
    .select(patientSummaryColumns)
    .from(patients)
    .where(and(eq(patients.id, patientId), patientVisibleTo(actor)));
  if (!patient) throw notFound("patient");
  return patient;
}

/** The patient record of the signed-in patient, or null for other roles. */
export async function getOwnPatientId(actor: Actor): Promise<string | null> {
  if (actor.role !== "patient") return null;
  const [own] = await getDb().select({ id: patients.id }).from(patients).where(eq(patients.userId, actor.userId));
  return own?.id ?? null;
}

export interface PatientListItem extends PatientSummary {
  lastReading: { valueMgdl: number; effectiveAt: Date } | null;
}

/** Every patient the actor may see, with their latest reading when the role may read readings. */
export async function listVisiblePatients(actor: Actor): Promise<PatientListItem[]> {
  assertCan(actor, "patient:list");
  const withReadings = actor.role !== "admin";
  const latest = getDb()
    .select({ valueMgdl: glucoseReadings.valueMgdl, effectiveAt: glucoseReadings.effectiveAt })
    .from(glucoseReadings)
    .where(eq(glucoseReadings.patientId, patients.id))
    .orderBy(desc(glucoseReadings.effectiveAt))
    .limit(1)
    .as("latest");
  const rows = await getDb()
    .select({
      ...patientSummaryColumns,
      lastValueMgdl: withReadings ? latest.valueMgdl : sql<null>`null`,
      lastEffectiveAt: withReadings ? latest.effectiveAt : sql<null>`null`,
    })
    .from(patients)
    .leftJoinLateral(latest, sql`true`)
    .where(patientVisibleTo(actor))
    .orderBy(asc(patients.familyName), asc(patients.givenName));
  return rows.map(({ lastValueMgdl, lastEffectiveAt, ...patient }) => ({
    ...patient,
    lastReading:
      lastValueMgdl !== null && lastEffectiveAt !== null
        ? { valueMgdl: Number(lastValueMgdl), effectiveAt: lastEffectiveAt }
        : null,
  }));
}
