import "server-only";
import { and, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { patients } from "@/db/schema";
import { organizationOfMrnSystem } from "@/lib/fhir/mapping";
import { isUuid } from "@/lib/ids";
import { idKey, type IdKey } from "./paging";
import type { ParsedSearch, SearchDefinition } from "./search/types";
import { periodMatch } from "./search/intervals";
import { patientNameSql, STRING_MODIFIERS, stringMatchOf } from "./search/names";
import { anyOf, idSql, instantBound, intervalSql, nothing, uuidId } from "./search/sql";
import type { TokenValue } from "./search/values";
import { lookupsFor } from "@/lib/security/sealed-columns";

/**
 * What Patient search supports (the declaration docs/fhir.md and the CapabilityStatement are
 * generated from) and how each parameter becomes a condition on `patients`. The data layer adds the
 * visibility rule and paging (lib/fhir/server/patients.ts).
 */
export type PatientSearch = ParsedSearch<SQL, IdKey>;

const DAY_MS = 86_400_000;
/** A birth date is a day: searched as the period from its first instant (in UTC, as date search reads dates). */
const birthDayStart = sql`(${patients.birthDate}::timestamp at time zone 'UTC')`;

/**
 * A medical record number, the one identifier a Patient carries, in the system of its
 * organization: `system|value` in that system only, `value` in any, `system|` every patient with
 * one; `|value` (no system) matches none.
 */
function identifierSql(token: TokenValue): SQL {
  if (token.system === null) return nothing;
  const organizationId = token.system === undefined ? undefined : organizationOfMrnSystem(token.system);
  if (organizationId === null || (organizationId !== undefined && !isUuid(organizationId))) return nothing;
  return and(
    organizationId === undefined ? undefined : eq(patients.organizationId, organizationId),
    token.code === undefined ? isNotNull(patients.medicalRecordNumberIndex) : inArray(patients.medicalRecordNumberIndex, lookupsFor("patientMedicalRecordNumber", token.code)),
  )!;
}


export const patientSearch: SearchDefinition<SQL, IdKey> = {
  resourceType: "Patient",
  parameters: {
    _id: { type: "token", documentation: "The Patient id.", where: (values) => idSql(patients.id, values, uuidId) },
    identifier: {
      type: "token",
      documentation: "The medical record number: `urn:lantern:mrn:[organization id]|[number]` (that organization's), `[number]` (any system), `[system]|` (every patient with one).",
      where: (values) => anyOf(values.map(identifierSql)),
      missing: (missing) => (missing ? isNull(patients.medicalRecordNumberIndex) : isNotNull(patients.medicalRecordNumberIndex)),
    },
    name: {
      type: "string",
      documentation: "Family or given name: starts with the value, ignoring case and accents (`lopez` finds López); `:exact` the whole name as written, `:contains` anywhere in it.",
      modifiers: STRING_MODIFIERS,
      where: (values, modifier) => patientNameSql(["family", "given"], values, stringMatchOf(modifier)),
    },
    family: {
      type: "string",
      documentation: "Family name, matched as `name`.",
      modifiers: STRING_MODIFIERS,
      where: (values, modifier) => patientNameSql(["family"], values, stringMatchOf(modifier)),
    },
    given: {
      type: "string",
      documentation: "Given name, matched as `name`.",
      modifiers: STRING_MODIFIERS,
      where: (values, modifier) => patientNameSql(["given"], values, stringMatchOf(modifier)),
    },
    birthdate: {
      type: "date",
      documentation: "Date of birth: `birthdate=1968` (that year), `birthdate=lt1980-01-01`; `ap` is the day ±1 day.",
      where: (values) => anyOf(values.map((value) => intervalSql(birthDayStart, periodMatch(value, DAY_MS), instantBound))),
    },
    gender: {
      type: "token",
      documentation: "Lantern does not record gender and its Patients carry none: `gender=[code]` matches no patient, `gender:missing=true` every patient.",
      where: () => nothing,
      missing: (missing) => (missing ? sql`true` : nothing),
    },
  },
  sorts: [],
  includes: [],
  elements: { elements: ["identifier", "name", "birthDate", "managingOrganization"], mandatory: [] },
  totalByDefault: true,
  cursorKey: idKey,
};
