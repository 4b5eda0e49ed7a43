import { describe, expect, it } from "vitest";
import { alertKinds, type AlertKind } from "@/lib/alerts/kinds";
import { FLAG_DETAIL_EXTENSION, flagStatusOf, LANTERN_ALERT_SYSTEM, toFhirFlag, type AlertHandlingStatus, type FhirAlertInput } from "./flag";

const PATIENT = "7d0c5b8e-3f1a-4c2b-9e6d-2a4b8c1d0e5f";
const ENDED = new Date("2026-11-24T08:40:00Z");

function alert(overrides: Partial<FhirAlertInput> = {}): FhirAlertInput {
  return {
    id: 7,
    patientId: PATIENT,
    kind: "hypo-level-2",
    status: "open",
    startedAt: new Date("2026-11-24T07:05:00Z"),
    endedAt: null,
    updatedAt: new Date("2026-11-24T07:25:00.250Z"),
    historical: false,
    retracted: false,
    worstReadingId: 42,
    ...overrides,
  };
}

describe("Flag status: active while the episode goes on or nobody resolved it", () => {
  it.each<[AlertHandlingStatus, Date | null, boolean, "active" | "inactive"]>([
    ["open", null, false, "active"],
    ["open", ENDED, false, "active"],
    ["acknowledged", null, false, "active"],
    ["acknowledged", ENDED, false, "active"],
    ["resolved", null, false, "active"],
    ["resolved", ENDED, false, "inactive"],
    ["open", null, true, "active"],
    ["open", ENDED, true, "inactive"],
    ["acknowledged", ENDED, true, "inactive"],
    ["resolved", ENDED, true, "inactive"],
  ])("%s, ended %s, historical %s: %s", (status, endedAt, historical, expected) => {
    expect(flagStatusOf({ status, endedAt, historical, retracted: false })).toBe(expected);
    expect(toFhirFlag(alert({ status, endedAt, historical })).status).toBe(expected);
  });
});

describe("Flag status of a merged or withdrawn alert", () => {
  it.each<[AlertHandlingStatus, Date | null, boolean]>([
    ["open", null, false],
    ["acknowledged", ENDED, false],
    ["resolved", ENDED, true],
  ])("%s, ended %s, historical %s: entered-in-error", (status, endedAt, historical) => {
    expect(flagStatusOf({ status, endedAt, historical, retracted: true })).toBe("entered-in-error");
    expect(toFhirFlag(alert({ status, endedAt, historical, retracted: true })).status).toBe("entered-in-error");
  });
});

describe("Flag code per alert kind", () => {
  it.each<[AlertKind, string | null]>([
    ["hypo-level-2", "302866003"],
    ["hypo-extended", "302866003"],
    ["hypo-level-1", "302866003"],
    ["rapid-fall", null],
    ["hyper-level-2", "80394007"],
    ["hyper-level-1", "80394007"],
    ["no-data", null],
  ])("%s: SNOMED CT %s, and the Lantern kind", (kind, snomed) => {
    const codings = toFhirFlag(alert({ kind })).code.coding!;
    expect(codings.filter((c) => c.system === "http://snomed.info/sct").map((c) => c.code)).toEqual(snomed ? [snomed] : []);
    expect(codings.filter((c) => c.system === "urn:lantern:alert-kind").map((c) => c.code)).toEqual([kind]);
  });

  it("covers every kind", () => {
    for (const kind of alertKinds) expect(toFhirFlag(alert({ kind })).code.coding!.length).toBeGreaterThan(0);
  });
});

describe("toFhirFlag", () => {
  it("renders an ongoing level 2 low with its worst reading as evidence", () => {
    expect(toFhirFlag(alert())).toEqual({
      resourceType: "Flag",
      id: "7",
      meta: { lastUpdated: "2026-11-24T07:25:00.250Z" },
      extension: [{ url: FLAG_DETAIL_EXTENSION, valueReference: { reference: "Observation/42" } }],
      identifier: [{ system: LANTERN_ALERT_SYSTEM, value: "7" }],
      status: "active",
      category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/flag-category", code: "clinical", display: "Clinical" }] }],
      code: {
        coding: [
          { system: "http://snomed.info/sct", code: "302866003", display: "Hypoglycemia" },
          { system: "urn:lantern:alert-kind", code: "hypo-level-2", display: "Level 2 hypoglycaemia (below the level 2 low threshold for 15 minutes)" },
        ],
      },
      subject: { reference: `Patient/${PATIENT}` },
      period: { start: "2026-11-24T07:05:00.000Z" },
    });
  });

  it("gives an ended episode its end, and a silent feed no evidence", () => {
    const flag = toFhirFlag(alert({ kind: "no-data", endedAt: ENDED, worstReadingId: null }));
    expect(flag.period).toEqual({ start: "2026-11-24T07:05:00.000Z", end: "2026-11-24T08:40:00.000Z" });
    expect(flag.extension).toBeUndefined();
  });

  it.each<[string, Partial<FhirAlertInput>]>([
    ["an id that is not a positive integer", { id: 0 }],
    ["a patient id that is not a FHIR id", { patientId: "a b" }],
    ["an end before the start", { endedAt: new Date("2026-11-24T07:00:00Z") }],
    ["an evidence reading id that is not a positive integer", { worstReadingId: -1 }],
  ])("refuses %s", (_label, overrides) => {
    expect(() => toFhirFlag(alert(overrides))).toThrow(RangeError);
  });
});
