import fs from "node:fs";
import path from "node:path";
import type { Bundle, Observation, Resource } from "@medplum/fhirtypes";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { censorings, glucoseUnits, readingSources, specimens, type GlucoseUnit } from "@/db/schema/readings-enums";
import { computeGlycemicSummary, type GlycemicReading } from "@/lib/metrics/glycemic";
import { normalizedMgdl } from "@/lib/readings/units";
import { localCalendarPeriod } from "@/lib/time/calendar";
import { CGM_PROFILE, LOINC } from "./codes";
import { searchsetBundle, toFhirCgmSummary, toFhirDevice, toFhirObservation, toFhirOrganization, toFhirPatient, toFhirPractitioner, toOperationOutcome, type FhirReadingInput } from "./mapping";
import { alertKinds } from "@/lib/alerts/kinds";
import { CONSENSUS_THRESHOLDS, TARGET_PRESETS } from "@/lib/alerts/targets";
import { toFhirAuditEvent, type AuditEventAction } from "./audit-event";
import { toFhirConsent } from "./consent";
import { toFhirFlag, type AlertHandlingStatus } from "./flag";
import { capabilityStatement } from "./server/capability";
import { observationSearch } from "./server/observation-search";
import { subsetResource } from "./server/search/elements";
import { allErrors, CGM_IG_DIR, loadCgmProfiles, requiredBindingErrors, validatorErrors } from "./testing/fhir-validator";

/**
 * The offline validation corpus: every mapping path, validated against FHIR R4 (4.0.1) and, where
 * a resource claims one, its CGM IG profile; plus required bindings, empty values and displays,
 * which the validator itself does not check. Zero errors allowed; warnings are ignored silently.
 */

const PATIENT = "7d0c5b8e-3f1a-4c2b-9e6d-2a4b8c1d0e5f";
const ORG = "0b6f7e3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const DEVICE = "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170";
const OFFSETS = [60, -300, 330, -210, 0, 345, 840, -720, -570, 525];

/** A LO/HI limit as a meter would report it. */
const limits: Record<GlucoseUnit, { below: number; above: number }> = { "mg/dL": { below: 20, above: 600 }, "mmol/L": { below: 1.1, above: 33.3 } };

function reading(overrides: Partial<FhirReadingInput> = {}): FhirReadingInput {
  return {
    id: 1,
    valueAsReceived: 132,
    unit: "mg/dL",
    valueMgdl: 132,
    censored: null,
    thresholds: CONSENSUS_THRESHOLDS,
    effectiveAt: new Date("2026-11-24T07:05:00Z"),
    utcOffsetMinutes: 60,
    specimen: "capillary",
    source: "device",
    deviceId: null,
    version: 1,
    updatedAt: new Date("2026-11-24T07:06:12.345Z"),
    ...overrides,
  };
}

function observations(): [string, Observation][] {
  const out: [string, Observation][] = [];
  let id = 1;
  for (const specimen of specimens) {
    for (const unit of glucoseUnits) {
      for (const censored of [null, ...censorings]) {
        for (const withDevice of [false, true]) {
          for (const version of [1, 2]) {
            const offset = OFFSETS[id % OFFSETS.length]!;
            const value = censored ? limits[unit][censored] : unit === "mg/dL" ? 132 : 7.3;
            const r = reading({
              id,
              specimen,
              unit,
              censored,
              valueAsReceived: value,
              deviceId: withDevice ? DEVICE : null,
              version,
              utcOffsetMinutes: offset,
              source: readingSources[id % readingSources.length]!,
              effectiveAt: new Date(Date.UTC(2026, 10, 24, 7, 5, 0, id % 3 === 0 ? 250 : 0)),
            });
            out.push([`Observation ${specimen} ${unit} ${censored ?? "valued"} ${withDevice ? "with" : "without"} device v${version} offset ${offset}`, toFhirObservation(r, PATIENT)]);
            id += 1;
          }
        }
      }
    }
  }
  return out;
}

/** Readings beyond each threshold (L, LL, H, HH), in both units, under the CGM profiles too. */
function interpretedObservations(): [string, Observation][] {
  const out: [string, Observation][] = [];
  let id = 500;
  for (const specimen of specimens) {
    for (const unit of glucoseUnits) {
      for (const mgdl of [45, 60, 66, 150, 200, 300]) {
        const valueAsReceived = unit === "mg/dL" ? mgdl : Math.round((mgdl / 18.016) * 10) / 10;
        const r = reading({ id: id++, specimen, unit, valueAsReceived, valueMgdl: normalizedMgdl(valueAsReceived, unit), thresholds: TARGET_PRESETS.pregnancy.alerts });
        out.push([`Observation ${specimen} ${unit} ${mgdl} mg/dL under pregnancy thresholds`, toFhirObservation(r, PATIENT)]);
      }
    }
  }
  return out;
}

/** Two weeks of CGM at 5 minutes with a gap, LO and HI, and a few mmol/L values. */
function cgmSeries(): GlycemicReading[] {
  const start = Date.UTC(2026, 10, 1);
  const readings: GlycemicReading[] = [];
  for (let i = 0; i < 14 * 288; i += 1) {
    if (i > 1000 && i < 1400) continue; // a gap
    const wave = 140 + 90 * Math.sin(i / 40);
    const censored = i % 997 === 0 ? "below" : i % 1201 === 0 ? "above" : null;
    const valueMgdl = censored === "below" ? 40 : censored === "above" ? 400 : i % 50 === 0 ? normalizedMgdl(Math.round(wave / 1.8) / 10, "mmol/L") : wave;
    readings.push({ valueMgdl, censored, specimen: "interstitial", effectiveAt: new Date(start + i * 300_000) });
  }
  return readings;
}

function summaries(): [string, Observation][] {
  const start = new Date(Date.UTC(2026, 10, 1));
  const end = new Date(Date.UTC(2026, 10, 15));
  const summary = computeGlycemicSummary(cgmSeries(), { start, end });
  const out: [string, Observation][] = [];
  const variants = [
    ["dates, mg/dL", { start: "2026-11-01", end: "2026-11-14" }, ["mg/dL"]],
    ["instants, mg/dL and mmol/L", { start, end }, ["mg/dL", "mmol/L"]],
    ["local dateTimes, mmol/L", { start: "2026-11-01T00:00:00+01:00", end: "2026-11-14T23:59:59+01:00" }, ["mmol/L"]],
  ] as const;
  for (const [label, period, units] of variants) {
    const { panel, members } = toFhirCgmSummary(summary, PATIENT, period, { meanGlucoseUnits: units });
    out.push([`CGM summary panel (${label})`, panel]);
    for (const member of members) out.push([`CGM summary member ${member.code.coding![0]!.code} (${label})`, member]);
  }
  // Other dates than the variants above, so the ids differ.
  const paris = localCalendarPeriod("Europe/Paris", "2026-11-02", 13);
  const { panel, members } = toFhirCgmSummary(computeGlycemicSummary(cgmSeries(), { period: paris }), PATIENT, paris);
  out.push(["CGM summary panel (local-calendar period)", panel]);
  for (const member of members) out.push([`CGM summary member ${member.code.coding![0]!.code} (local-calendar period)`, member]);
  return out;
}

/** Every alert kind, open and ended, in each handling status, with and without evidence. */
function flags(): [string, Resource][] {
  const statuses: AlertHandlingStatus[] = ["open", "acknowledged", "resolved"];
  return alertKinds.flatMap((kind, k) =>
    statuses.flatMap((status, s) =>
      [null, new Date("2026-11-24T08:40:00Z")].map((endedAt, e): [string, Resource] => [
        `Flag ${kind} ${status} ${endedAt ? "ended" : "ongoing"}`,
        toFhirFlag({
          id: 1 + k * 6 + s * 2 + e,
          patientId: PATIENT,
          kind,
          status,
          startedAt: new Date("2026-11-24T07:05:00Z"),
          endedAt,
          updatedAt: new Date("2026-11-24T08:41:12.5Z"),
          historical: false,
          worstReadingId: kind === "no-data" ? null : 40 + k,
          // One retracted alert per kind: what a hospital is sent once the alert was merged or withdrawn.
          retracted: status === "resolved" && endedAt === null,
        }),
      ]),
    ),
  );
}

/** Every audit action, each outcome, every kind of actor: what a privacy officer reads as AuditEvent. */
function auditEvents(): [string, Resource][] {
  const actions: AuditEventAction[] = ["read", "search", "create", "update", "export", "disclose", "sign-in", "sign-out", "register", "pair", "grant", "revoke"];
  const actors = [
    { actorKind: "user", actorId: "2f9d8c7b-6a5e-4d3c-8b2a-190f8e7d6c5b", actorRole: "clinician", actorName: "Dr. Ana Ruiz", sourceAddress: "198.51.100.7" },
    { actorKind: "backend-client", actorId: DEVICE, actorRole: null, actorName: "Riverside EHR", sourceAddress: "2001:db8::1" },
    { actorKind: "system", actorId: null, actorRole: "hospital-push", actorName: null, sourceAddress: null },
    { actorKind: "anonymous", actorId: null, actorRole: null, actorName: null, sourceAddress: "203.0.113.9" },
  ] as const;
  return actions.map((action, i): [string, Resource] => {
    const actor = actors[i % actors.length]!;
    const outcome = (["success", "denied", "failure"] as const)[i % 3]!;
    return [
      `AuditEvent ${action} by ${actor.actorKind}, ${outcome}`,
      toFhirAuditEvent({
        seq: 100 + i, occurredAt: new Date("2026-12-03T09:15:02.25Z"), ...actor, action, resourceType: i % 2 ? "Observation" : "AccessList", resourceId: i % 2 ? "42" : null,
        patientIds: i % 4 === 3 ? [] : [PATIENT], purpose: (["care", "emergency", "oversight"] as const)[i % 3]!, outcome,
      }),
    ];
  });
}

function corpus(): [string, Resource][] {
  const patients: [string, Resource][] = [
    ["Patient with MRN", toFhirPatient({ id: PATIENT, givenName: "Mary Ann", familyName: "O'Neil", birthDate: "2014-03-09", medicalRecordNumber: "MRN-00042" }, ORG)],
    ["Patient without MRN", toFhirPatient({ id: PATIENT, givenName: "Sam", familyName: "Lee", birthDate: "1958-12-31", medicalRecordNumber: null }, ORG)],
    ["Patient with a blank MRN", toFhirPatient({ id: PATIENT, givenName: "Sam", familyName: "Lee", birthDate: "1958-12-31", medicalRecordNumber: "  " }, ORG)],
  ];
  const devices: [string, Resource][] = [
    ["Device CGM active", toFhirDevice({ id: DEVICE, kind: "cgm", model: "Dexcom G7", serialNumber: "DX7-123456", firmwareVersion: "2.4.1", patientId: PATIENT, revokedAt: null })],
    ["Device CGM revoked", toFhirDevice({ id: DEVICE, kind: "cgm", model: "FreeStyle Libre 3", serialNumber: "LB3-99", firmwareVersion: null, patientId: PATIENT, revokedAt: new Date("2026-11-20T10:00:00Z") })],
    ["Device CGM from a DeviceSummary", toFhirDevice({ id: DEVICE, kind: "cgm", model: "Dexcom G7", serialNumber: "DX7-1", firmwareVersion: "1.0", status: "stale" })],
    ["Device meter active", toFhirDevice({ id: DEVICE, kind: "fingerstick-meter", model: "Contour Next One", serialNumber: "CN1-777", firmwareVersion: "1.2", patientId: PATIENT })],
    ["Device meter revoked", toFhirDevice({ id: DEVICE, kind: "fingerstick-meter", model: "Accu-Chek Guide", serialNumber: "AG-5", firmwareVersion: null, status: "revoked" })],
  ];
  const observationCorpus = observations();
  const bundleEntries = [
    { fullUrl: `https://lantern.example/fhir/Observation/1`, resource: observationCorpus[0]![1], search: { mode: "match" as const } },
    { fullUrl: `https://lantern.example/fhir/Observation/7`, resource: observationCorpus[6]![1], search: { mode: "match" as const } },
    { fullUrl: `https://lantern.example/fhir/Patient/${PATIENT}`, resource: patients[0]![1], search: { mode: "include" as const } },
    { fullUrl: `https://lantern.example/fhir/Device/${DEVICE}`, resource: devices[0]![1], search: { mode: "include" as const } },
  ];
  const self = "https://lantern.example/fhir/Observation?patient=abc&_count=2";
  return [
    ...observationCorpus,
    ...patients,
    ...devices,
    ["Organization", toFhirOrganization({ id: ORG, name: "Northside Diabetes Clinic" })],
    ["Practitioner", toFhirPractitioner({ id: "2f9d8c7b-6a5e-4d3c-8b2a-190f8e7d6c5b", displayName: "Dr. Ana Ruiz" })],
    ...summaries(),
    ...interpretedObservations(),
    ...flags(),
    ...auditEvents(),
    ["Consent: a guardian objects to hospital sharing", toFhirConsent({
      id: "3f0e4c1a-9b7d-4e2f-8a6c-5d4b3a291807", patientId: PATIENT, organizationId: ORG, purpose: "hospital-sharing", decision: "deny", policyVersion: "2026-12-01",
      decidedAs: "guardian", decidedByUserId: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170", decidedAt: new Date("2026-12-02T10:15:00Z"), supersededAt: null,
    })],
    ["OperationOutcome with expression", toOperationOutcome("error", "invalid", "valueQuantity.value must be a number", "Observation.valueQuantity.value")],
    ["OperationOutcome without expression", toOperationOutcome("error", "not-found", "Observation 42 is not known")],
    ["OperationOutcome warning with two expressions", toOperationOutcome("warning", "business-rule", "Two problems", ["Observation.code", "Observation.subject"])],
    ["searchset Bundle with matches, includes and links", searchsetBundle(bundleEntries, { links: { self, next: `${self}&_cursor=n`, previous: `${self}&_cursor=p` } })],
    ["searchset Bundle, _summary=count", searchsetBundle([], { total: 12, links: { self } })],
    ["CGM reading subsetted by _elements=value", subsetResource(observationCorpus.find(([, o]) => o.meta?.profile)![1], ["value"], observationSearch.elements)],
  ];
}

const CORPUS = corpus();

beforeAll(() => {
  loadCgmProfiles();
}, 60_000);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("validation corpus", () => {
  it.each(CORPUS)("%s: no errors", (_name, resource) => {
    expect(allErrors(resource)).toEqual([]);
  });

  it("the CapabilityStatement validates, its format checked by hand", () => {
    const statement = capabilityStatement("https://lantern.example/fhir", "https://lantern.example/fhir/auth/token");
    // MIME types (BCP 13) cannot be expanded offline; application/fhir+json is the type R4 names for FHIR JSON.
    expect(statement.format).toEqual(["application/fhir+json"]);
    expect(allErrors(statement)).toEqual(["binding CapabilityStatement.format[0]: required value set http://hl7.org/fhir/ValueSet/mimetypes|4.0.1 cannot be expanded offline; check it by hand"]);
  });

  it("covers every path: units, specimens, censoring, device, version, offsets, profiles", () => {
    const json = JSON.stringify(CORPUS.map(([, r]) => r));
    for (const code of Object.values(LOINC)) expect(json).toContain(`"code":"${code}"`);
    for (const url of Object.values(CGM_PROFILE)) expect(json).toContain(url);
    for (const offset of ["+01:00", "-05:00", "+05:30", "-03:30", "+00:00", "+05:45", "+14:00", "-12:00", "-09:30"]) expect(json).toContain(`${offset}"`);
    for (const code of ["L", "LL", "H", "HH"]) expect(json).toContain(`"code":"${code}","display"`);
    for (const fragment of ['"comparator":"<"', '"comparator":">"', '"status":"amended"', '"status":"inactive"', '"device":{"reference"', '"type":"searchset"']) expect(json).toContain(fragment);
  });

  it("validates silently: the validator prints nothing, warnings included", () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => undefined));
    for (const [, resource] of CORPUS) allErrors(resource);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it("every cgm-summary panel's hasMember slices resolve to exactly one member each (the check the validator cannot make)", () => {
    const byId = new Map(CORPUS.map(([, r]) => [r.id, r] as const));
    const panels = CORPUS.map(([, r]) => r).filter((r): r is Observation => r.resourceType === "Observation" && r.code.coding?.[0]?.code === LOINC.cgmSummary);
    expect(panels).toHaveLength(4);
    for (const panel of panels) {
      const codes = panel.hasMember!.map((ref) => (byId.get(ref.reference!.replace("Observation/", "")) as Observation).code.coding![0]!.code);
      // Slices of the profile: exactly one each; mean glucose mass and molar 0..1 each.
      for (const required of [LOINC.timesInRanges, LOINC.gmi, LOINC.cv, LOINC.daysOfWear, LOINC.sensorActive]) expect(codes.filter((c) => c === required)).toHaveLength(1);
      for (const optional of [LOINC.meanGlucoseMass, LOINC.meanGlucoseMolar]) expect(codes.filter((c) => c === optional).length).toBeLessThanOrEqual(1);
      expect(codes.length).toBeGreaterThanOrEqual(6);
    }
  });
});

describe("the validator catches what it should (so zero errors means something)", () => {
  const cgmReading = () => toFhirObservation(reading({ specimen: "interstitial" }), PATIENT);
  const summary = () => toFhirCgmSummary(computeGlycemicSummary(cgmSeries(), { start: new Date(Date.UTC(2026, 10, 1)), end: new Date(Date.UTC(2026, 10, 15)) }), PATIENT, { start: "2026-11-01", end: "2026-11-14" });

  it.each<[string, () => Resource, string]>([
    ["a CGM unit text other than the profile's mg/dl", () => ({ ...cgmReading(), valueQuantity: { ...cgmReading().valueQuantity, unit: "mg/dL" } }), "cgm-sensor-reading-mass-per-volume"],
    ["a CGM reading in mmol/L under the mass profile", () => ({ ...cgmReading(), valueQuantity: { value: 7.3, unit: "mmol/l", system: "http://unitsofmeasure.org", code: "mmol/L" } }), "cgm-sensor-reading-mass-per-volume"],
    ["a CGM reading without a subject", () => ({ ...cgmReading(), subject: undefined }), "cgm-sensor-reading-mass-per-volume"],
    ["a CGM reading coded as a fingerstick", () => ({ ...cgmReading(), code: { coding: [{ system: "http://loinc.org", code: LOINC.bgmMass }] } }), "cgm-sensor-reading-mass-per-volume"],
    ["a dateTime without seconds", () => ({ ...cgmReading(), effectiveDateTime: "2026-11-24T08:05+01:00" }), "R4"],
    ["an id with a space", () => ({ ...cgmReading(), id: "12 3" }), "R4"],
    ["an unknown status", () => ({ ...cgmReading(), status: "done" }) as unknown as Resource, "binding"],
    ["an unknown comparator", () => ({ ...cgmReading(), valueQuantity: { ...cgmReading().valueQuantity, comparator: "<<" } }) as unknown as Resource, "binding"],
    ["an empty id", () => ({ ...cgmReading(), id: "" }), "R4"],
    ["a subject reference that is not Type/id", () => ({ ...cgmReading(), subject: { reference: "Patient/12 3" } }), "R4"],
    ["a Bundle entry that breaks its own profile", () => searchsetBundle([{ resource: { ...cgmReading(), subject: undefined } as Observation }], { links: { self: "https://x.example/fhir/Observation" } }), "entry[0] cgm-sensor-reading-mass-per-volume"],
    ["an empty string", () => ({ ...cgmReading(), meta: { ...cgmReading().meta, versionId: "" } }), "empty"],
    ["a display that is not the table's", () => ({ ...cgmReading(), code: { coding: [{ ...cgmReading().code.coding![0]!, display: "Glucose [Mass/volume] in Blood" }] } }), "display"],
    ["a times-in-ranges member with four components", () => {
      const tir = summary().members.find((m) => m.code.coding![0]!.code === LOINC.timesInRanges)!;
      return { ...tir, component: tir.component!.slice(1) };
    }, "cgm-summary-times-in-ranges"],
    ["a summary member without an end to its period", () => ({ ...summary().members[0]!, effectivePeriod: { start: "2026-11-01" } }), "cgm-summary-mean-glucose-mass-per-volume"],
    ["a panel with five members", () => ({ ...summary().panel, hasMember: summary().panel.hasMember!.slice(1) }), "cgm-summary"],
    ["a CGM device without identifier", () => ({ ...toFhirDevice({ id: DEVICE, kind: "cgm", model: "G7", serialNumber: "1", firmwareVersion: null }), identifier: undefined }), "cgm-device"],
    ["a CGM device without a user-friendly name", () => ({ ...toFhirDevice({ id: DEVICE, kind: "cgm", model: "G7", serialNumber: "1", firmwareVersion: null }), deviceName: [{ name: "G7", type: "model-name" as const }] }), "cgm-device"],
    ["an unknown Bundle type", () => ({ ...searchsetBundle([], { links: { self: "https://x.example/fhir/Patient" } }), type: "list" }) as unknown as Bundle, "binding"],
    ["a Flag with an unknown status", () => ({ ...toFhirFlag({ id: 1, patientId: PATIENT, kind: "hypo-level-2", status: "open", startedAt: new Date(0), endedAt: null, updatedAt: new Date(0), historical: false, worstReadingId: 3, retracted: false }), status: "open" }) as unknown as Resource, "binding"],
    ["a Flag without a subject", () => ({ ...toFhirFlag({ id: 1, patientId: PATIENT, kind: "no-data", status: "open", startedAt: new Date(0), endedAt: null, updatedAt: new Date(0), historical: false, worstReadingId: null, retracted: false }), subject: undefined }) as unknown as Resource, "R4"],
    ["an unknown issue severity", () => ({ ...toOperationOutcome("error", "invalid", "x"), issue: [{ severity: "bad", code: "invalid" }] }) as unknown as Resource, "binding"],
  ])("%s", (_label, make, where) => {
    const resource = JSON.parse(JSON.stringify(make())) as Resource;
    const errors = allErrors(resource);
    expect(errors.some((e) => e.startsWith(`${where} `))).toBe(true);
  });
});

describe("the vendored CGM IG profiles", () => {
  const examplesDir = path.join(CGM_IG_DIR, "examples");
  const examples = fs.readdirSync(examplesDir).map((file) => JSON.parse(fs.readFileSync(path.join(examplesDir, file), "utf8")) as Resource);
  const profileFor = (resource: Resource): string => {
    if (resource.resourceType === "Device") return CGM_PROFILE.device;
    const code = (resource as Observation).code.coding![0]!.code!;
    const entry = Object.entries(LOINC).find(([, c]) => c === code)![0];
    const byCode: Record<string, string> = {
      cgmMass: CGM_PROFILE.sensorReadingMass,
      cgmMolar: CGM_PROFILE.sensorReadingMolar,
      cgmSummary: CGM_PROFILE.summary,
      meanGlucoseMass: CGM_PROFILE.meanGlucoseMass,
      meanGlucoseMolar: CGM_PROFILE.meanGlucoseMolar,
      gmi: CGM_PROFILE.gmi,
      cv: CGM_PROFILE.cv,
      daysOfWear: CGM_PROFILE.daysOfWear,
      sensorActive: CGM_PROFILE.sensorActive,
      timesInRanges: CGM_PROFILE.timesInRanges,
    };
    return byCode[entry]!;
  };

  it("are all loaded", () => {
    expect([...loadCgmProfiles().keys()].sort()).toEqual(Object.values(CGM_PROFILE).sort());
  });

  it.each(examples.map((e) => [e.id, e] as const))("the IG's own example %s validates against its profile", (_id, example) => {
    expect(validatorErrors(example)).toEqual([]);
    expect(validatorErrors(example, profileFor(example))).toEqual([]);
    expect(requiredBindingErrors(example)).toEqual([]);
  });
});
