import { describe, expect, expectTypeOf, it } from "vitest";
import { normalizedMgdl } from "@/lib/readings/units";
import { localCalendarPeriod } from "@/lib/time/calendar";
import { AGP_BIN_COUNT } from "./agp";
import { classifyGlucose, type GlycemicReading } from "./glycemic";
import { berlinMorningDeliveredTwice, londonAutumnFortnight, mmolBoundaryReferences, referenceSeries, type ReferenceSeries } from "./reference-series";
import { computeGlucoseReportMetrics, reportMealContexts, type GlucoseReport, type GlucoseReportMetrics } from "./report";

const periodOf = (series: ReferenceSeries) => localCalendarPeriod(series.period.timeZone, series.period.startDate, series.period.days);

/**
 * SD and CV are the only values compared to 9 decimals: the hand value is the square root of an
 * exact fraction, the code sums squared deviations from a binary mean (more accurate for real
 * data), so the two differ in the last bits. Everything else must be equal to the bit: the
 * expected means, percentages and GMI are written as the same single divisions the code does.
 */
function expectEqualButSpread<T extends { sdMgdl: number | null; cvPercent: number | null }>(actual: T, expected: T): void {
  const { sdMgdl, cvPercent, ...exact } = actual;
  const { sdMgdl: expectedSd, cvPercent: expectedCv, ...expectedExact } = expected;
  expect(exact).toEqual(expectedExact);
  for (const [value, expectedValue] of [
    [sdMgdl, expectedSd],
    [cvPercent, expectedCv],
  ] as const) {
    if (expectedValue === null) expect(value).toBeNull();
    else expect(value).toBeCloseTo(expectedValue, 9);
  }
}

describe.each(referenceSeries.map((series) => [series.name, series] as const))("reference series: %s", (_name, series) => {
  const report = computeGlucoseReportMetrics(series.readings, periodOf(series));

  it("CGM section matches the hand-computed values", () => {
    const { agp, ...cgm } = report.cgm;
    expectEqualButSpread(cgm, series.expected.cgm);
    expect(agp).toHaveLength(AGP_BIN_COUNT);
  });

  it("AGP bins match the hand-computed values exactly", () => {
    expect(report.cgm.agp).toEqual(series.expected.agp);
  });

  it("fingerstick section matches the hand-computed values", () => {
    expectEqualButSpread(report.fingerstick, series.expected.fingerstick);
  });

  it("does not depend on the order the readings arrive in (but for which conflicting duplicate comes first)", () => {
    const reversed = computeGlucoseReportMetrics([...series.readings].reverse(), periodOf(series));
    if (series === berlinMorningDeliveredTwice) {
      // Reversed, the conflicting 06:00 copy (50 mg/dL) is given first and wins over 280.
      expect(reversed.cgm.timeInRanges).toEqual({ veryLow: (1 / 73) * 100, low: 0, inRange: (72 / 73) * 100, high: 0, veryHigh: 0 });
      return;
    }
    // Summing in another order may move SD and CV in the last bits: hence the spread comparison.
    const { agp, ...cgm } = reversed.cgm;
    expectEqualButSpread(cgm, series.expected.cgm);
    expect(agp).toEqual(series.expected.agp);
    expectEqualButSpread(reversed.fingerstick, series.expected.fingerstick);
  });
});

describe("reference facts the series rest on", () => {
  it.each(mmolBoundaryReferences)("$mmolL mmol/L is stored as $storedMgdl mg/dL and is $range", ({ mmolL, storedMgdl, range }) => {
    expect(normalizedMgdl(mmolL, "mmol/L")).toBe(storedMgdl);
    expect(classifyGlucose(storedMgdl)).toBe(range);
  });

  it("the London fortnight holds every five-minute instant of its 337 hours", () => {
    expect(londonAutumnFortnight.readings).toHaveLength(4044);
    expect(londonAutumnFortnight.readings[0]!.effectiveAt).toEqual(new Date("2026-10-17T23:00:00Z"));
    expect(londonAutumnFortnight.readings.at(-1)!.effectiveAt).toEqual(new Date("2026-10-31T23:55:00Z"));
  });
});

describe("computeGlucoseReportMetrics: expected readings of the real local period", () => {
  /** A reading every `interval` minutes over the whole period, all 120 mg/dL. */
  function fullWear(timeZone: string, date: string, days: number, interval: number): GlycemicReading[] {
    const period = localCalendarPeriod(timeZone, date, days);
    const readings: GlycemicReading[] = [];
    for (let t = period.start.getTime(); t < period.end.getTime(); t += interval * 60_000) readings.push({ valueMgdl: 120, censored: null, specimen: "interstitial", effectiveAt: new Date(t) });
    return readings;
  }

  it.each([
    ["a 23-hour London spring day", "Europe/London", "2026-03-29", 1, 5, 276],
    ["a 25-hour London autumn day", "Europe/London", "2026-10-25", 1, 5, 300],
    ["a 23-hour New York spring day", "America/New_York", "2026-03-08", 1, 5, 276],
    ["a 25-hour New York autumn day", "America/New_York", "2026-11-01", 1, 5, 300],
    ["a 24.5-hour Lord Howe day", "Australia/Lord_Howe", "2026-04-05", 1, 5, 294],
    ["an ordinary Paris day", "Europe/Paris", "2026-06-10", 1, 5, 288],
    ["a 14-day New York fortnight across the spring change", "America/New_York", "2026-03-02", 14, 5, 4020],
    ["a 15-minute Libre history over a 25-hour day", "Europe/London", "2026-10-25", 1, 15, 100],
  ])("%s: %s %s, %s days at %s minutes expects %s", (_label, zone, date, days, interval, expected) => {
    const report = computeGlucoseReportMetrics(fullWear(zone, date, days, interval), localCalendarPeriod(zone, date, days), { expectedIntervalMinutes: interval });
    expect(report.cgm).toMatchObject({ expectedIntervalMinutes: interval, expectedReadings: expected, readings: expected, sensorActivePercent: 100, daysWithData: days });
  });

  it.each([
    [13, false],
    [14, true],
  ])("sufficiency needs 14 local days: %s full days are sufficient: %s", (days, sufficient) => {
    const report = computeGlucoseReportMetrics(fullWear("America/New_York", "2026-03-02", days, 5), localCalendarPeriod("America/New_York", "2026-03-02", days));
    expect(report.cgm.sufficient).toBe(sufficient);
  });
});

describe("computeGlucoseReportMetrics: edges", () => {
  const period = localCalendarPeriod("Europe/London", "2026-10-18", 14);

  it("no readings: counts zero, statistics null, 96 empty bins", () => {
    const report = computeGlucoseReportMetrics([], period);
    expect(report.period).toBe(period);
    expect(report.cgm).toMatchObject({ readings: 0, meanMgdl: null, sdMgdl: null, cvPercent: null, gmiPercent: null, timeInRanges: null, sensorActivePercent: 0, daysWithData: 0, sufficient: false });
    expect(report.cgm.agp.every((bin) => bin.count === 0 && bin.p50 === null)).toBe(true);
    expect(report.fingerstick).toMatchObject({ readings: 0, readingsPerDay: 0, daysWithReadings: 0, below70: { count: 0, percent: null } });
    expect(Object.keys(report.fingerstick.byMealContext)).toEqual([...reportMealContexts]);
  });

  it("refuses a reading without a numeric value or a valid instant", () => {
    const bad = (valueMgdl: number, effectiveAt: Date): GlycemicReading[] => [{ valueMgdl, censored: null, specimen: "capillary", effectiveAt }];
    expect(() => computeGlucoseReportMetrics(bad(Number.NaN, period.start), period)).toThrow(RangeError);
    expect(() => computeGlucoseReportMetrics(bad(100, new Date("nope")), period)).toThrow(RangeError);
  });

  it("refuses a sampling interval that is not positive", () => {
    expect(() => computeGlucoseReportMetrics([], period, { expectedIntervalMinutes: 0 })).toThrow(RangeError);
  });
});

describe("the events seam", () => {
  it("the metrics carry no events; a report is the metrics plus the caller's events", () => {
    expectTypeOf<GlucoseReportMetrics>().not.toHaveProperty("events");
    type Events = { hypoglycaemiaLevel1: number };
    expectTypeOf<GlucoseReport<Events>>().toHaveProperty("events").toEqualTypeOf<Events>();
    const metrics = computeGlucoseReportMetrics([], localCalendarPeriod("UTC", "2026-11-01", 1));
    const report: GlucoseReport<Events> = { ...metrics, events: { hypoglycaemiaLevel1: 0 } };
    expect(Object.keys(metrics)).toEqual(["period", "cgm", "fingerstick"]);
    expect(report.events).toEqual({ hypoglycaemiaLevel1: 0 });
  });
});
