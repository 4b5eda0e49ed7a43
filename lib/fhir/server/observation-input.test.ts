import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { observationToCandidate } from "./observation-input";

const patient = "6f1c2d4e-0000-4000-8000-000000000001";
const observation = (change: Record<string, unknown> = {}) => ({
  resourceType: "Observation",
  status: "final",
  code: { coding: [{ system: "http://loinc.org", code: "99504-3" }] },
  subject: { reference: `Patient/${patient}` },
  effectiveDateTime: "2026-11-24T08:05:00+01:00",
  valueQuantity: { value: 120, unit: "mg/dL", system: "http://unitsofmeasure.org", code: "mg/dL" },
  ...change,
});

describe("observationToCandidate", () => {
  it("keeps value, unit, offset and the specimen the code implies", () => {
    const contentKey = `fhir:interstitial:client-1:${Date.parse("2026-11-24T07:05:00Z")}:120mg/dL`;
    expect(observationToCandidate(observation(), 4, "client-1")).toEqual({
      patientId: patient,
      candidate: {
        position: 4, value: 120, unit: "mg/dL", censored: null, effectiveAt: new Date("2026-11-24T07:05:00Z"), utcOffsetMinutes: 60,
        specimen: "interstitial", dedupeKey: contentKey,
      },
      contentKey,
      identifier: null,
    });
  });

  it("keys two values at the same time apart, and the same reading from two senders apart", () => {
    const first = observationToCandidate(observation(), 0, "client-1");
    const other = observationToCandidate(observation({ valueQuantity: { value: 250, code: "mg/dL" } }), 0, "client-1");
    const elsewhere = observationToCandidate(observation(), 0, "client-2");
    const keys = [first, other, elsewhere].map((parsed) => ("candidate" in parsed ? parsed.candidate.dedupeKey : null));
    expect(new Set(keys).size).toBe(3);
  });

  it("keys by identifier when there is one, and reads comparators as censoring", () => {
    const result = observationToCandidate(
      observation({
        code: { coding: [{ system: "http://loinc.org", code: "14743-9" }] },
        valueQuantity: { value: 1.1, code: "mmol/L", comparator: "<" },
        identifier: [{ system: "urn:hospital", value: "obs-1" }],
      }),
      0,
      "client-1",
    );
    expect(result).toMatchObject({ candidate: { specimen: "capillary", unit: "mmol/L", censored: "below", dedupeKey: expect.stringMatching(/^fhir:identifier:sha256-[0-9a-f]{64}$/) }, identifier: "urn:hospital|obs-1" });
    // The identifier key does not depend on the value: the same identifier with another value is a conflict, found by it.
    const changed = observationToCandidate(observation({ code: { coding: [{ system: "http://loinc.org", code: "14743-9" }] }, valueQuantity: { value: 9, code: "mmol/L" }, identifier: [{ system: "urn:hospital", value: "obs-1" }] }), 0, "client-2");
    expect("candidate" in changed && "candidate" in result && changed.candidate.dedupeKey === result.candidate.dedupeKey).toBe(true);
  });

  it.each([
    // Not a valid R4 Observation: 400.
    [{ resourceType: "Patient" }, "Observation.resourceType", "invalid"],
    [{ status: undefined }, "Observation.status", "invalid"],
    [{ status: "done" }, "Observation.status", "invalid"],
    [{ code: undefined }, "Observation.code", "invalid"],
    [{ effectiveDateTime: "2026-11-24T08:05:00" }, "Observation.effectiveDateTime", "invalid"],
    [{ valueQuantity: { value: "120", code: "mg/dL" } }, "Observation.valueQuantity.value", "invalid"],
    [{ subject: { reference: 42 } }, "Observation.subject.reference", "invalid"],
    // A valid Observation Lantern does not store: 422.
    [{ code: { coding: [{ system: "http://loinc.org", code: "2339-0" }] } }, "Observation.code", "unprocessable"],
    [{ code: { coding: [{ system: "http://loinc.org", code: "97506-0" }] } }, "Observation.code", "unprocessable"],
    [{ code: { coding: [{ system: "http://loinc.org", code: "14743-9" }] } }, "Observation.valueQuantity.code", "unprocessable"],
    [{ subject: { reference: "Group/1" } }, "Observation.subject.reference", "unprocessable"],
    [{ subject: undefined }, "Observation.subject.reference", "unprocessable"],
    [{ status: "cancelled" }, "Observation.status", "unprocessable"],
    [{ effectiveDateTime: undefined, effectivePeriod: { start: "2026-11-01", end: "2026-11-14" } }, "Observation.effectiveDateTime", "unprocessable"],
    [{ effectiveDateTime: "2026-11-24" }, "Observation.effectiveDateTime", "unprocessable"],
    [{ valueQuantity: undefined }, "Observation.valueQuantity", "unprocessable"],
    [{ valueQuantity: { value: 6.8, system: "http://unitsofmeasure.org", code: "%" } }, "Observation.valueQuantity.code", "unprocessable"],
    [{ valueQuantity: { value: 120, system: "http://snomed.info/sct", code: "mg/dL" } }, "Observation.valueQuantity.system", "unprocessable"],
  ])("refuses %j at %s as %s", (change, expression, kind) => {
    expect(observationToCandidate(observation(change), 0, "client-1")).toEqual({ error: expect.any(String), expression, kind });
  });

  it("says a CGM summary is computed, not stored, and that a reading is an instant", () => {
    expect(observationToCandidate(observation({ code: { coding: [{ system: "http://loinc.org", code: "107931-8" }] } }), 0, "c")).toMatchObject({ error: expect.stringContaining("$cgm-summary") });
    expect(observationToCandidate(observation({ effectiveDateTime: undefined, effectivePeriod: {} }), 0, "c")).toMatchObject({ error: expect.stringContaining("has an effectivePeriod") });
  });

  it("takes any patient id, so that one which does not exist is answered 404 by the data layer", () => {
    expect(observationToCandidate(observation({ subject: { reference: "Patient/patientExample" } }), 0, "c")).toMatchObject({ patientId: "patientexample" });
  });

  it("reads the litre written l as UCUM allows", () => {
    expect(observationToCandidate(observation({ valueQuantity: { value: 120, system: "http://unitsofmeasure.org", code: "mg/dl" } }), 0, "c")).toMatchObject({ candidate: { unit: "mg/dL" } });
  });

  it("never throws on hostile input", () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const result = observationToCandidate(raw, 0, "client-1");
        expect("error" in result || "candidate" in result).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
