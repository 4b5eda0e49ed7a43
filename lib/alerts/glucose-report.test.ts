import { describe, expect, it } from "vitest";
import type { GlycemicReading } from "@/lib/metrics/glycemic";
import { londonAutumnFortnight, referenceSeries } from "@/lib/metrics/reference-series";
import { computeGlucoseReportMetrics } from "@/lib/metrics/report";
import { localCalendarPeriod } from "@/lib/time/calendar";
import { computeGlucoseReport, EVENT_LOOKAHEAD_MS, EVENT_LOOKBACK_MS } from "./glucose-report";

const MINUTE_MS = 60_000;
const cgm = (at: number, valueMgdl: number, censored: GlycemicReading["censored"] = null): GlycemicReading => ({ effectiveAt: new Date(at), valueMgdl, censored, specimen: "interstitial" });
const capillary = (at: number, valueMgdl: number): GlycemicReading => ({ effectiveAt: new Date(at), valueMgdl, censored: null, specimen: "capillary" });

/** Five-minute CGM readings from `startMs` for `minutes`, each value given by its offset in minutes. */
function series(startMs: number, minutes: number, valueAt: (minute: number) => number): GlycemicReading[] {
  return Array.from({ length: minutes / 5 }, (_, i) => cgm(startMs + i * 5 * MINUTE_MS, valueAt(i * 5)));
}

// Europe/Paris, 2026-03-28 to 2026-03-30: clocks go forward on the 29th at 02:00 (01:00Z).
// Local midnights: 28th = 27th 23:00Z, 31st = 30th 22:00Z. The period is 71 hours.
const paris = localCalendarPeriod("Europe/Paris", "2026-03-28", 3);
const start = paris.start.getTime();
const end = paris.end.getTime();

describe("computeGlucoseReport: the metrics plus the episode function's events", () => {
  it("carries the metric core unchanged for every reference series (events add, never alter)", () => {
    for (const reference of referenceSeries) {
      const period = localCalendarPeriod(reference.period.timeZone, reference.period.startDate, reference.period.days);
      const report = computeGlucoseReport(reference.readings, period);
      const metrics = computeGlucoseReportMetrics(reference.readings, period);
      const { events: cgmEvents, ...cgmMetrics } = report.cgm;
      const { events: fingerstickEvents, ...fingerstickMetrics } = report.fingerstick;
      expect(cgmMetrics).toEqual(metrics.cgm);
      expect(fingerstickMetrics).toEqual(metrics.fingerstick);
      expect(cgmEvents).toBeDefined();
      expect(fingerstickEvents).toBeDefined();
      expect([report.from, report.to, report.days]).toEqual([period.startDate, period.lastDate, period.days]);
    }
  });

  it("counts the London fortnight's daily highs: one level 1 and one level 2 high per local day", () => {
    // Each local day climbs from 80 at 00:00 to 270 at 23:45 and drops back at midnight: above 180
    // from 12:45 (bin 51, 182) and above 250 from 21:30 (bin 86, 252), each one episode a day,
    // closed by the next midnight's 80. The repeated hour of the 25th changes nothing.
    const period = localCalendarPeriod("Europe/London", "2026-10-18", 14);
    const report = computeGlucoseReport(londonAutumnFortnight.readings, period);
    expect(report.cgm.events).toEqual({ hypoLevel1: 0, hypoLevel2: 0, hypoExtended: 0, hyperLevel1: 14, hyperLevel2: 14 });
    expect(report.cgm.daysWithData).toBe(14);
    expect(report.cgm.expectedReadings).toBe(4044);
  });

  it("an episode under way when the period starts began before it: not counted", () => {
    // 60 at 40 minutes before the start until 30 minutes after, then 120.
    const readings = series(start - 40 * MINUTE_MS, 180, (minute) => (minute < 70 ? 60 : 120));
    expect(computeGlucoseReport(readings, paris).cgm.events.hypoLevel1).toBe(0);
    // The same low seen only from the start would look like an event of the period.
    const fromStart = readings.filter((reading) => reading.effectiveAt.getTime() >= start);
    expect(computeGlucoseReport(fromStart, paris).cgm.events.hypoLevel1).toBe(1);
  });

  it("an episode beginning in the period's last minutes counts, thanks to the readings after it", () => {
    // 50 mg/dL from 5 minutes before the end for 30 minutes: 15 minutes beyond needs readings past the end.
    const readings = [...series(end - 60 * MINUTE_MS, 55, () => 120), ...series(end - 5 * MINUTE_MS, 30, () => 50), ...series(end + 25 * MINUTE_MS, 30, () => 120)];
    const events = computeGlucoseReport(readings, paris).cgm.events;
    expect(events).toMatchObject({ hypoLevel1: 1, hypoLevel2: 1, hypoExtended: 0 });
    expect(computeGlucoseReport(readings.filter((reading) => reading.effectiveAt.getTime() < end), paris).cgm.events.hypoLevel1).toBe(0);
    // The readings after the end are no part of the metrics.
    expect(computeGlucoseReport(readings, paris).cgm.readings).toBe(11 + 1);
  });

  it("an extended low (more than 120 minutes below 70) on the spring-forward night, with a LO among it", () => {
    // 00:30 to 04:30 local on the 29th is 23:30Z to 02:30Z: three real hours, below 70 throughout.
    const lowStart = Date.UTC(2026, 2, 28, 23, 30);
    const readings = [
      ...series(lowStart - 60 * MINUTE_MS, 60, () => 110),
      ...series(lowStart, 180, (minute) => (minute === 90 ? 40 : 62)).map((reading, i) => (i === 18 ? { ...reading, censored: "below" as const } : reading)),
      ...series(lowStart + 180 * MINUTE_MS, 60, () => 110),
    ];
    const report = computeGlucoseReport(readings, paris);
    // The LO (40) is below 54 for one reading only: not 15 minutes, no level 2 event.
    expect(report.cgm.events).toEqual({ hypoLevel1: 1, hypoLevel2: 0, hypoExtended: 1, hyperLevel1: 0, hyperLevel2: 0 });
    expect(report.cgm.censored.below).toBe(1);
  });

  it("uses the thresholds and sampling interval it is given (a pregnancy preset's 63 and 140)", () => {
    const readings = series(start + 60 * MINUTE_MS, 120, (minute) => (minute >= 30 && minute < 60 ? 150 : 100));
    expect(computeGlucoseReport(readings, paris).cgm.events.hyperLevel1).toBe(0);
    const pregnancy = { hypoLevel1: 63, hypoLevel2: 54, hyperLevel1: 140, hyperLevel2: 180 };
    expect(computeGlucoseReport(readings, paris, { thresholds: pregnancy }).cgm.events.hyperLevel1).toBe(1);
  });

  it("fingerstick events are level 2 lows only, counted separately from the CGM", () => {
    const readings = [capillary(start + 3_600_000, 50), capillary(start + 3 * 3_600_000, 120), capillary(start + 5 * 3_600_000, 300), capillary(start + 7 * 3_600_000, 120)];
    const report = computeGlucoseReport(readings, paris);
    expect(report.fingerstick.events.hypoLevel2).toBe(1);
    expect(report.fingerstick.events.hyperLevel1 + report.fingerstick.events.hypoLevel1).toBe(0);
    expect(report.cgm.events.hypoLevel2).toBe(0);
    expect(report.fingerstick.readings).toBe(4);
  });

  it("counts stored episodes instead of searching the readings when given them (the alerts table)", () => {
    const readings = series(start - 40 * MINUTE_MS, 180, (minute) => (minute < 70 ? 60 : 120));
    const storedEpisodes = [
      { kind: "hypo-level-2" as const, specimen: "interstitial" as const, start: start + MINUTE_MS },
      { kind: "hypo-level-1" as const, specimen: "interstitial" as const, start: start - MINUTE_MS },
      { kind: "rapid-fall" as const, specimen: "interstitial" as const, start: start + 2 * MINUTE_MS },
      { kind: "no-data" as const, specimen: null, start: start + 3 * MINUTE_MS },
      { kind: "hypo-level-2" as const, specimen: "capillary" as const, start: end - MINUTE_MS },
      { kind: "hyper-level-1" as const, specimen: "interstitial" as const, start: end },
    ];
    const report = computeGlucoseReport(readings, paris, { storedEpisodes });
    expect(report.cgm.events).toEqual({ hypoLevel1: 0, hypoLevel2: 1, hypoExtended: 0, hyperLevel1: 0, hyperLevel2: 0 });
    expect(report.fingerstick.events.hypoLevel2).toBe(1);
  });

  it("looks a day back and three hours ahead", () => {
    expect(EVENT_LOOKBACK_MS).toBe(86_400_000);
    expect(EVENT_LOOKAHEAD_MS).toBe(3 * 3_600_000);
  });
});
