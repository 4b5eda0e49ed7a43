import type { Coding } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { alertKinds } from "@/lib/alerts/kinds";
import { CGM_PROFILE, CODE_DISPLAYS, coding, displayOf, LOINC, MDC, SYSTEM, ucumQuantity, type CodeSystemKey } from "./codes";

/** `coding` with the table's type checks loosened, for rows mixing systems. */
const anyCoding = coding as unknown as (system: CodeSystemKey, code: string) => Coding;

/**
 * Pins every display. These are easy to get wrong (public code swaps very low and low, calls the
 * molar mean "Capillary blood", labels 41653-7 a mean...): a change here must come from the
 * sources named in codes.ts, not from a code search.
 */
describe("the code-to-display table", () => {
  it.each([
    ["41653-7", "Glucose [Mass/volume] in Capillary blood by Glucometer"],
    ["14743-9", "Glucose [Moles/volume] in Capillary blood by Glucometer"],
    ["99504-3", "Glucose [Mass/volume] in Interstitial fluid"],
    ["105272-9", "Glucose [Moles/volume] in Interstitial fluid"],
    ["107931-8", "Continuous glucose monitoring summary panel - Reporting Period"],
    ["97507-8", "Average glucose [Mass/volume] in Interstitial fluid during Reporting Period"],
    ["105273-7", "Glucose [Moles/volume] in Reporting Period mean Interstitial fluid by calculation"],
    ["97506-0", "Glucose management indicator"],
    ["104638-2", "Glucose standard deviation/Glucose mean in Reporting Period Interstitial fluid by calculation"],
    ["104636-6", "Days continuous glucose monitor device worn [#] Reporting Period Estimated"],
    ["104637-4", "Percentage of time continuous glucose monitor device worn Reporting Period Calculated"],
    ["106793-3", "Continuous glucose monitoring time in ranges panel"],
    ["104642-4", "Time below range, very low in Reporting Period Interstitial fluid by calculation"],
    ["104641-6", "Time below range, low in Reporting Period Interstitial fluid by calculation"],
    ["97510-2", "Glucose measurements in range out of Total glucose measurements during reporting period"],
    ["104640-8", "Time above range, high in Reporting Period Interstitial fluid by calculation"],
    ["104639-0", "Time above range, very high in Reporting Period Interstitial fluid by calculation"],
    ["59284-0", "Patient Consent"],
  ] as const)("LOINC %s is %s", (code, display) => {
    expect(coding("loinc", code)).toEqual({ system: "http://loinc.org", code, display });
  });

  it.each([
    ["160184", "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD"],
    ["160188", "MDC_CONC_GLU_CAPILLARY_PLASMA"],
    ["160212", "MDC_CONC_GLU_ISF"],
    ["160208", "MDC_CONC_GLU_CONTROL"],
  ] as const)("IEEE 11073 MDC %s is %s", (code, display) => {
    expect(coding("mdc", code)).toEqual({ system: "urn:iso:std:iso:11073:10101", code, display });
  });

  it.each([
    ["mg/dL", "mg/dl"],
    ["mmol/L", "mmol/l"],
    ["%", "%"],
    ["d", "days"],
  ] as const)("UCUM %s reads %s (the CGM IG's unit text)", (code, unit) => {
    expect(ucumQuantity(1, code)).toEqual({ value: 1, unit, system: "http://unitsofmeasure.org", code });
  });

  it.each([
    ["observationCategory", "laboratory", "Laboratory", "http://terminology.hl7.org/CodeSystem/observation-category"],
    ["interpretation", "L", "Low", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"],
    ["interpretation", "H", "High", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"],
    ["interpretation", "LL", "Critical low", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"],
    ["interpretation", "HH", "Critical high", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"],
    ["interpretation", "<", "Off scale low", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"],
    ["interpretation", ">", "Off scale high", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"],
    ["identifierType", "MR", "Medical record number", "http://terminology.hl7.org/CodeSystem/v2-0203"],
    ["identifierType", "SNO", "Serial Number", "http://terminology.hl7.org/CodeSystem/v2-0203"],
    ["observationValue", "SUBSETTED", "subsetted", "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"],
    ["snomed", "302866003", "Hypoglycemia", "http://snomed.info/sct"],
    ["snomed", "80394007", "Hyperglycemia", "http://snomed.info/sct"],
    ["flagCategory", "clinical", "Clinical", "http://terminology.hl7.org/CodeSystem/flag-category"],
    ["consentScope", "patient-privacy", "Privacy Consent", "http://terminology.hl7.org/CodeSystem/consentscope"],
    ["consentScope", "research", "Research", "http://terminology.hl7.org/CodeSystem/consentscope"],
    ["purposeOfUse", "TREAT", "treatment", "http://terminology.hl7.org/CodeSystem/v3-ActReason"],
    ["purposeOfUse", "HRESCH", "healthcare research", "http://terminology.hl7.org/CodeSystem/v3-ActReason"],
    ["purposeOfUse", "HOPERAT", "healthcare operations", "http://terminology.hl7.org/CodeSystem/v3-ActReason"],
    ["purposeOfUse", "HMARKT", "healthcare marketing", "http://terminology.hl7.org/CodeSystem/v3-ActReason"],
    ["actCode", "OPTIN", "opt-in", "http://terminology.hl7.org/CodeSystem/v3-ActCode"],
    ["actCode", "OPTOUT", "op-out", "http://terminology.hl7.org/CodeSystem/v3-ActCode"],
    ["purposeOfUse", "ETREAT", "Emergency Treatment", "http://terminology.hl7.org/CodeSystem/v3-ActReason"],
    ["auditEventType", "rest", "RESTful Operation", "http://terminology.hl7.org/CodeSystem/audit-event-type"],
    ["restfulInteraction", "read", "read", "http://hl7.org/fhir/restful-interaction"],
    ["restfulInteraction", "search-type", "search-type", "http://hl7.org/fhir/restful-interaction"],
    ["restfulInteraction", "create", "create", "http://hl7.org/fhir/restful-interaction"],
    ["restfulInteraction", "update", "update", "http://hl7.org/fhir/restful-interaction"],
    ["dicom", "110106", "Export", "http://dicom.nema.org/resources/ontology/DCM"],
    ["dicom", "110114", "User Authentication", "http://dicom.nema.org/resources/ontology/DCM"],
    ["dicom", "110122", "Login", "http://dicom.nema.org/resources/ontology/DCM"],
    ["dicom", "110123", "Logout", "http://dicom.nema.org/resources/ontology/DCM"],
    ["objectRole", "1", "Patient", "http://terminology.hl7.org/CodeSystem/object-role"],
    ["objectRole", "4", "Domain Resource", "http://terminology.hl7.org/CodeSystem/object-role"],
    ["auditEntityType", "1", "Person", "http://terminology.hl7.org/CodeSystem/audit-entity-type"],
    ["auditEntityType", "2", "System Object", "http://terminology.hl7.org/CodeSystem/audit-entity-type"],
    ["securitySourceType", "4", "Application Server", "http://terminology.hl7.org/CodeSystem/security-source-type"],
    ["participationType", "IRCP", "information recipient", "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"],
  ] as const)("%s %s is %s", (system, code, display, url) => {
    expect(anyCoding(system, code)).toEqual({ system: url, code, display });
  });

  it("refuses a code that is not in the table", () => {
    expect(() => anyCoding("loinc", "2345-7")).toThrow(RangeError);
  });

  it("has a display for every reading source", () => {
    for (const code of ["manual", "device", "file", "uploader", "fhir"] as const) {
      expect(coding("readingSource", code)).toMatchObject({ system: "urn:lantern:reading-source", code });
    }
  });

  it("has a display for every alert kind", () => {
    for (const code of alertKinds) expect(coding("alertKind", code)).toMatchObject({ system: "urn:lantern:alert-kind", code });
  });

  it("names every LOINC and MDC constant in the table", () => {
    expect(Object.values(LOINC).sort()).toEqual(Object.keys(CODE_DISPLAYS.loinc).sort());
    expect(Object.values(MDC).sort()).toEqual(Object.keys(CODE_DISPLAYS.mdc).sort());
  });

  it("holds only LOINC codes with a valid check digit (mod 10): no typo slips in", () => {
    const checkDigit = (digits: string) => {
      let sum = 0;
      [...digits].reverse().forEach((d, i) => {
        const n = Number(d) * (i % 2 === 0 ? 2 : 1);
        sum += Math.floor(n / 10) + (n % 10);
      });
      return (10 - (sum % 10)) % 10;
    };
    for (const code of Object.keys(CODE_DISPLAYS.loinc)) {
      const [digits, check] = code.split("-") as [string, string];
      expect([code, checkDigit(digits)]).toEqual([code, Number(check)]);
    }
  });

  it.each([
    ["160184", 29112, "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD"],
    ["160188", 29116, "MDC_CONC_GLU_CAPILLARY_PLASMA"],
    ["160208", 29136, "MDC_CONC_GLU_CONTROL"],
    ["160212", 29140, "MDC_CONC_GLU_ISF"],
  ])("MDC %s is partition 2 (SCADA) x 65536 + term %s (%s)", (code, term) => {
    expect(Number(code)).toBe(2 * 65536 + term);
  });
});

describe("displayOf", () => {
  it.each([
    [SYSTEM.loinc, "99504-3", "Glucose [Mass/volume] in Interstitial fluid"],
    [SYSTEM.ucum, "d", "days"],
    [SYSTEM.loinc, "2345-7", undefined],
    ["http://snomed.info/sct", "123", undefined],
    ["http://snomed.info/sct", "302866003", "Hypoglycemia"],
    [SYSTEM.loinc, "toString", undefined],
  ])("%s|%s is %s", (system, code, display) => {
    expect(displayOf(system, code)).toBe(display);
  });
});

describe("ucumQuantity", () => {
  it("carries a comparator only when given", () => {
    expect(ucumQuantity(20, "mg/dL", "<")).toEqual({ value: 20, comparator: "<", unit: "mg/dl", system: "http://unitsofmeasure.org", code: "mg/dL" });
    expect(ucumQuantity(20, "mg/dL")).not.toHaveProperty("comparator");
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])("refuses %s", (value) => {
    expect(() => ucumQuantity(value, "%")).toThrow(RangeError);
  });
});

describe("CGM_PROFILE", () => {
  it("names the CGM IG canonicals", () => {
    for (const url of Object.values(CGM_PROFILE)) expect(url).toMatch(/^http:\/\/hl7\.org\/fhir\/uv\/cgm\/StructureDefinition\/cgm-[a-z-]+$/);
  });
});
