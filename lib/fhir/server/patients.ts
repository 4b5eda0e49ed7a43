import "server-only";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { patients } from "@/db/schema";
import type { Actor } from "@/lib/access/actor";
import { assertCan, authorizePatient } from "@/lib/access/authorize";
import { patientVisibleTo } from "@/lib/access/visibility";
import { audited } from "@/lib/audit/record";
import { idOrderedPage, type Page } from "./paging";
import type { PatientSearch } from "./patient-search";
import { withRecordNumber } from "@/lib/security/sealed-columns";

export interface FhirPatientRow {
  id: string;
  organizationId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  medicalRecordNumber: string | null;
  /** When the row was made: patients are not edited in Lantern, so this is when the resource last changed. */
  createdAt: Date;
}

export const patientColumns = {
  id: patients.id,
  organizationId: patients.organizationId,
  givenName: patients.givenName,
  familyName: patients.familyName,
  birthDate: patients.birthDate,
  medicalRecordNumberSealed: patients.medicalRecordNumberSealed,
  createdAt: patients.createdAt,
};

export async function readFhirPatient(actor: Actor, id: string): Promise<FhirPatientRow> {
  return audited(actor, { action: "read", resourceType: "Patient" }, async (tx, trail) => {
    const patient = await authorizePatient(tx, actor, "patient:read", id);
    trail.touch(patient.id);
    const [row] = await tx.select(patientColumns).from(patients).where(eq(patients.id, patient.id));
    return withRecordNumber(row!);
  });
}

/**
 * Visible patients matching the search, in id order, one page (keyset on id) with the total, or
 * only the total for `_summary=count`. Audited as one event with the patients of the page.
 */
export async function searchFhirPatients(actor: Actor, search: PatientSearch): Promise<Page<FhirPatientRow>> {
  return audited(actor, { action: "search", resourceType: "Patient" }, async (tx, trail) => {
    assertCan(actor, "patient:search");
    const filter = and(patientVisibleTo(actor), ...search.conditions);
    const total = search.total ? ((await tx.select({ count: sql<number>`count(*)::int` }).from(patients).where(filter))[0]?.count ?? 0) : null;
    if (search.count === 0 || search.summaryCount) return { rows: [], next: null, previous: null, total };
    const afterId = search.cursor?.key[0];
    const fetched = (
      await tx
        .select(patientColumns)
        .from(patients)
        .where(and(filter, afterId ? gt(patients.id, afterId) : undefined))
        .orderBy(asc(patients.id))
        .limit(search.count + 1)
    ).map(withRecordNumber);
    const page = idOrderedPage(fetched, search.count, total);
    trail.touch(...page.rows.map((row) => row.id));
    return page;
  });
}
