import "server-only";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { patients } from "@/db/schema";
import type { DataReader } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { patientVisibleTo } from "@/lib/patients/visibility";

export interface FhirPatientRow {
  id: string;
  organizationId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  medicalRecordNumber: string | null;
}

const columns = {
  id: patients.id,
  organizationId: patients.organizationId,
  givenName: patients.givenName,
  familyName: patients.familyName,
  birthDate: patients.birthDate,
  medicalRecordNumber: patients.medicalRecordNumber,
};

function mayReadPatients(reader: DataReader): boolean {
  return reader.kind === "backend-client" || can(reader.role, "patient:read");
}

export async function readFhirPatient(reader: DataReader, id: string): Promise<FhirPatientRow> {
  if (!mayReadPatients(reader) || !isUuid(id)) throw notFound("Patient");
  const [row] = await getDb().select(columns).from(patients).where(and(eq(patients.id, id), patientVisibleTo(reader)));
  if (!row) throw notFound("Patient");
  return row;
}

/** Visible patients among `ids`, for `_include=Observation:subject`. */
export async function patientsByIds(reader: DataReader, ids: string[]): Promise<FhirPatientRow[]> {
  const valid = ids.filter(isUuid);
  if (!mayReadPatients(reader) || valid.length === 0) return [];
  return getDb().select(columns).from(patients).where(and(inArray(patients.id, valid), patientVisibleTo(reader)));
}

export interface PatientQuery {
  ids: string[] | null;
  identifier: string | null;
  count: number;
  afterId: string | null;
}

/** Visible patients, in id order, one page (keyset on id). */
export async function searchFhirPatients(reader: DataReader, query: PatientQuery): Promise<{ rows: FhirPatientRow[]; more: boolean }> {
  if (!mayReadPatients(reader) || query.count === 0) return { rows: [], more: false };
  const identifierValue = query.identifier?.includes("|") ? query.identifier.split("|")[1]! : query.identifier;
  const validIds = query.ids?.filter(isUuid) ?? [];
  const rows = await getDb()
    .select(columns)
    .from(patients)
    .where(
      and(
        patientVisibleTo(reader),
        query.ids ? (validIds.length ? inArray(patients.id, validIds) : sql`false`) : undefined,
        identifierValue ? eq(patients.medicalRecordNumber, identifierValue) : undefined,
        query.afterId && isUuid(query.afterId) ? gt(patients.id, query.afterId) : undefined,
      ),
    )
    .orderBy(asc(patients.id))
    .limit(query.count + 1);
  return { rows: rows.slice(0, query.count), more: rows.length > query.count };
}
