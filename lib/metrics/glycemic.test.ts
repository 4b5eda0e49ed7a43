import { describe, expect, it } from "vitest";
import type { Specimen } from "@/db/schema/readings-enums";
import { normalizedMgdl } from "@/lib/readings/units";
import { localCalendarPeriod } from "@/lib/time/calendar";
import { classifyGlucose, computeGlycemicSummary, glucoseManagementIndicator, type GlucoseRange, type GlycemicReading } from "./glycemic";
import { londonAutumnFortnight, newYorkSpringFortnight } from "./reference-series";

const MINUTE = 60_000;
const DAY = 86_400_000;
const start = new Date("2026-11-01T00:00:00Z");
const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);
const cgm = (minutes: number, valueMgdl: number, censored: GlycemicReading["censored"] = null, specimen: Specimen = "interstitial"): GlycemicReading => ({
  valueMgdl,
  censored,
  effectiveAt: at(minutes),
  specimen,
});

/** A reading every 5 minutes over [fromDay, toDay) of the period, all 120 mg/dL. */
function everyFiveMinutes(fromDay: number, toDay: number): GlycemicReading[] {
  const readings: GlycemicReading[] = [];
  for (let minute = fromDay * 1440; minute < toDay * 1440; minute += 5) readings.push(cgm(minute, 120));
  return readings;
}

describe("classifyGlucose: boundaries (round to whole mg/dL, halves up, then <54, 54-69, 70-180, 181-250, >250)", () => {
  it.each<[number, GlucoseRange]>([
    [20, "veryLow"],
    [53, "veryLow"],
    [53.49, "veryLow"],
    [53.5, "low"],
    [54, "low"],
    [69, "low"],
    [69.49, "low"],
    [69.5, "inRange"],
    [70, "inRange"],
    [180, "inRange"],
    [180.49, "inRange"],
    [180.5, "high"],
    [181, "high"],
    [250, "high"],
    [250.49, "high"],
    [250.5, "veryHigh"],
    [251, "veryHigh"],
    [600, "veryHigh"],
  ])("%s mg/dL is %s", (value, range) => {
    expect(classifyGlucose(value)).toBe(range);
  });

  it.each<[number, "below" | "above", GlucoseRange]>([
    [40, "below", "veryLow"],
    [100, "below", "veryLow"],
    [400, "above", "veryHigh"],
    [150, "above", "veryHigh"],
  ])("a value censored at %s (%s) counts beyond every threshold: %s", (limit, censored, range) => {
    expect(classifyGlucose(limit, censored)).toBe(range);
  });

  it("puts every mmol/L value at one decimal in its consensus mmol/L band (<3.0, 3.0-3.8, 3.9-10.0, 10.1-13.9, >13.9)", () => {
    for (let tenths = 10; tenths <= 333; tenths += 1) {
      const mmol = tenths / 10;
      const expected: GlucoseRange = tenths < 30 ? "veryLow" : tenths <= 38 ? "low" : tenths <= 100 ? "inRange" : tenths <= 139 ? "high" : "veryHigh";
      expect([mmol, classifyGlucose(normalizedMgdl(mmol, "mmol/L"))]).toEqual([mmol, expected]);
    }
  });

  it("refuses a non-numeric value", () => {
    expect(() => classifyGlucose(Number.NaN)).toThrow(RangeError);
  });
});

describe("glucoseManagementIndicator", () => {
  it.each([
    [150, 6.898],
    [154, 6.99368],
    [100, 5.702],
  ])("mean %s mg/dL gives GMI %s %%", (mean, gmi) => {
    expect(glucoseManagementIndicator(mean)).toBeCloseTo(gmi, 10);
  });
});

describe("computeGlycemicSummary: reference series", () => {
  it("a plain hour of CGM: mean, sample SD, CV, GMI, ranges, active %", () => {
    const readings = [100, 120, 140, 160, 180, 200].map((value, i) => cgm(i * 5, value));
    const summary = computeGlycemicSummary(readings, { start, end: at(60) });
    // Hand-computed: mean 150; squared deviations 2500+900+100+100+900+2500 = 7000; /5 = 1400.
    expect(summary.readingCount).toBe(6);
    expect(summary.meanMgdl).toBe(150);
    expect(summary.sdMgdl).toBeCloseTo(Math.sqrt(1400), 12);
    expect(summary.sdMgdl).toBeCloseTo(37.416573867739416, 12);
    expect(summary.cvPercent).toBeCloseTo(24.944382578492945, 10);
    expect(summary.gmiPercent).toBeCloseTo(6.898, 12);
    expect(summary.rangeCounts).toEqual({ veryLow: 0, low: 0, inRange: 5, high: 1, veryHigh: 0 });
    expect(summary.timeInRangesPercent!.inRange).toBeCloseTo(500 / 6, 12);
    expect(summary.timeInRangesPercent!.high).toBeCloseTo(100 / 6, 12);
    // 60 minutes at 5 minutes: 12 expected readings, 6 arrived.
    expect(summary.wear).toEqual({ expectedIntervalMinutes: 5, expectedReadings: 12, cgmReadings: 6, daysOfWear: 1, sensorActivePercent: 50 });
    expect(summary.daysWithData).toBe(1);
    expect(summary.censored).toEqual({ below: 0, above: 0 });
  });

  it("censored LO/HI, mixed units, boundaries, a duplicate, readings outside the period and a fingerstick", () => {
    const readings: GlycemicReading[] = [
      cgm(-5, 300), // before start: ignored
      cgm(0, 40, "below"), // sensor "Low": very low, 40 in the mean
      cgm(5, 400, "above"), // sensor "High": very high, 400 in the mean
      cgm(10, normalizedMgdl(3.9, "mmol/L")), // 70.261: in range
      cgm(15, normalizedMgdl(10.0, "mmol/L")), // 180.156: in range
      cgm(20, normalizedMgdl(13.9, "mmol/L")), // 250.417: high
      cgm(25, 69.5), // rounds to 70: in range
      cgm(25, 69.5), // same instant: a duplicate
      cgm(30, 53.5), // rounds to 54: low
      cgm(35, 45, null, "capillary"), // a fingerstick: not a CGM reading
      cgm(60, 500), // at the end (exclusive): ignored
    ];
    const summary = computeGlycemicSummary(readings, { start, end: at(60) });
    expect(summary.readingCount).toBe(7);
    expect(summary.duplicatesIgnored).toBe(1);
    expect(summary.outsidePeriodIgnored).toBe(2);
    expect(summary.censored).toEqual({ below: 1, above: 1 });
    expect(summary.rangeCounts).toEqual({ veryLow: 1, low: 1, inRange: 3, high: 1, veryHigh: 1 });
    // Hand-computed over 40, 400, 70.261, 180.156, 250.417, 69.5, 53.5 (sum 1063.834).
    expect(summary.meanMgdl).toBeCloseTo(1063.834 / 7, 10);
    expect(summary.sdMgdl).toBeCloseTo(133.98782681611326, 9);
    expect(summary.cvPercent).toBeCloseTo(88.16364091698449, 9);
    expect(summary.gmiPercent).toBeCloseTo(6.945272754285714, 10);
    expect(summary.timeInRangesPercent).toEqual({
      veryLow: (1 / 7) * 100,
      low: (1 / 7) * 100,
      inRange: (3 / 7) * 100,
      high: (1 / 7) * 100,
      veryHigh: (1 / 7) * 100,
    });
    const total = Object.values(summary.timeInRangesPercent!).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(100, 10);
    expect(summary.wear!.cgmReadings).toBe(7);
  });

  it("keeps full precision in times in ranges (no rounding)", () => {
    const readings = [cgm(0, 100), cgm(5, 100), cgm(10, 300)];
    const summary = computeGlycemicSummary(readings, { start, end: at(15) });
    expect(summary.timeInRangesPercent!.inRange).toBe((2 / 3) * 100);
    expect(summary.timeInRangesPercent!.veryHigh).toBe((1 / 3) * 100);
  });

  it("a duplicate is the first reading given at that instant", () => {
    const summary = computeGlycemicSummary([cgm(0, 100), cgm(0, 300), cgm(5, 200)], { start, end: at(10) });
    expect(summary.meanMgdl).toBe(150);
    expect(summary.duplicatesIgnored).toBe(1);
  });

  it("no readings: counts are zero, statistics null", () => {
    const summary = computeGlycemicSummary([], { start, end: at(60) });
    expect(summary).toMatchObject({
      readingCount: 0,
      meanMgdl: null,
      sdMgdl: null,
      cvPercent: null,
      gmiPercent: null,
      timeInRangesPercent: null,
      daysWithData: 0,
      wear: { cgmReadings: 0, daysOfWear: 0, sensorActivePercent: 0 },
      sufficiency: { sufficient: false },
    });
  });

  it("one reading: a mean and GMI but no SD or CV", () => {
    const summary = computeGlycemicSummary([cgm(0, 154)], { start, end: at(60) });
    expect(summary).toMatchObject({ meanMgdl: 154, sdMgdl: null, cvPercent: null });
    expect(summary.gmiPercent).toBeCloseTo(6.99368, 10);
  });
});

describe("computeGlycemicSummary: days, wear and sufficiency", () => {
  const fourteenDays = new Date(start.getTime() + 14 * DAY);

  it("14 full days at 5 minutes: 4032 readings, 100% active, sufficient", () => {
    const summary = computeGlycemicSummary(everyFiveMinutes(0, 14), { start, end: fourteenDays });
    expect(summary.wear).toEqual({ expectedIntervalMinutes: 5, expectedReadings: 4032, cgmReadings: 4032, daysOfWear: 14, sensorActivePercent: 100 });
    expect(summary.daysWithData).toBe(14);
    expect(summary.periodDays).toBe(14);
    expect(summary.sufficiency).toEqual({ enoughDays: true, enoughActive: true, sufficient: true });
  });

  it("a 5-day gap: 9 days of wear, 64.29% active, not sufficient", () => {
    const readings = [...everyFiveMinutes(0, 4), ...everyFiveMinutes(9, 14)];
    const summary = computeGlycemicSummary(readings, { start, end: fourteenDays });
    expect(summary.wear!.daysOfWear).toBe(9);
    expect(summary.wear!.sensorActivePercent).toBeCloseTo((9 / 14) * 100, 10);
    expect(summary.sufficiency).toEqual({ enoughDays: true, enoughActive: false, sufficient: false });
  });

  it.each([
    [2823, true],
    [2822, false],
  ])("70%% active boundary over 14 days: %s of 4032 readings is sufficient: %s", (count, sufficient) => {
    const readings = everyFiveMinutes(0, 14).slice(0, count);
    const summary = computeGlycemicSummary(readings, { start, end: fourteenDays });
    expect(summary.wear!.sensorActivePercent).toBeCloseTo((count / 4032) * 100, 10);
    expect(summary.sufficiency.sufficient).toBe(sufficient);
  });

  it.each([
    ["13 days", 13 * DAY, false],
    ["14 days less an hour (a daylight-saving fortnight)", 14 * DAY - 3_600_000, true],
    ["14 days less an hour and a millisecond", 14 * DAY - 3_600_001, false],
    ["28 days", 28 * DAY, true],
  ])("a period of %s has enough days: %s", (_label, length, enough) => {
    const end = new Date(start.getTime() + length);
    const summary = computeGlycemicSummary(everyFiveMinutes(0, 28), { start, end });
    expect(summary.sufficiency.enoughDays).toBe(enough);
    expect(summary.sufficiency.enoughActive).toBe(true);
  });

  it("days are 24-hour windows from start (a local midnight), not UTC dates", () => {
    const localMidnight = new Date("2026-10-31T23:00:00Z"); // 00:00 at +01:00
    const readings: GlycemicReading[] = [
      { valueMgdl: 100, censored: null, specimen: "interstitial", effectiveAt: new Date("2026-10-31T23:30:00Z") },
      { valueMgdl: 100, censored: null, specimen: "interstitial", effectiveAt: new Date("2026-11-01T22:59:59Z") },
      { valueMgdl: 100, censored: null, specimen: "interstitial", effectiveAt: new Date("2026-11-01T23:00:00Z") },
    ];
    const summary = computeGlycemicSummary(readings, { start: localMidnight, end: new Date("2026-11-02T23:00:00Z") });
    expect(summary.daysWithData).toBe(2);
    expect(summary.wear!.daysOfWear).toBe(2);
  });

  it("caps sensor active at 100% for a sensor sampling faster than expected", () => {
    const readings = Array.from({ length: 60 }, (_, minute) => cgm(minute, 110));
    const summary = computeGlycemicSummary(readings, { start, end: at(60) });
    expect(summary.wear).toMatchObject({ expectedReadings: 12, cgmReadings: 60, sensorActivePercent: 100 });
  });

  it("uses the given expected interval (a 15-minute Libre history)", () => {
    const readings = Array.from({ length: 3 }, (_, i) => cgm(i * 15, 110));
    const summary = computeGlycemicSummary(readings, { start, end: at(60), expectedIntervalMinutes: 15 });
    expect(summary.wear).toMatchObject({ expectedIntervalMinutes: 15, expectedReadings: 4, sensorActivePercent: 75 });
  });
});

describe("computeGlycemicSummary: specimen selection", () => {
  const readings = [cgm(0, 100), cgm(5, 200), cgm(0, 60, null, "capillary"), cgm(30, 300, null, "capillary")];

  it.each([
    ["interstitial", 2, 150, 2],
    ["capillary", 2, 180, null],
    ["any", 4, 165, 2],
  ] as const)("%s: %s readings, mean %s, CGM readings %s", (specimen, count, mean, cgmReadings) => {
    const summary = computeGlycemicSummary(readings, { start, end: at(60), specimen });
    expect(summary.readingCount).toBe(count);
    expect(summary.meanMgdl).toBe(mean);
    expect(summary.wear?.cgmReadings ?? null).toBe(cgmReadings);
  });

  it("fingersticks alone are never sufficient CGM data", () => {
    const summary = computeGlycemicSummary(readings, { start, end: new Date(start.getTime() + 14 * DAY), specimen: "capillary" });
    expect(summary.wear).toBeNull();
    expect(summary.sufficiency).toEqual({ enoughDays: true, enoughActive: false, sufficient: false });
  });
});

describe("computeGlycemicSummary: refuses bad input", () => {
  it.each([
    ["an end before the start", { start, end: at(-1) }],
    ["an empty period", { start, end: start }],
    ["an invalid date", { start: new Date("nope"), end: at(60) }],
    ["a zero interval", { start, end: at(60), expectedIntervalMinutes: 0 }],
    ["a negative interval", { start, end: at(60), expectedIntervalMinutes: -5 }],
  ])("%s", (_label, options) => {
    expect(() => computeGlycemicSummary([], options)).toThrow(RangeError);
  });

  it("a reading without a numeric value", () => {
    expect(() => computeGlycemicSummary([cgm(0, Number.NaN)], { start, end: at(60) })).toThrow(RangeError);
  });
});

describe("computeGlycemicSummary: local-calendar periods", () => {
  const london = localCalendarPeriod("Europe/London", "2026-10-18", 14);
  const newYork = localCalendarPeriod("America/New_York", "2026-03-02", 14);

  it("a London fortnight across the October change: 14 local days, 4044 expected readings (the instants found 15 days)", () => {
    const readings = londonAutumnFortnight.readings;
    const local = computeGlycemicSummary(readings, { period: london });
    expect(local).toMatchObject({ period: london, start: london.start, end: london.end, periodDays: 14, daysWithData: 14, readingCount: 4044 });
    expect(local.wear).toEqual({ expectedIntervalMinutes: 5, expectedReadings: 4044, cgmReadings: 4044, daysOfWear: 14, sensorActivePercent: 100 });
    expect(local.sufficiency).toEqual({ enoughDays: true, enoughActive: true, sufficient: true });

    // The same instants as 24-hour windows: the 337 hours make a 15th, one-hour "day".
    const windows = computeGlycemicSummary(readings, { start: london.start, end: london.end });
    expect(windows).toMatchObject({ period: null, periodDays: 337 / 24, daysWithData: 15, wear: { expectedReadings: 4044, daysOfWear: 15 } });
  });

  it("a New York fortnight across the March change with a day off: 13 local days of wear (24-hour windows from the start find 14)", () => {
    const readings = newYorkSpringFortnight.readings;
    expect(computeGlycemicSummary(readings, { period: newYork }).wear).toMatchObject({ expectedReadings: 4020, cgmReadings: 3708, daysOfWear: 13 });
    expect(computeGlycemicSummary(readings, { start: newYork.start, end: newYork.end }).wear).toMatchObject({ expectedReadings: 4020, daysOfWear: 14 });
  });

  it.each([
    [13, false],
    [14, true],
  ])("enough days means 14 local days, whatever their hours: %s days across the spring change -> %s", (days, enough) => {
    const period = localCalendarPeriod("America/New_York", "2026-03-02", days);
    expect(computeGlycemicSummary([], { period }).sufficiency.enoughDays).toBe(enough);
  });

  it("a local day is a day on the patient's calendar: 23:30 and 00:30 local are two days, 00:30 and 23:30 one", () => {
    const period = localCalendarPeriod("Europe/Paris", "2026-11-01", 3);
    const at = (iso: string): GlycemicReading => ({ valueMgdl: 100, censored: null, specimen: "interstitial", effectiveAt: new Date(iso) });
    // Paris is UTC+1 in November: 2026-11-01T23:30 local = 22:30Z.
    expect(computeGlycemicSummary([at("2026-11-01T22:30:00Z"), at("2026-11-01T23:30:00Z")], { period }).daysWithData).toBe(2);
    expect(computeGlycemicSummary([at("2026-10-31T23:30:00Z"), at("2026-11-01T22:30:00Z")], { period }).daysWithData).toBe(1);
  });

  it("counts duplicates the same way whatever the order (the first one given wins)", () => {
    const period = localCalendarPeriod("UTC", "2026-11-01", 1);
    const r = (minute: number, valueMgdl: number): GlycemicReading => ({ valueMgdl, censored: null, specimen: "interstitial", effectiveAt: new Date(Date.UTC(2026, 10, 1, 0, minute)) });
    // In order, then out of order: a duplicate of an earlier instant after a later one.
    const summary = computeGlycemicSummary([r(0, 100), r(5, 200), r(10, 300), r(5, 250), r(0, 50), r(15, 400), r(10, 90)], { period });
    expect(summary).toMatchObject({ readingCount: 4, duplicatesIgnored: 3, meanMgdl: 250 });
  });
});
