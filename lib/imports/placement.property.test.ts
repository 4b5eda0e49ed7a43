import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import type { GlucoseUnit, Specimen } from "@/db/schema/readings-enums";
import { fileReadingKey } from "@/lib/readings/identity";
import { libreHeader, libreRow, parseText, readings, rejections } from "@/lib/readings/import/test-helpers";
import { TimePlacer } from "./placement";

/**
 * The file door end to end, without the database: readings of several devices around both yearly
 * clock changes are written out as the exports write them (local times, no offsets), parsed in
 * random pieces, placed and keyed. Every reading must come back exactly once, at its true instant
 * with its true offset, and no two readings may share a key.
 */

const MINUTE = 60_000;

interface TrueReading {
  serial: string;
  kind: "historic" | "scan" | "strip";
  specimen: Specimen;
  ms: number;
  /** The value in tenths of mmol/L; mg/dL files write twice that number. */
  tenths: number;
}

const device = fc.record({
  period: fc.constantFrom(5, 15),
  phase: fc.integer({ min: 0, max: 14 }),
  // Sensors drift: each reading may come a minute late, so the second pass need not repeat the first's minutes.
  lateBy: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 50 }),
  // Gaps in the repeated hour (never two readings in a row, so no gap reaches an hour).
  dropped: fc.array(fc.boolean(), { minLength: 1, maxLength: 50 }),
  // Scans and fingersticks at random minutes of each window.
  scans: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 179 }), { maxLength: 4 }), { minLength: 2, maxLength: 2 }),
  strips: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 179 }), { maxLength: 3 }), { minLength: 2, maxLength: 2 }),
  values: fc.array(fc.integer({ min: 22, max: 222 }), { minLength: 1, maxLength: 30 }),
});

const scenario = fc.record({
  timeZone: fc.constantFrom("Europe/London", "America/New_York"),
  year: fc.integer({ min: 2024, max: 2030 }),
  // Minutes of each window before and after the clock change: always more than the hour on both sides.
  before: fc.array(fc.integer({ min: 90, max: 180 }), { minLength: 2, maxLength: 2 }),
  after: fc.array(fc.integer({ min: 90, max: 180 }), { minLength: 2, maxLength: 2 }),
  devices: fc.array(device, { minLength: 2, maxLength: 3 }),
  layout: fc.constantFrom("libreview-eu", "libreview-us", "generic"),
  grouping: fc.constantFrom("by-time", "by-device"),
  newestFirst: fc.boolean(),
  cuts: fc.array(fc.nat(), { maxLength: 12 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const SERIALS = ["0D4B9C7A", "3C1B4D2E-8F7A-4B6C", "MXAB12345"];

/** The two instants of the year the zone's clocks change, spring first. */
function clockChanges(timeZone: string, year: number): number[] {
  const start = Temporal.ZonedDateTime.from({ timeZone, year, month: 1, day: 1 });
  const spring = start.getTimeZoneTransition("next")!;
  const autumn = spring.getTimeZoneTransition("next")!;
  return [spring.epochMilliseconds, autumn.epochMilliseconds];
}

function trueReadings(s: Scenario): TrueReading[] {
  const out: TrueReading[] = [];
  clockChanges(s.timeZone, s.year).forEach((change, w) => {
    const start = Math.floor((change - s.before[w]! * MINUTE) / MINUTE) * MINUTE;
    const end = change + s.after[w]! * MINUTE;
    s.devices.forEach((d, n) => {
      const serial = SERIALS[n]!;
      let v = 0;
      const value = () => d.values[v++ % d.values.length]!;
      for (let k = 0; ; k++) {
        const ms = start + (d.phase + k * d.period + d.lateBy[k % d.lateBy.length]!) * MINUTE;
        if (ms > end) break;
        const inRepeatedSpan = ms >= change - 60 * MINUTE && ms < change + 60 * MINUTE;
        if (inRepeatedSpan && k % 2 === 1 && d.dropped[k % d.dropped.length]) continue;
        out.push({ serial, kind: "historic", specimen: "interstitial", ms, tenths: value() });
      }
      for (const minute of d.scans[w]!) out.push({ serial, kind: "scan", specimen: "interstitial", ms: start + minute * MINUTE, tenths: value() });
      for (const minute of d.strips[w]!) out.push({ serial, kind: "strip", specimen: "capillary", ms: start + minute * MINUTE, tenths: value() });
    });
  });
  return out;
}

/** The readings in the order the file lists them. */
function fileOrder(all: TrueReading[], s: Scenario): TrueReading[] {
  const byTime = (a: TrueReading, b: TrueReading) => a.ms - b.ms;
  const byDevice = (a: TrueReading, b: TrueReading) => SERIALS.indexOf(a.serial) - SERIALS.indexOf(b.serial) || a.ms - b.ms;
  const sorted = [...all].sort(s.grouping === "by-device" && s.layout !== "generic" ? byDevice : byTime);
  return s.newestFirst ? reverseWithinDevices(sorted, s) : sorted;
}

/** Newest first: the whole file reversed, or each device's block reversed in place. */
function reverseWithinDevices(sorted: TrueReading[], s: Scenario): TrueReading[] {
  if (s.grouping === "by-time" || s.layout === "generic") return [...sorted].reverse();
  return SERIALS.flatMap((serial) => sorted.filter((r) => r.serial === serial).reverse());
}

/** A generic CSV has no serial: one instant of one specimen is one reading there (ADR 007). */
function oneRowPerSpecimenAndInstant(all: TrueReading[]): TrueReading[] {
  const seen = new Set<string>();
  return all.filter((r) => {
    const key = `${r.specimen}:${r.ms}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const pad = (n: number) => String(n).padStart(2, "0");

function wallClock(ms: number, timeZone: string) {
  const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  return { zoned, offsetMinutes: Math.round(zoned.offsetNanoseconds / 60e9) };
}

function render(rows: TrueReading[], s: Scenario): { text: string; unit: GlucoseUnit } {
  if (s.layout === "generic") {
    const lines = rows.map((r) => {
      const { zoned } = wallClock(r.ms, s.timeZone);
      const time = `${zoned.year}-${pad(zoned.month)}-${pad(zoned.day)}T${pad(zoned.hour)}:${pad(zoned.minute)}`;
      return `${time},${(r.tenths / 10).toFixed(1)},mmol/L,${r.specimen}`;
    });
    return { text: ["time,value,unit,specimen", ...lines].join("\n") + "\n", unit: "mmol/L" };
  }
  const eu = s.layout === "libreview-eu";
  const delimiter = eu ? ";" : ",";
  const lines = rows.map((r) => {
    const { zoned } = wallClock(r.ms, s.timeZone);
    const ts = eu
      ? `${pad(zoned.day)}-${pad(zoned.month)}-${zoned.year} ${pad(zoned.hour)}:${pad(zoned.minute)}`
      : `${pad(zoned.month)}-${pad(zoned.day)}-${zoned.year} ${pad(zoned.hour % 12 || 12)}:${pad(zoned.minute)} ${zoned.hour < 12 ? "AM" : "PM"}`;
    const value = eu ? (r.tenths / 10).toFixed(1).replace(".", ",") : String(r.tenths * 2);
    const type = r.kind === "historic" ? 0 : r.kind === "scan" ? 1 : 2;
    return libreRow({ ts, type, [r.kind]: value }, delimiter, r.serial);
  });
  return { text: [libreHeader(eu ? "mmol/L" : "mg/dL", delimiter), ...lines].join("\r\n") + "\r\n", unit: eu ? "mmol/L" : "mg/dL" };
}

describe("the file door around the clock changes (property)", () => {
  it("places every reading of every device exactly once, at its true instant, under its own key", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const generic = s.layout === "generic";
        const truth = generic ? oneRowPerSpecimenAndInstant([...trueReadings(s)].sort((a, b) => a.ms - b.ms)) : trueReadings(s);
        const { text, unit } = render(fileOrder(truth, s), s);
        const expected = new Map(
          truth.map((r) => {
            const value = unit === "mmol/L" ? r.tenths / 10 : r.tenths * 2;
            const key = fileReadingKey({ specimen: r.specimen, deviceSerial: generic ? null : r.serial, recordKind: generic ? "generic" : r.kind, effectiveAt: new Date(r.ms), value, unit, censored: null });
            return [key, wallClock(r.ms, s.timeZone).offsetMinutes] as const;
          }),
        );
        expect(expected.size).toBe(truth.length);

        const parsed = parseText(text, s.cuts.map((c) => c % (text.length + 1)));
        expect(parsed.error).toBeNull();
        expect(rejections(parsed.outcomes)).toEqual([]);
        const placer = new TimePlacer(s.timeZone);
        const placed = new Map<string, number>();
        for (const reading of readings(parsed.outcomes)) {
          const where = placer.place(reading);
          if ("reason" in where) throw new Error(where.reason);
          const key = fileReadingKey({ ...reading, effectiveAt: where.effectiveAt });
          expect(placed.has(key), `two rows placed as ${key}`).toBe(false);
          placed.set(key, where.utcOffsetMinutes);
        }
        expect(placed).toEqual(expected);
      }),
      { numRuns: 150 },
    );
    // About 20 ms a run; 4,000 runs were checked once when this was written.
  }, 60_000);
});
