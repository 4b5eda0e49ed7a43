import type {
  Bundle,
  BundleEntry,
  BundleLink,
  CodeableConcept,
  Device,
  Observation,
  OperationOutcome,
  OperationOutcomeIssue,
  Organization,
  Patient,
  Practitioner,
} from "@medplum/fhirtypes";
import type { Censoring, DeviceKind, GlucoseUnit, ReadingSource, Specimen } from "@/db/schema/readings-enums";
import type { AlertThresholds } from "@/lib/alerts/targets";
import { wholeMgdl } from "@/lib/metrics/glycemic";
import { CGM_PROFILE, coding, LOINC, MDC, ucumQuantity } from "./codes";
import { FHIR_DATE_TIME, FHIR_ID, fhirDateTimeAtOffset, fhirInstant, nonEmpty } from "./primitives";

/**
 * Lantern records as plain FHIR R4 resources. Pure functions: no database, no clock, no I/O.
 * Every resource they return validates against R4 and, where one applies, its CGM IG profile
 * (validation.test.ts). The CGM summary panel lives in ./cgm-summary and is re-exported here.
 */

export { toFhirCgmSummary, type CgmSummaryResources, type CgmSummaryOptions } from "./cgm-summary";

function fhirId(id: string, what: string): string {
  if (!FHIR_ID.test(id)) throw new RangeError(`${what} id is not a FHIR id: ${JSON.stringify(id)}`);
  return id;
}

const reference = (type: string, id: string) => ({ reference: `${type}/${fhirId(id, type)}` });

const MRN_SYSTEM_PREFIX = "urn:lantern:mrn:";

/** The system of a Lantern organization's medical record numbers. */
export function mrnSystem(organizationId: string): string {
  return `${MRN_SYSTEM_PREFIX}${fhirId(organizationId, "Organization")}`;
}

/** The organization whose medical record numbers `system` names, or null for any other system. */
export function organizationOfMrnSystem(system: string): string | null {
  const id = system.startsWith(MRN_SYSTEM_PREFIX) ? system.slice(MRN_SYSTEM_PREFIX.length) : null;
  return id !== null && FHIR_ID.test(id) ? id : null;
}

// ---------------------------------------------------------------------------------------------
// Patient, Organization, Practitioner

export interface FhirPatientInput {
  id: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  medicalRecordNumber: string | null;
}

export function toFhirPatient(patient: FhirPatientInput, organizationId: string): Patient {
  if (!FHIR_DATE_TIME.test(patient.birthDate) || patient.birthDate.includes("T")) {
    throw new RangeError(`Not a FHIR date: ${JSON.stringify(patient.birthDate)}`);
  }
  const mrn = nonEmpty(patient.medicalRecordNumber);
  const family = nonEmpty(patient.familyName);
  const given = nonEmpty(patient.givenName);
  return {
    resourceType: "Patient",
    id: fhirId(patient.id, "Patient"),
    ...(mrn
      ? {
          identifier: [
            {
              use: "usual",
              type: { coding: [coding("identifierType", "MR")] },
              system: mrnSystem(organizationId),
              value: mrn,
            },
          ],
        }
      : {}),
    ...(family || given ? { name: [{ use: "official", ...(family ? { family } : {}), ...(given ? { given: [given] } : {}) }] } : {}),
    birthDate: patient.birthDate,
    managingOrganization: reference("Organization", organizationId),
  };
}

export interface FhirOrganizationInput {
  id: string;
  name: string;
}

export function toFhirOrganization(organization: FhirOrganizationInput): Organization {
  const name = nonEmpty(organization.name);
  return { resourceType: "Organization", id: fhirId(organization.id, "Organization"), active: true, ...(name ? { name } : {}) };
}

export interface FhirPractitionerInput {
  /** The user's id. */
  id: string;
  displayName: string;
}

/** A clinician (a Lantern user) as a Practitioner: the display name is all Lantern knows of their name. */
export function toFhirPractitioner(user: FhirPractitionerInput): Practitioner {
  const text = nonEmpty(user.displayName);
  return { resourceType: "Practitioner", id: fhirId(user.id, "Practitioner"), ...(text ? { name: [{ text }] } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Device

/** DeviceSummary statuses (lib/devices/registry.ts), repeated here so this module stays pure. */
export type DeviceRegistryStatus = "awaiting-pairing" | "pairing-expired" | "active" | "stale" | "revoked";

export interface FhirDeviceInput {
  id: string;
  kind: DeviceKind;
  model: string;
  serialNumber: string;
  firmwareVersion: string | null;
  /** The patient the device is bound to, when known (DeviceSummary does not carry it). */
  patientId?: string | null;
  /** Either is enough to tell a revoked device. */
  revokedAt?: Date | null;
  status?: DeviceRegistryStatus;
}

const deviceTypeText: Record<DeviceKind, string> = {
  cgm: "Continuous glucose monitor",
  "fingerstick-meter": "Blood glucose meter",
};

/**
 * A CGM conforms to the CGM IG `cgm-device` profile (identifier and a user-friendly name are
 * required there); a fingerstick meter is a plain Device. A revoked device is `inactive`; any other
 * (awaiting pairing, stale...) is `active`: FHIR's status says whether the record is in use.
 */
export function toFhirDevice(device: FhirDeviceInput): Device {
  const model = nonEmpty(device.model);
  const serial = nonEmpty(device.serialNumber);
  const firmware = nonEmpty(device.firmwareVersion);
  const revoked = Boolean(device.revokedAt) || device.status === "revoked";
  const profile = device.kind === "cgm" ? { meta: { profile: [CGM_PROFILE.device] } } : {};
  const name = model ?? deviceTypeText[device.kind];
  return {
    resourceType: "Device",
    id: fhirId(device.id, "Device"),
    ...profile,
    // The CGM profile needs an identifier; the serial number is the one a hospital can match on.
    identifier: [serial ? { type: { coding: [coding("identifierType", "SNO")] }, value: serial } : { system: "urn:lantern:device", value: device.id }],
    status: revoked ? "inactive" : "active",
    ...(serial ? { serialNumber: serial } : {}),
    deviceName: [
      { name, type: "user-friendly-name" },
      ...(model ? [{ name: model, type: "model-name" as const }] : []),
    ],
    type: { text: deviceTypeText[device.kind] },
    ...(firmware ? { version: [{ type: { text: "firmware" }, value: firmware }] } : {}),
    ...(device.patientId ? { patient: reference("Patient", device.patientId) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Observation (one glucose reading)

export interface FhirReadingInput {
  id: number;
  /** As received, in `unit`; for a censored reading, the meter's limit. */
  valueAsReceived: number;
  unit: GlucoseUnit;
  /** The value in mg/dL (lib/readings/units), what the thresholds compare with. */
  valueMgdl: number;
  censored: Censoring | null;
  /** The patient's alert thresholds in force (lib/monitoring/targets.ts): they decide the interpretation. */
  thresholds: AlertThresholds;
  effectiveAt: Date;
  /** The offset the reading was taken at: the time is rendered at it. */
  utcOffsetMinutes: number;
  specimen: Specimen;
  source: ReadingSource;
  deviceId?: string | null;
  version: number;
  updatedAt: Date;
}

const readingCodes: Record<Specimen, Record<GlucoseUnit, { loinc: (typeof LOINC)[keyof typeof LOINC]; profile?: string }>> = {
  capillary: { "mg/dL": { loinc: LOINC.bgmMass }, "mmol/L": { loinc: LOINC.bgmMolar } },
  interstitial: {
    "mg/dL": { loinc: LOINC.cgmMass, profile: CGM_PROFILE.sensorReadingMass },
    "mmol/L": { loinc: LOINC.cgmMolar, profile: CGM_PROFILE.sensorReadingMolar },
  },
};

const mdcForSpecimen: Record<Specimen, (typeof MDC)[keyof typeof MDC]> = {
  capillary: MDC.capillaryWholeBlood,
  interstitial: MDC.interstitialFluid,
};

/**
 * A censored (LO/HI) reading: the value is the meter's limit with comparator `<` or `>`, and two
 * interpretations: off scale (`<` / `>`: beyond the instrument's range, which is what LO/HI means)
 * and critical (`LL` / `HH`): a LO counts below every low threshold and a HI above every high one,
 * as the metrics and the alert rules count them. The CGM profiles fix only the quantity's unit
 * and code, so the comparator is allowed there.
 */
function censoring(censored: Censoring): { comparator: "<" | ">"; interpretation: CodeableConcept[] } {
  // Built per call: callers may mutate what they get back.
  return censored === "below"
    ? { comparator: "<", interpretation: [{ coding: [coding("interpretation", "<")] }, { coding: [coding("interpretation", "LL")] }] }
    : { comparator: ">", interpretation: [{ coding: [coding("interpretation", ">")] }, { coding: [coding("interpretation", "HH")] }] };
}

/**
 * The interpretation of a valued reading by the patient's alert thresholds, strict and on the
 * value rounded to whole mg/dL as the metrics and the alert rules round it: `LL` below the level 2
 * low, `L` below the level 1 low, `HH` above the level 2 high, `H` above the level 1 high; none in
 * range (FHIR's `N` would add nothing a client can act on).
 */
export function thresholdInterpretation(valueMgdl: number, thresholds: AlertThresholds): "LL" | "L" | "H" | "HH" | null {
  const whole = wholeMgdl(valueMgdl);
  if (whole < thresholds.hypoLevel2) return "LL";
  if (whole < thresholds.hypoLevel1) return "L";
  if (whole > thresholds.hyperLevel2) return "HH";
  if (whole > thresholds.hyperLevel1) return "H";
  return null;
}

function interpretationOf(reading: FhirReadingInput): CodeableConcept[] | null {
  if (reading.censored) return censoring(reading.censored).interpretation;
  const code = thresholdInterpretation(reading.valueMgdl, reading.thresholds);
  return code ? [{ coding: [coding("interpretation", code)] }] : null;
}

/**
 * A reading as an Observation. Fingerstick (capillary): LOINC 41653-7 or 14743-9 by the unit as
 * received, plus MDC 160184. CGM (interstitial): LOINC 99504-3 or 105272-9, plus MDC 160212, in
 * the CGM IG sensor-reading profile. The value and unit are as received, never converted; the time
 * carries the offset it was taken at. The id is the reading's id; a corrected reading (version > 1)
 * is `amended`. Its interpretation (L, LL, H, HH) follows the patient's alert thresholds in force
 * when it is rendered (docs/decisions/011-alerts-as-fhir-flag.md).
 */
export function toFhirObservation(reading: FhirReadingInput, patientId: string): Observation {
  if (!Number.isSafeInteger(reading.id) || reading.id < 1) throw new RangeError(`Reading id must be a positive integer: ${reading.id}`);
  if (!Number.isSafeInteger(reading.version) || reading.version < 1) throw new RangeError(`Reading version must be a positive integer: ${reading.version}`);
  const { loinc, profile } = readingCodes[reading.specimen][reading.unit];
  const censored = reading.censored ? censoring(reading.censored) : null;
  const interpretation = interpretationOf(reading);
  return {
    resourceType: "Observation",
    id: String(reading.id),
    meta: {
      versionId: String(reading.version),
      lastUpdated: fhirInstant(reading.updatedAt),
      ...(profile ? { profile: [profile] } : {}),
      tag: [coding("readingSource", reading.source)],
    },
    status: reading.version > 1 ? "amended" : "final",
    category: [{ coding: [coding("observationCategory", "laboratory")] }],
    code: { coding: [coding("loinc", loinc), coding("mdc", mdcForSpecimen[reading.specimen])] },
    subject: reference("Patient", patientId),
    effectiveDateTime: fhirDateTimeAtOffset(reading.effectiveAt, reading.utcOffsetMinutes),
    valueQuantity: ucumQuantity(reading.valueAsReceived, reading.unit, censored?.comparator),
    ...(interpretation ? { interpretation } : {}),
    ...(reading.deviceId ? { device: reference("Device", reading.deviceId) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// OperationOutcome and searchset Bundle

export type IssueSeverity = OperationOutcomeIssue["severity"];
export type IssueType = OperationOutcomeIssue["code"];

/** One issue; `expression` is a FHIRPath (e.g. `Observation.valueQuantity`), or several. */
export function toOperationOutcome(severity: IssueSeverity, code: IssueType, diagnostics: string, expression?: string | readonly string[]): OperationOutcome {
  const text = nonEmpty(diagnostics);
  const expressions = (typeof expression === "string" ? [expression] : (expression ?? [])).map((e) => e.trim()).filter((e) => e.length > 0);
  return {
    resourceType: "OperationOutcome",
    issue: [{ severity, code, ...(text ? { diagnostics: text } : {}), ...(expressions.length ? { expression: expressions } : {}) }],
  };
}

export interface SearchsetLinks {
  self: string;
  next?: string;
  previous?: string;
}

/**
 * A searchset Bundle. Links come in the order self, previous, next; a missing next/previous link
 * is left out; `total` only when given (e.g. `_summary=count`); no `entry` when there are none.
 */
export function searchsetBundle(entries: readonly BundleEntry[], options: { total?: number; links: SearchsetLinks }): Bundle {
  const { total, links } = options;
  if (total !== undefined && (!Number.isSafeInteger(total) || total < 0)) throw new RangeError(`total must be a whole number: ${total}`);
  const link: BundleLink[] = [{ relation: "self", url: links.self }];
  if (links.previous) link.push({ relation: "previous", url: links.previous });
  if (links.next) link.push({ relation: "next", url: links.next });
  return {
    resourceType: "Bundle",
    type: "searchset",
    ...(total !== undefined ? { total } : {}),
    link,
    ...(entries.length ? { entry: [...entries] } : {}),
  };
}
