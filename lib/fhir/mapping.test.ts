import { describe, expect, it } from "vitest";
import { CONSENSUS_THRESHOLDS, TARGET_PRESETS, type AlertThresholds } from "@/lib/alerts/targets";
import type { Censoring, GlucoseUnit, Specimen } from "@/db/schema/readings-enums";
import {
  mrnSystem,
  searchsetBundle,
  toFhirDevice,
  toFhirObservation,
  toFhirOrganization,
  toFhirPatient,
  toFhirPractitioner,
  toOperationOutcome,
  type FhirDeviceInput,
  thresholdInterpretation,
  type FhirReadingInput,
} from "./mapping";

const PATIENT = "7d0c5b8e-3f1a-4c2b-9e6d-2a4b8c1d0e5f";
const ORG = "0b6f7e3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const DEVICE = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";

const reading = (overrides: Partial<FhirReadingInput> = {}): FhirReadingInput => ({
  id: 42,
  valueAsReceived: 132,
  unit: "mg/dL",
  valueMgdl: 132,
  censored: null,
  thresholds: CONSENSUS_THRESHOLDS,
  effectiveAt: new Date("2026-11-24T07:05:00Z"),
  utcOffsetMinutes: 60,
  specimen: "capillary",
  source: "manual",
  deviceId: null,
  version: 1,
  updatedAt: new Date("2026-11-24T07:06:12.345Z"),
  ...overrides,
});

describe("toFhirObservation: codes and profiles by specimen and unit as received", () => {
  it.each<[Specimen, GlucoseUnit, number, string, string, string | undefined, string]>([
    ["capillary", "mg/dL", 132, "41653-7", "160184", undefined, "mg/dl"],
    ["capillary", "mmol/L", 7.3, "14743-9", "160184", undefined, "mmol/l"],
    ["interstitial", "mg/dL", 132, "99504-3", "160212", "http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-sensor-reading-mass-per-volume", "mg/dl"],
    ["interstitial", "mmol/L", 7.3, "105272-9", "160212", "http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-sensor-reading-moles-per-volume", "mmol/l"],
  ])("%s %s: LOINC %s + MDC %s, profile %s", (specimen, unit, value, loinc, mdc, profile, unitText) => {
    const observation = toFhirObservation(reading({ specimen, unit, valueAsReceived: value }), PATIENT);
    expect(observation.code.coding!.map((c) => [c.system, c.code])).toEqual([
      ["http://loinc.org", loinc],
      ["urn:iso:std:iso:11073:10101", mdc],
    ]);
    expect(observation.meta!.profile).toEqual(profile ? [profile] : undefined);
    expect(observation.valueQuantity).toEqual({ value, unit: unitText, system: "http://unitsofmeasure.org", code: unit });
    expect(observation.category).toEqual([{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory", display: "Laboratory" }] }]);
  });

  it("keeps the value exactly as received, never converted", () => {
    const observation = toFhirObservation(reading({ unit: "mmol/L", valueAsReceived: 5.55 }), PATIENT);
    expect(observation.valueQuantity).toMatchObject({ value: 5.55, code: "mmol/L" });
  });
});

describe("toFhirObservation: identity, version and time", () => {
  it("maps the whole reading", () => {
    expect(toFhirObservation(reading({ deviceId: DEVICE }), PATIENT)).toEqual({
      resourceType: "Observation",
      id: "42",
      meta: {
        versionId: "1",
        lastUpdated: "2026-11-24T07:06:12.345Z",
        tag: [{ system: "urn:lantern:reading-source", code: "manual", display: "Entered by hand" }],
      },
      status: "final",
      category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory", display: "Laboratory" }] }],
      code: {
        coding: [
          { system: "http://loinc.org", code: "41653-7", display: "Glucose [Mass/volume] in Capillary blood by Glucometer" },
          { system: "urn:iso:std:iso:11073:10101", code: "160184", display: "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD" },
        ],
      },
      subject: { reference: `Patient/${PATIENT}` },
      effectiveDateTime: "2026-11-24T08:05:00+01:00",
      valueQuantity: { value: 132, unit: "mg/dl", system: "http://unitsofmeasure.org", code: "mg/dL" },
      device: { reference: `Device/${DEVICE}` },
    });
  });

  it.each([
    [1, "final"],
    [2, "amended"],
    [7, "amended"],
  ])("version %s: status %s, versionId %s", (version, status) => {
    const observation = toFhirObservation(reading({ version }), PATIENT);
    expect(observation.status).toBe(status);
    expect(observation.meta!.versionId).toBe(String(version));
  });

  it.each([
    [60, "2026-11-24T08:05:00+01:00"],
    [-300, "2026-11-24T02:05:00-05:00"],
    [330, "2026-11-24T12:35:00+05:30"],
    [-210, "2026-11-24T03:35:00-03:30"],
    [0, "2026-11-24T07:05:00+00:00"],
  ])("renders the time at its original offset %s: %s", (utcOffsetMinutes, effective) => {
    expect(toFhirObservation(reading({ utcOffsetMinutes }), PATIENT).effectiveDateTime).toBe(effective);
  });

  it("has no device reference without a device", () => {
    expect(toFhirObservation(reading({ deviceId: null }), PATIENT)).not.toHaveProperty("device");
    expect(toFhirObservation(reading({ deviceId: undefined }), PATIENT)).not.toHaveProperty("device");
  });

  it.each(["uploader", "file", "device", "fhir"] as const)("tags the source %s", (source) => {
    expect(toFhirObservation(reading({ source }), PATIENT).meta!.tag).toEqual([expect.objectContaining({ system: "urn:lantern:reading-source", code: source })]);
  });

  it.each<[string, Partial<FhirReadingInput>, string]>([
    ["id 0", { id: 0 }, PATIENT],
    ["a fractional id", { id: 1.5 }, PATIENT],
    ["version 0", { version: 0 }, PATIENT],
    ["an invalid time", { effectiveAt: new Date("nope") }, PATIENT],
    ["a patient id that is not a FHIR id", {}, "not an id"],
  ])("refuses %s", (_label, overrides, patientId) => {
    expect(() => toFhirObservation(reading(overrides), patientId)).toThrow(RangeError);
  });
});

describe("toFhirObservation: censored LO/HI readings", () => {
  it.each<[Specimen, GlucoseUnit, Censoring, number, "<" | ">", string, string]>([
    ["capillary", "mg/dL", "below", 20, "<", "<", "LL"],
    ["capillary", "mmol/L", "below", 1.1, "<", "<", "LL"],
    ["capillary", "mg/dL", "above", 600, ">", ">", "HH"],
    ["interstitial", "mg/dL", "below", 40, "<", "<", "LL"],
    ["interstitial", "mmol/L", "above", 22.2, ">", ">", "HH"],
  ])("%s %s %s at %s: comparator %s, interpretations %s and %s", (specimen, unit, censored, limit, comparator, offScale, critical) => {
    const observation = toFhirObservation(reading({ specimen, unit, censored, valueAsReceived: limit }), PATIENT);
    expect(observation.valueQuantity).toMatchObject({ value: limit, comparator, code: unit });
    expect(observation.interpretation!.map((cc) => cc.coding![0]!.code)).toEqual([offScale, critical]);
    expect(observation.interpretation![0]!.coding![0]!.system).toBe("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation");
  });

  it("a LO is critical low and a HI critical high whatever the thresholds (below every low, above every high)", () => {
    const strict: AlertThresholds = { hypoLevel1: 100, hypoLevel2: 70, hyperLevel1: 120, hyperLevel2: 140 };
    for (const [censored, code] of [["below", "LL"], ["above", "HH"]] as const) {
      const observation = toFhirObservation(reading({ censored, valueAsReceived: censored === "below" ? 40 : 400, valueMgdl: censored === "below" ? 40 : 400, thresholds: strict }), PATIENT);
      expect(observation.interpretation!.map((cc) => cc.coding![0]!.code)).toEqual([censored === "below" ? "<" : ">", code]);
    }
  });

  it("an ordinary reading has no comparator and no interpretation", () => {
    const observation = toFhirObservation(reading(), PATIENT);
    expect(observation.valueQuantity).not.toHaveProperty("comparator");
    expect(observation).not.toHaveProperty("interpretation");
  });
});

const adult = CONSENSUS_THRESHOLDS;
const pregnancy = TARGET_PRESETS.pregnancy.alerts;
const adjusted: AlertThresholds = { hypoLevel1: 80, hypoLevel2: 60, hyperLevel1: 200, hyperLevel2: 300 };

describe("interpretation by the patient's thresholds: strict, on the value rounded to whole mg/dL", () => {
  it.each<[string, AlertThresholds, number, "LL" | "L" | "H" | "HH" | null]>([
    ["adult", adult, 53, "LL"],
    ["adult", adult, 53.49, "LL"],
    ["adult", adult, 53.5, "L"],
    ["adult", adult, 54, "L"],
    ["adult", adult, 69, "L"],
    ["adult", adult, 69.4, "L"],
    ["adult", adult, 69.5, null],
    ["adult", adult, 70, null],
    ["adult", adult, 180, null],
    ["adult", adult, 180.49, null],
    ["adult", adult, 180.5, "H"],
    ["adult", adult, 181, "H"],
    ["adult", adult, 250, "H"],
    ["adult", adult, 250.5, "HH"],
    ["adult", adult, 251, "HH"],
    ["pregnancy", pregnancy, 53, "LL"],
    ["pregnancy", pregnancy, 54, "L"],
    ["pregnancy", pregnancy, 62, "L"],
    ["pregnancy", pregnancy, 63, null],
    ["pregnancy", pregnancy, 140, null],
    ["pregnancy", pregnancy, 141, "H"],
    ["pregnancy", pregnancy, 180, "H"],
    ["pregnancy", pregnancy, 181, "HH"],
    ["adjusted", adjusted, 59, "LL"],
    ["adjusted", adjusted, 60, "L"],
    ["adjusted", adjusted, 79, "L"],
    ["adjusted", adjusted, 80, null],
    ["adjusted", adjusted, 200, null],
    ["adjusted", adjusted, 201, "H"],
    ["adjusted", adjusted, 300, "H"],
    ["adjusted", adjusted, 301, "HH"],
  ])("%s thresholds, %s mg/dL: %s", (_label, thresholds, mgdl, expected) => {
    expect(thresholdInterpretation(mgdl, thresholds)).toBe(expected);
    const observation = toFhirObservation(reading({ valueAsReceived: mgdl, valueMgdl: mgdl, thresholds }), PATIENT);
    expect(observation.interpretation?.map((cc) => cc.coding!.map((c) => [c.system, c.code]))).toEqual(
      expected === null ? undefined : [[["http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", expected]]],
    );
  });

  it("reads an mmol/L reading by its mg/dL value: 3.0 mmol/L (54.05 mg/dL) is L, 2.9 (52.25) is LL", () => {
    expect(toFhirObservation(reading({ unit: "mmol/L", valueAsReceived: 3.0, valueMgdl: 54.048 }), PATIENT).interpretation![0]!.coding![0]!.code).toBe("L");
    expect(toFhirObservation(reading({ unit: "mmol/L", valueAsReceived: 2.9, valueMgdl: 52.246 }), PATIENT).interpretation![0]!.coding![0]!.code).toBe("LL");
  });
});

describe("toFhirPatient", () => {
  const patient = { id: PATIENT, givenName: "Mary Ann", familyName: "O'Neil", birthDate: "2014-03-09", medicalRecordNumber: "MRN-00042" };

  it("maps a patient with an MRN in the organization's system", () => {
    expect(toFhirPatient(patient, ORG)).toEqual({
      resourceType: "Patient",
      id: PATIENT,
      identifier: [
        {
          use: "usual",
          type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR", display: "Medical record number" }] },
          system: `urn:lantern:mrn:${ORG}`,
          value: "MRN-00042",
        },
      ],
      name: [{ use: "official", family: "O'Neil", given: ["Mary Ann"] }],
      birthDate: "2014-03-09",
      managingOrganization: { reference: `Organization/${ORG}` },
    });
  });

  it.each([null, "", "   "])("has no identifier when the MRN is %j", (medicalRecordNumber) => {
    expect(toFhirPatient({ ...patient, medicalRecordNumber }, ORG)).not.toHaveProperty("identifier");
  });

  it("trims the MRN and leaves out an empty name part", () => {
    const mapped = toFhirPatient({ ...patient, givenName: " ", medicalRecordNumber: " 7 " }, ORG);
    expect(mapped.identifier![0]!.value).toBe("7");
    expect(mapped.name).toEqual([{ use: "official", family: "O'Neil" }]);
  });

  it.each(["09/03/2014", "2014-03-09T00:00:00Z", ""])("refuses the birth date %j", (birthDate) => {
    expect(() => toFhirPatient({ ...patient, birthDate }, ORG)).toThrow(RangeError);
  });

  it("mrnSystem is per organization", () => {
    expect(mrnSystem(ORG)).toBe(`urn:lantern:mrn:${ORG}`);
  });
});

describe("toFhirOrganization and toFhirPractitioner", () => {
  it("maps an organization", () => {
    expect(toFhirOrganization({ id: ORG, name: "Northside Diabetes Clinic" })).toEqual({ resourceType: "Organization", id: ORG, active: true, name: "Northside Diabetes Clinic" });
  });

  it("maps a user as a practitioner by display name", () => {
    expect(toFhirPractitioner({ id: "u-1", displayName: "Dr. Ana Ruiz" })).toEqual({ resourceType: "Practitioner", id: "u-1", name: [{ text: "Dr. Ana Ruiz" }] });
  });
});

describe("toFhirDevice", () => {
  const cgm: FhirDeviceInput = { id: DEVICE, kind: "cgm", model: "Dexcom G7", serialNumber: "DX7-123456", firmwareVersion: "2.4.1", patientId: PATIENT, revokedAt: null };

  it("maps a CGM in the cgm-device profile", () => {
    expect(toFhirDevice(cgm)).toEqual({
      resourceType: "Device",
      id: DEVICE,
      meta: { profile: ["http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-device"] },
      identifier: [{ type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "SNO", display: "Serial Number" }] }, value: "DX7-123456" }],
      status: "active",
      serialNumber: "DX7-123456",
      deviceName: [
        { name: "Dexcom G7", type: "user-friendly-name" },
        { name: "Dexcom G7", type: "model-name" },
      ],
      type: { text: "Continuous glucose monitor" },
      version: [{ type: { text: "firmware" }, value: "2.4.1" }],
      patient: { reference: `Patient/${PATIENT}` },
    });
  });

  it("maps a fingerstick meter as a plain Device", () => {
    const meter = toFhirDevice({ ...cgm, kind: "fingerstick-meter", model: "Contour Next One" });
    expect(meter).not.toHaveProperty("meta");
    expect(meter.type).toEqual({ text: "Blood glucose meter" });
  });

  it.each<[string, Partial<FhirDeviceInput>, "active" | "inactive"]>([
    ["not revoked", {}, "active"],
    ["revoked (revokedAt)", { revokedAt: new Date("2026-11-20T10:00:00Z") }, "inactive"],
    ["revoked (DeviceSummary status)", { status: "revoked" }, "inactive"],
    ["stale", { status: "stale" }, "active"],
    ["awaiting pairing", { status: "awaiting-pairing" }, "active"],
  ])("%s is %s", (_label, overrides, status) => {
    expect(toFhirDevice({ ...cgm, ...overrides }).status).toBe(status);
  });

  it("leaves out firmware and patient when unknown", () => {
    const device = toFhirDevice({ ...cgm, firmwareVersion: null, patientId: undefined });
    expect(device).not.toHaveProperty("version");
    expect(device).not.toHaveProperty("patient");
  });
});

describe("toOperationOutcome", () => {
  it.each([
    [undefined, undefined],
    ["Observation.code", ["Observation.code"]],
    [["Observation.code", " ", "Observation.subject"], ["Observation.code", "Observation.subject"]],
  ])("expression %j -> %j", (expression, expected) => {
    const outcome = toOperationOutcome("error", "invalid", "Bad code", expression);
    expect(outcome).toEqual({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "invalid", diagnostics: "Bad code", ...(expected ? { expression: expected } : {}) }] });
  });

  it("leaves out empty diagnostics", () => {
    expect(toOperationOutcome("fatal", "exception", " ").issue[0]).toEqual({ severity: "fatal", code: "exception" });
  });
});

describe("searchsetBundle", () => {
  const self = "https://lantern.example/fhir/Observation?patient=p";
  const entry = { fullUrl: "https://lantern.example/fhir/Observation/1", resource: toFhirObservation(reading({ id: 1 }), PATIENT), search: { mode: "match" as const } };

  it.each<[string, { next?: string; previous?: string }, string[]]>([
    ["self only", {}, ["self"]],
    ["next", { next: `${self}&_cursor=a` }, ["self", "next"]],
    ["previous and next", { next: `${self}&_cursor=a`, previous: `${self}&_cursor=b` }, ["self", "previous", "next"]],
  ])("links: %s", (_label, links, relations) => {
    const bundle = searchsetBundle([entry], { links: { self, ...links } });
    expect(bundle.link!.map((l) => l.relation)).toEqual(relations);
    expect(bundle.entry).toEqual([entry]);
    expect(bundle).not.toHaveProperty("total");
  });

  it("a count-only search: total, no entry", () => {
    expect(searchsetBundle([], { total: 0, links: { self } })).toEqual({ resourceType: "Bundle", type: "searchset", total: 0, link: [{ relation: "self", url: self }] });
  });

  it.each([-1, 1.5, Number.NaN])("refuses total %s", (total) => {
    expect(() => searchsetBundle([], { total, links: { self } })).toThrow(RangeError);
  });
});
