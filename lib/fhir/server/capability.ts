import type { CapabilityStatement, CapabilityStatementRestResource } from "@medplum/fhirtypes";
import { deviceSearch, organizationSearch, practitionerSearch } from "./directory-search";
import { auditEventSearch } from "./audit-event-search";
import { flagSearch } from "./flag-search";
import { observationSearch } from "./observation-search";
import { MAX_PAGE_SIZE } from "./paging";
import { patientSearch } from "./patient-search";
import type { SearchDefinition } from "./search/types";

/**
 * The CapabilityStatement (GET /fhir/metadata). Each type's search parameters, includes and
 * documentation come from its search declaration, the same one that parses requests and writes
 * docs/fhir.md, so what the server says it does is what it does.
 */
export const searchDefinitions: readonly SearchDefinition<unknown, unknown>[] = [
  observationSearch,
  patientSearch,
  deviceSearch,
  practitionerSearch,
  organizationSearch,
  flagSearch,
  auditEventSearch,
];

const read = [{ code: "read" as const }, { code: "search-type" as const }];

/** What each type offers besides search. */
const resourceCapabilities: Record<string, Omit<CapabilityStatementRestResource, "type">> = {
  Observation: {
    profile: "http://hl7.org/fhir/StructureDefinition/Observation",
    supportedProfile: ["http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-sensor-reading-mass-per-volume", "http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-sensor-reading-moles-per-volume"],
    interaction: [...read, { code: "vread" }, { code: "history-instance" }, { code: "create" }],
    versioning: "versioned",
    conditionalCreate: true,
    conditionalRead: "not-match",
    readHistory: true,
  },
  Patient: { interaction: read, conditionalRead: "not-match" },
  Device: { supportedProfile: ["http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-device"], interaction: read, conditionalRead: "not-match" },
  Practitioner: { interaction: read, conditionalRead: "not-match", documentation: "Clinicians of the caller's organization" },
  Organization: { interaction: read, conditionalRead: "not-match", documentation: "The caller's own organization" },
  Flag: {
    profile: "http://hl7.org/fhir/StructureDefinition/Flag",
    interaction: read,
    conditionalRead: "not-match",
    documentation: "Glucose alerts (one per episode): SNOMED CT hypo- or hyperglycaemia and a Lantern kind code; flag-detail points at the worst reading",
  },
  AuditEvent: {
    profile: "http://hl7.org/fhir/StructureDefinition/AuditEvent",
    interaction: read,
    conditionalRead: "not-match",
    documentation:
      "The organization's audit trail in the style of IHE Basic Audit Log Patterns, one AuditEvent per recorded access (entity.what names each patient). " +
      "For privacy officers signed in to the portal only: no SMART scope grants it to a backend client.",
  },
};

function resourceOf(definition: SearchDefinition<unknown, unknown>): CapabilityStatementRestResource {
  return {
    type: definition.resourceType as CapabilityStatementRestResource["type"],
    ...resourceCapabilities[definition.resourceType],
    ...(definition.includes.length ? { searchInclude: [...definition.includes] } : {}),
    searchParam: Object.entries(definition.parameters).map(([name, parameter]) => ({ name, type: parameter.type, documentation: parameter.documentation })),
  };
}

export function capabilityStatement(baseUrl: string, tokenUrl: string): CapabilityStatement {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-11-25",
    publisher: "Lantern",
    kind: "instance",
    instantiates: ["http://hl7.org/fhir/uv/cgm/CapabilityStatement/cgm-data-receiver"],
    software: { name: "Lantern", version: "0.1.0" },
    implementation: { description: "Lantern remote glucose monitoring FHIR API", url: baseUrl },
    fhirVersion: "4.0.1",
    format: ["application/fhir+json"],
    rest: [
      {
        mode: "server",
        interaction: [{ code: "transaction" }, { code: "batch" }],
        documentation:
          `Searches page by keyset: follow the Bundle's next and previous links as given. _count is clamped to ${MAX_PAGE_SIZE}. Every type also takes _count, _summary (count, data, false), ` +
          "_total (none, estimate, accurate), _elements and _format (json). A parameter or modifier not listed is refused with 400 under Prefer: handling=strict and otherwise " +
          "ignored and left out of the self link.",
        security: {
          extension: [{ url: "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris", extension: [{ url: "token", valueUri: tokenUrl }] }],
          service: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "SMART-on-FHIR" }] }],
          description: "SMART Backend Services (client_credentials with private_key_jwt, RS384 or ES384). See /fhir/.well-known/smart-configuration.",
        },
        operation: [
          { name: "submit-cgm-bundle", definition: "http://hl7.org/fhir/uv/cgm/OperationDefinition/submit-cgm-bundle" },
          { name: "export", definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export" },
          { name: "cgm-summary", definition: "http://lantern.example/fhir/OperationDefinition/cgm-summary", documentation: "Patient/[id]/$cgm-summary?start=&end=" },
          { name: "export", definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export" },
        ],
        resource: searchDefinitions.map(resourceOf),
      },
    ],
  };
}
