import "server-only";
import { isNotNull, isNull, type SQL } from "drizzle-orm";
import { devices, organizations, users } from "@/db/schema";
import { isUuid } from "@/lib/ids";
import { idKey, type IdKey } from "./paging";
import type { ParsedSearch, SearchDefinition } from "./search/types";
import { STRING_MODIFIERS, stringMatchOf, stringSql } from "./search/names";
import { anyOf, idSql, referenceSql, uuidId } from "./search/sql";
import type { TokenValue } from "./search/values";

/**
 * What Device, Practitioner and Organization search support (the declarations docs/fhir.md and the
 * CapabilityStatement are generated from) and how each parameter becomes a condition. The data
 * layer adds the visibility rule and paging (lib/fhir/server/directory.ts).
 */
export type IdOrderedSearch = ParsedSearch<SQL, IdKey>;


const DEVICE_STATUS = "http://hl7.org/fhir/device-status";
const isStatus = (token: TokenValue, code: string) => token.system !== null && (token.system === undefined || token.system === DEVICE_STATUS) && token.code === code;

export const deviceSearch: SearchDefinition<SQL, IdKey> = {
  resourceType: "Device",
  parameters: {
    _id: { type: "token", documentation: "The Device id.", where: (values) => idSql(devices.id, values, uuidId) },
    patient: {
      type: "reference",
      documentation: "The patient the meter or sensor is paired to: `Patient/[id]` or `[id]`.",
      modifiers: ["Patient"],
      where: (values) => referenceSql(devices.patientId, values, "Patient", isUuid),
    },
    status: {
      type: "token",
      documentation: "`active`, or `inactive` for a revoked meter.",
      where: (values) =>
        anyOf([values.some((value) => isStatus(value, "active")) ? isNull(devices.revokedAt) : undefined, values.some((value) => isStatus(value, "inactive")) ? isNotNull(devices.revokedAt) : undefined]),
    },
  },
  sorts: [],
  includes: [],
  elements: { elements: ["identifier", "status", "serialNumber", "deviceName", "type", "version", "patient"], mandatory: [] },
  totalByDefault: true,
  cursorKey: idKey,
};

export const practitionerSearch: SearchDefinition<SQL, IdKey> = {
  resourceType: "Practitioner",
  parameters: {
    _id: { type: "token", documentation: "The Practitioner id.", where: (values) => idSql(users.id, values, uuidId) },
    name: {
      type: "string",
      documentation: "The clinician's name as Lantern shows it (one text, `Dr. Ana Ruíz`), matched as Patient `name`: `name=dr. ana`, `name:contains=ruiz`.",
      modifiers: STRING_MODIFIERS,
      where: (values, modifier) => stringSql(users.displayName, values, stringMatchOf(modifier)),
    },
  },
  sorts: [],
  includes: [],
  elements: { elements: ["name"], mandatory: [] },
  totalByDefault: true,
  cursorKey: idKey,
};

export const organizationSearch: SearchDefinition<SQL, IdKey> = {
  resourceType: "Organization",
  parameters: {
    _id: { type: "token", documentation: "The Organization id.", where: (values) => idSql(organizations.id, values, uuidId) },
    name: {
      type: "string",
      documentation: "The organization's name, matched as Patient `name`.",
      modifiers: STRING_MODIFIERS,
      where: (values, modifier) => stringSql(organizations.name, values, stringMatchOf(modifier)),
    },
  },
  sorts: [],
  includes: [],
  elements: { elements: ["active", "name"], mandatory: [] },
  totalByDefault: true,
  cursorKey: idKey,
};
