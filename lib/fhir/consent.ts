import type { Consent } from "@medplum/fhirtypes";
import { coding } from "./codes";
import { FHIR_ID, fhirInstant } from "./primitives";

/**
 * A consent decision as a FHIR R4 `Consent` (PRIVACY-SECURITY.md C2), rendered on read from its
 * row like every other resource. Pure; the purpose list and its lawful bases are
 * lib/privacy/purposes.ts, the rows consent_records.
 *
 * - scope: research for research, patient-privacy for the rest (whether data may be shared or used);
 * - provision: permit or deny, for one v3 PurposeOfUse code;
 * - policyRule: opt-in (a yes) or opt-out (a no); policy: the privacy notice version decided under;
 * - performer: the patient, or their guardian (a RelatedPerson, named by the Lantern user id);
 * - status: active while current, inactive once superseded by a later decision.
 */

export interface FhirConsentInput {
  id: string;
  patientId: string;
  organizationId: string;
  purpose: "hospital-sharing" | "research" | "product-analytics" | "marketing";
  decision: "permit" | "deny";
  policyVersion: string;
  decidedAs: "patient" | "guardian";
  decidedByUserId: string;
  decidedAt: Date;
  supersededAt: Date | null;
}

/** The privacy notice a decision was made under, as a URI. */
export const PRIVACY_POLICY_URN = "urn:lantern:privacy-policy:";
/** Lantern user ids, where a guardian acts and has no FHIR resource of their own. */
export const LANTERN_USER_SYSTEM = "urn:lantern:user";

const purposeCodes = {
  "hospital-sharing": "TREAT",
  research: "HRESCH",
  "product-analytics": "HOPERAT",
  marketing: "HMARKT",
} as const;

function id(value: string, what: string): string {
  if (!FHIR_ID.test(value)) throw new RangeError(`${what} id is not a FHIR id: ${JSON.stringify(value)}`);
  return value;
}

export function toFhirConsent(record: FhirConsentInput): Consent {
  const patient = { reference: `Patient/${id(record.patientId, "Patient")}` };
  const performer =
    record.decidedAs === "patient"
      ? patient
      : { type: "RelatedPerson" as const, identifier: { system: LANTERN_USER_SYSTEM, value: record.decidedByUserId }, display: "Parent or guardian" };
  return {
    resourceType: "Consent",
    id: id(record.id, "Consent"),
    meta: { lastUpdated: fhirInstant(record.supersededAt ?? record.decidedAt) },
    status: record.supersededAt === null ? "active" : "inactive",
    scope: { coding: [coding("consentScope", record.purpose === "research" ? "research" : "patient-privacy")] },
    category: [{ coding: [coding("loinc", "59284-0")] }],
    patient,
    dateTime: fhirInstant(record.decidedAt),
    performer: [performer],
    organization: [{ reference: `Organization/${id(record.organizationId, "Organization")}` }],
    policy: [{ uri: `${PRIVACY_POLICY_URN}${record.policyVersion}` }],
    policyRule: { coding: [coding("actCode", record.decision === "permit" ? "OPTIN" : "OPTOUT")] },
    provision: {
      type: record.decision,
      purpose: [coding("purposeOfUse", purposeCodes[record.purpose])],
    },
  };
}
