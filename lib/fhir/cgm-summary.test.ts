import type { Observation } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { computeGlycemicSummary, type GlycemicReading, type GlycemicSummary } from "@/lib/metrics/glycemic";
import { londonAutumnFortnight } from "@/lib/metrics/reference-series";
import { localCalendarPeriod } from "@/lib/time/calendar";
import { FHIR_ID } from "./primitives";
import { roundPercentagesTo100, toFhirCgmSummary } from "./cgm-summary";

const PATIENT = "7d0c5b8e-3f1a-4c2b-9e6d-2a4b8c1d0e5f";
const start = new Date("2026-11-01T00:00:00Z");
const end = new Date("2026-11-15T00:00:00Z");

/** 14 days at 5 minutes, cycling 100, 150, 200, 250, 300 mg/dL; every 7th reading missing. */
function series(): GlycemicReading[] {
  const values = [100, 150, 200, 250, 300];
  const readings: GlycemicReading[] = [];
  for (let i = 0; i < 14 * 288; i += 1) {
    if (i % 7 === 6) continue;
    readings.push({ valueMgdl: values[i % 5]!, censored: null, specimen: "interstitial", effectiveAt: new Date(start.getTime() + i * 300_000) });
  }
  return readings;
}

const summary = computeGlycemicSummary(series(), { start, end });
const period = { start: "2026-11-01", end: "2026-11-14" };
const byCode = (members: Observation[], code: string) => members.find((m) => m.code.coding![0]!.code === code)!;

describe("toFhirCgmSummary", () => {
  const { panel, members } = toFhirCgmSummary(summary, PATIENT, period);

  it("a panel 107931-8 with one hasMember per member, all with the reporting period", () => {
    expect(panel).toMatchObject({
      resourceType: "Observation",
      meta: { profile: ["http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-summary"] },
      status: "final",
      code: { coding: [{ system: "http://loinc.org", code: "107931-8" }] },
      subject: { reference: `Patient/${PATIENT}` },
      effectivePeriod: period,
    });
    expect(panel.hasMember).toEqual(members.map((m) => ({ reference: `Observation/${m.id}` })));
    expect(members).toHaveLength(6);
    for (const member of members) expect(member).toMatchObject({ status: "final", subject: { reference: `Patient/${PATIENT}` }, effectivePeriod: period });
  });

  it.each([
    ["97507-8", "cgm-summary-mean-glucose-mass-per-volume", { value: expect.any(Number), unit: "mg/dl", code: "mg/dL" }],
    ["97506-0", "cgm-summary-gmi", { unit: "%", code: "%" }],
    ["104638-2", "cgm-summary-coefficient-of-variation", { unit: "%", code: "%" }],
    ["104636-6", "cgm-summary-days-of-wear", { value: 14, unit: "days", code: "d" }],
    ["104637-4", "cgm-summary-sensor-active-percentage", { unit: "%", code: "%" }],
  ])("member %s in profile %s", (code, profile, quantity) => {
    const member = byCode(members, code);
    expect(member.meta!.profile).toEqual([`http://hl7.org/fhir/uv/cgm/StructureDefinition/${profile}`]);
    expect(member.valueQuantity).toMatchObject({ system: "http://unitsofmeasure.org", ...quantity });
  });

  it("reports the metrics at their reporting precision (hand-computed)", () => {
    // 3456 readings kept of 4032 (every 7th missing): 692 x 100 and 691 each of 150, 200, 250,
    // 300 mg/dL. Mean 691100 / 3456 = 199.971; sample SD 70.731; CV 35.371%.
    expect(summary.readingCount).toBe(3456);
    expect(byCode(members, "97507-8").valueQuantity!.value).toBe(200); // 199.971 to one decimal
    expect(byCode(members, "97506-0").valueQuantity!.value).toBe(8.1); // 3.31 + 0.02392 x 199.971 = 8.0933
    expect(byCode(members, "104638-2").valueQuantity!.value).toBe(35.4);
    expect(byCode(members, "104637-4").valueQuantity!.value).toBe(85.7); // 3456 / 4032 = 85.714%
  });

  it("times in ranges: five % components in consensus order, summing to exactly 100", () => {
    const tir = byCode(members, "106793-3");
    expect(tir.meta!.profile).toEqual(["http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-summary-times-in-ranges"]);
    expect(tir.component!.map((c) => c.code.coding![0]!.code)).toEqual(["104642-4", "104641-6", "97510-2", "104640-8", "104639-0"]);
    const values = tir.component!.map((c) => c.valueQuantity!.value!);
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 10);
    // In range (100, 150): 1383 / 3456 = 40.0174%; high (200, 250): 1382 = 39.9884%; very high
    // (300): 691 = 19.9942%. Floors 40.01 + 39.98 + 19.99 = 99.98; the two hundredths left go to
    // the largest remainders (high .84, in range .74).
    expect(values).toEqual([0, 0, 40.02, 39.99, 19.99]);
  });

  it("ids: deterministic, FHIR-valid, derived from patient and period", () => {
    const again = toFhirCgmSummary(summary, PATIENT, period);
    expect(again.panel.id).toBe(panel.id);
    expect(panel.id).toMatch(/^cgm-summary-[0-9a-f]{16}$/);
    for (const r of [panel, ...members]) expect(r.id).toMatch(FHIR_ID);
    expect(members.map((m) => m.id!.slice(panel.id!.length + 1))).toEqual(["mean-mass", "times-in-ranges", "gmi", "cv", "days-of-wear", "sensor-active"]);
    expect(toFhirCgmSummary(summary, PATIENT, { ...period, end: "2026-11-15" }).panel.id).not.toBe(panel.id);
    expect(toFhirCgmSummary(summary, "another-patient", period).panel.id).not.toBe(panel.id);
  });

  it.each([
    [["mmol/L"], ["105273-7"]],
    [["mg/dL", "mmol/L"], ["97507-8", "105273-7"]],
  ] as const)("mean glucose in %j", (units, codes) => {
    const result = toFhirCgmSummary(summary, PATIENT, period, { meanGlucoseUnits: units });
    expect(result.members.map((m) => m.code.coding![0]!.code).filter((c) => c === "97507-8" || c === "105273-7")).toEqual(codes);
    const molar = result.members.find((m) => m.code.coding![0]!.code === "105273-7")!;
    expect(molar.valueQuantity).toEqual({ value: 11.1, unit: "mmol/l", system: "http://unitsofmeasure.org", code: "mmol/L" }); // 199.971 / 18.01559 = 11.0999
    expect(molar.meta!.profile).toEqual(["http://hl7.org/fhir/uv/cgm/StructureDefinition/cgm-summary-mean-glucose-moles-per-volume"]);
  });

  it("shares no objects between resources (mutating one leaves the others alone)", () => {
    const fresh = toFhirCgmSummary(summary, PATIENT, period);
    fresh.panel.effectivePeriod!.end = "2026-12-31";
    fresh.panel.subject!.reference = "Patient/other";
    expect(fresh.members.every((m) => m.effectivePeriod!.end === "2026-11-14" && m.subject!.reference === `Patient/${PATIENT}`)).toBe(true);
  });

  it("takes Date bounds as instants", () => {
    expect(toFhirCgmSummary(summary, PATIENT, { start, end }).panel.effectivePeriod).toEqual({ start: "2026-11-01T00:00:00.000Z", end: "2026-11-15T00:00:00.000Z" });
  });

  it.each<[string, GlycemicSummary, string]>([
    ["fingerstick readings", computeGlycemicSummary([], { start, end, specimen: "capillary" }), PATIENT],
    ["no readings", computeGlycemicSummary([], { start, end }), PATIENT],
    ["one reading (no CV)", computeGlycemicSummary(series().slice(0, 1), { start, end }), PATIENT],
    ["a patient id that is not a FHIR id", summary, "not an id"],
  ])("refuses %s", (_label, s, patientId) => {
    expect(() => toFhirCgmSummary(s, patientId, period)).toThrow(RangeError);
  });

  it("refuses a period bound that is not a FHIR date", () => {
    expect(() => toFhirCgmSummary(summary, PATIENT, { start: "1 Nov 2026", end: "2026-11-14" })).toThrow(RangeError);
  });
});

describe("roundPercentagesTo100", () => {
  it.each([
    [{ veryLow: 100 / 3, low: 100 / 3, inRange: 100 / 3, high: 0, veryHigh: 0 }, { veryLow: 33.34, low: 33.33, inRange: 33.33, high: 0, veryHigh: 0 }],
    [{ veryLow: 1 / 7 * 100, low: 1 / 7 * 100, inRange: 3 / 7 * 100, high: 1 / 7 * 100, veryHigh: 1 / 7 * 100 }, { veryLow: 14.29, low: 14.29, inRange: 42.86, high: 14.28, veryHigh: 14.28 }],
    [{ veryLow: 0, low: 0, inRange: 100, high: 0, veryHigh: 0 }, { veryLow: 0, low: 0, inRange: 100, high: 0, veryHigh: 0 }],
    [{ veryLow: 57, low: 0.5, inRange: 42.5, high: 0, veryHigh: 0 }, { veryLow: 57, low: 0.5, inRange: 42.5, high: 0, veryHigh: 0 }],
  ])("%j -> %j", (input, output) => {
    const rounded = roundPercentagesTo100(input, 2);
    expect(rounded).toEqual(output);
    expect(Object.values(rounded).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 10);
  });
});

describe("toFhirCgmSummary: a local-calendar period", () => {
  const london = localCalendarPeriod("Europe/London", "2026-10-18", 14);
  const byLocalDays = computeGlycemicSummary(londonAutumnFortnight.readings, { period: london });

  it("a London fortnight across the October change: its dates, 14 days of wear, 4044 of 4044 readings", () => {
    const { panel, members } = toFhirCgmSummary(byLocalDays, PATIENT, london);
    expect(panel.effectivePeriod).toEqual({ start: "2026-10-18", end: "2026-10-31" });
    expect(byCode(members, "104636-6").valueQuantity).toMatchObject({ value: 14, code: "d" });
    expect(byCode(members, "104637-4").valueQuantity!.value).toBe(100);
  });

  it("is the same resource as the period's dates given by hand (same ids)", () => {
    expect(toFhirCgmSummary(byLocalDays, PATIENT, london).panel.id).toBe(toFhirCgmSummary(byLocalDays, PATIENT, { start: "2026-10-18", end: "2026-10-31" }).panel.id);
  });

  it("the same readings summarized between two instants count 24-hour windows: 15 days of wear (the bug this period fixes)", () => {
    const byWindows = computeGlycemicSummary(londonAutumnFortnight.readings, { start: london.start, end: london.end });
    expect(byCode(toFhirCgmSummary(byWindows, PATIENT, { start: london.start, end: london.end }).members, "104636-6").valueQuantity!.value).toBe(15);
  });

  it.each<[string, GlycemicSummary]>([
    ["a summary between two instants", computeGlycemicSummary(londonAutumnFortnight.readings, { start: london.start, end: london.end })],
    ["a summary of another local-calendar period", computeGlycemicSummary(londonAutumnFortnight.readings, { period: localCalendarPeriod("Europe/London", "2026-10-18", 13) })],
    ["a summary of the same dates in another zone", computeGlycemicSummary(londonAutumnFortnight.readings, { period: localCalendarPeriod("Europe/Dublin", "2026-10-18", 14) })],
  ])("refuses %s (its days of wear would not be the days shown)", (_label, other) => {
    expect(() => toFhirCgmSummary(other, PATIENT, london)).toThrow(RangeError);
  });
});
