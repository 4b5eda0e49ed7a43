import "server-only";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { patients } from "@/db/schema";
import type { Actor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { isUuid } from "@/lib/ids";
import type { IdPaging } from "./paging";

export interface FhirPatientRow {
  id: string;
  organizationId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  medicalRecordNumber: string | null;
}

export const patientColumns = {
  id: patients.id,
  organizationId: patients.organizationId,
  givenName: patients.givenName,
  familyName: patients.familyName,
  birthDate: patients.birthDate,
  medicalRecordNumber: patients.medicalRecordNumber,
};

export async function readFhirPatient(actor: Actor, id: string): Promise<FhirPatientRow> {
  return audited(actor, { action: "read", resourceType: "Patient" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "patient:read", id);
    trail.touch(patient.id);
    const [row] = await tx.select(patientColumns).from(patients).where(eq(patients.id, patient.id));
    return row!;
  });
}

export interface PatientFilters {
  ids: string[] | null;
  identifier: string | null;
}

/**
 * Visible patients in id order, one page (keyset on id): up to `count + 1` rows, the extra one
 * telling the caller there is a next page. Audited with the patients of the page.
 */
export async function searchFhirPatients(actor: Actor, filters: PatientFilters, paging: IdPaging): Promise<FhirPatientRow[]> {
  return audited(actor, { action: "search", resourceType: "Patient" }, async (tx, trail) => {
    assertCan(actor, "patient:search");
    if (paging.count === 0) return [];
    const identifierValue = filters.identifier?.includes("|") ? filters.identifier.split("|")[1]! : filters.identifier;
    const validIds = filters.ids?.filter(isUuid) ?? [];
    const rows = await tx
      .select(patientColumns)
      .from(patients)
      .where(
        and(
          patientVisibleTo(actor),
          filters.ids ? (validIds.length ? inArray(patients.id, validIds) : sql`false`) : undefined,
          identifierValue ? eq(patients.medicalRecordNumber, identifierValue) : undefined,
          paging.afterId ? gt(patients.id, paging.afterId) : undefined,
        ),
      )
      .orderBy(asc(patients.id))
      .limit(paging.count + 1);
    trail.touch(...rows.slice(0, paging.count).map((row) => row.id));
    return rows;
  });
}
