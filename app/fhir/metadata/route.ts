import { MAX_PAGE_SIZE } from "@/lib/fhir/server/paging";
import { fhirResponse, publicFhirRoute } from "@/lib/http/fhir";

const observationSearchParams = [
  ["patient", "reference", "Patient/[id] or [id]; repeat or comma-separate for several"],
  ["subject", "reference", "Same as patient"],
  ["code", "token", "LOINC 41653-7, 14743-9, 99504-3, 105272-9; IEEE 11073 160184, 160212"],
  ["date", "date", "effectiveDateTime; prefixes eq ne gt lt ge le sa eb ap, repeat for a range"],
  ["category", "token", "laboratory"],
  ["device", "reference", "Device/[id]"],
  ["_id", "token", "Observation id"],
  ["_lastUpdated", "date", "meta.lastUpdated, with prefixes"],
] as const;

export const { GET, POST, PUT, PATCH, DELETE } = publicFhirRoute({
  /** What this server does, for integrators and their tools. */
  GET: async ({ baseUrl: base }) => capabilityStatement(base),
});

function capabilityStatement(base: string): Response {
  const read = [{ code: "read" }, { code: "search-type" }];
  return fhirResponse({
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-11-25",
    publisher: "Lantern",
    kind: "instance",
    instantiates: ["http://hl7.org/fhir/uv/cgm/CapabilityStatement/cgm-data-receiver"],
    software: { name: "Lantern", version: "0.1.0" },
    implementation: { description: "Lantern remote glucose monitoring FHIR API", url: base },
    fhirVersion: "4.0.1",
    format: ["application/fhir+json"],
    rest: [
      {
        mode: "server",
        interaction: [{ code: "transaction" }, { code: "batch" }],
        documentation: `Searches page by keyset: follow the Bundle's next and previous links as given. _count is clamped to ${MAX_PAGE_SIZE}.`,
        security: {
          extension: [
            {
              url: "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
              extension: [{ url: "token", valueUri: `${base}/auth/token` }],
            },
          ],
          service: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "SMART-on-FHIR" }] }],
          description: "SMART Backend Services (client_credentials with private_key_jwt, RS384 or ES384). See /fhir/.well-known/smart-configuration.",
        },
        operation: [
          { name: "submit-cgm-bundle", definition: "http://hl7.org/fhir/uv/cgm/OperationDefinition/submit-cgm-bundle" },
          { name: "export", definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export" },
          { name: "cgm-summary", definition: "http://lantern.example/fhir/OperationDefinition/cgm-summary", documentation: "Patient/[id]/$cgm-summary?start=&end=" },
          { name: "export", definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export" },
        ],
        resource: [
          {
            type: "Observation",
            profile: "http://hl7.org/fhir/StructureDefinition/Observation",
            supportedProfile: [
              "http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-sensor-reading-mass-per-volume",
              "http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-sensor-reading-moles-per-volume",
            ],
            interaction: [...read, { code: "vread" }, { code: "history-instance" }, { code: "create" }],
            versioning: "versioned",
            conditionalCreate: true,
            readHistory: true,
            searchInclude: ["Observation:subject", "Observation:device"],
            searchParam: observationSearchParams.map(([name, type, documentation]) => ({ name, type, documentation })),
          },
          {
            type: "Patient",
            interaction: read,
            searchParam: [
              { name: "_id", type: "token" },
              { name: "identifier", type: "token", documentation: "Medical record number" },
            ],
          },
          {
            type: "Device",
            supportedProfile: ["http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-device"],
            interaction: read,
            searchParam: [{ name: "patient", type: "reference" }],
          },
          { type: "Organization", interaction: read, documentation: "The caller's own organization" },
          { type: "Practitioner", interaction: read, documentation: "Clinicians of the caller's organization" },
        ],
      },
    ],
  });
}
