import { describe, expect, it } from "vitest";
import { localCalendarPeriod, localClockOf } from "@/lib/time/calendar";
import { AGP_BIN_COUNT, AGP_MINIMUM_READINGS_PER_BIN, computeAgp } from "./agp";
import type { GlycemicReading } from "./glycemic";

const cgm = (iso: string, valueMgdl: number): GlycemicReading => ({ valueMgdl, censored: null, specimen: "interstitial", effectiveAt: new Date(iso) });
const binAt = (bins: ReturnType<typeof computeAgp>, minute: number) => bins.find((bin) => bin.minute === minute)!;

describe("computeAgp", () => {
  const utcDay = localClockOf(localCalendarPeriod("UTC", "2026-11-01", 1));

  it("gives 96 bins of 15 minutes, 0 to 1425, empty ones with count 0 and null percentiles", () => {
    const bins = computeAgp([], utcDay);
    expect(AGP_BIN_COUNT).toBe(96);
    expect(bins.map((bin) => bin.minute)).toEqual(Array.from({ length: 96 }, (_, i) => i * 15));
    expect(bins[0]).toEqual({ minute: 0, p5: null, p25: null, p50: null, p75: null, p95: null, count: 0 });
  });

  it.each([
    [AGP_MINIMUM_READINGS_PER_BIN - 1, null],
    [AGP_MINIMUM_READINGS_PER_BIN, 120],
  ])("a bin of %s readings has median %s (the minimum is 5)", (count, median) => {
    const readings = Array.from({ length: count }, (_, i) => cgm(`2026-11-01T10:0${i}:00Z`, 100 + 10 * i));
    expect(binAt(computeAgp(readings, utcDay), 600)).toMatchObject({ count, p50: median });
  });

  it("sorts numerically, not as text (45 < 99 < 100 < 250 < 300)", () => {
    const readings = [300, 45, 100, 250, 99].map((value, i) => cgm(`2026-11-01T12:0${i}:00Z`, value));
    // n = 5: p5 h = 0.2: 45 + 0.2 x 54 = 55.8; p25 = 99; p50 = 100; p75 = 250; p95 h = 3.8: 250 + 0.8 x 50 = 290.
    expect(binAt(computeAgp(readings, utcDay), 720)).toEqual({ minute: 720, p5: 55.8, p25: 99, p50: 100, p75: 250, p95: 290, count: 5 });
  });

  it("puts 08:14:59.999 in the 08:00 bin and 08:15 in the next", () => {
    const bins = computeAgp([cgm("2026-11-01T08:14:59.999Z", 100), cgm("2026-11-01T08:15:00Z", 100)], utcDay);
    expect([binAt(bins, 480).count, binAt(bins, 495).count]).toEqual([1, 1]);
  });

  it("bins by the local wall clock across the autumn change: both 01:30s in bin 90, 00:30 and 02:30 in theirs", () => {
    const clock = localClockOf(localCalendarPeriod("Europe/London", "2026-10-25", 1));
    const bins = computeAgp([cgm("2026-10-24T23:30:00Z", 1), cgm("2026-10-25T00:30:00Z", 2), cgm("2026-10-25T01:30:00Z", 3), cgm("2026-10-25T02:30:00Z", 4)], clock);
    expect(bins.filter((bin) => bin.count > 0).map((bin) => [bin.minute, bin.count])).toEqual([
      [30, 1],
      [90, 2],
      [150, 1],
    ]);
  });

  it("bins by the local wall clock across the spring change: nothing lands in the skipped hour", () => {
    const clock = localClockOf(localCalendarPeriod("America/New_York", "2026-03-08", 1));
    // Every 15 minutes of the 23-hour day: 92 readings, bins 120-165 (02:00-02:59) stay empty.
    const readings = Array.from({ length: 92 }, (_, i) => cgm(new Date(Date.UTC(2026, 2, 8, 5) + i * 900_000).toISOString(), 100));
    const bins = computeAgp(readings, clock);
    expect(bins.filter((bin) => bin.count === 0).map((bin) => bin.minute)).toEqual([120, 135, 150, 165]);
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(92);
  });

  it("leaves readings outside the clock's period out of every bin", () => {
    const bins = computeAgp([cgm("2026-10-31T23:59:59.999Z", 100), cgm("2026-11-02T00:00:00Z", 100)], utcDay);
    expect(bins.every((bin) => bin.count === 0)).toBe(true);
  });
});
