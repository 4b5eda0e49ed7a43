import { describe, expect, it } from "vitest";
import type { ParsedImportRow } from "@/lib/readings/import";
import { TimePlacer } from "./placement";

const row = (localTime: string | null, extra: Partial<ParsedImportRow> = {}): ParsedImportRow => ({
  row: 7, localTime, instant: null, utcOffsetMinutes: null, value: 100, unit: "mg/dL", specimen: "interstitial",
  censored: null, deviceSerial: null, recordKind: "historic", ...extra,
});

describe("TimePlacer", () => {
  it("keeps absolute times and their offset", () => {
    const instant = new Date("2026-11-24T07:05:00Z");
    expect(new TimePlacer("Europe/London").place(row(null, { instant, utcOffsetMinutes: 60 }))).toEqual({ effectiveAt: instant, utcOffsetMinutes: 60 });
  });

  it("reads local times in the patient's zone", () => {
    expect(new TimePlacer("Europe/London").place(row("2026-07-01T08:00"))).toEqual({ effectiveAt: new Date("2026-07-01T07:00:00Z"), utcOffsetMinutes: 60 });
  });

  it("rejects a time skipped by the clocks going forward and explains it once", () => {
    const placer = new TimePlacer("Europe/London");
    expect(placer.place(row("2026-03-29T01:30"))).toEqual({ reason: "Row 7: 2026-03-29 01:30 did not happen in Europe/London (the clocks went forward)" });
    placer.place(row("2026-03-29T01:45"));
    expect(placer.explanations()).toEqual([expect.stringContaining("On 2026-03-29 the clocks went forward")]);
  });

  it("reads the repeated hour as first and then second occurrence, keeping a CGM trace in order", () => {
    const placer = new TimePlacer("Europe/London");
    const times = ["2026-10-25T00:45", "2026-10-25T01:15", "2026-10-25T01:45", "2026-10-25T01:15", "2026-10-25T01:45", "2026-10-25T02:15"];
    const placed = times.map((time) => placer.place(row(time)));
    expect(placed).toEqual([
      { effectiveAt: new Date("2026-10-24T23:45:00Z"), utcOffsetMinutes: 60 },
      { effectiveAt: new Date("2026-10-25T00:15:00Z"), utcOffsetMinutes: 60 },
      { effectiveAt: new Date("2026-10-25T00:45:00Z"), utcOffsetMinutes: 60 },
      { effectiveAt: new Date("2026-10-25T01:15:00Z"), utcOffsetMinutes: 0 },
      { effectiveAt: new Date("2026-10-25T01:45:00Z"), utcOffsetMinutes: 0 },
      { effectiveAt: new Date("2026-10-25T02:15:00Z"), utcOffsetMinutes: 0 },
    ]);
    expect(placer.explanations()).toEqual([expect.stringContaining("read first as UTC+01:00, then as UTC+00:00")]);
  });

  it("rejects impossible dates", () => {
    expect(new TimePlacer("UTC").place(row("2026-02-30T10:00"))).toEqual({ reason: "Row 7: time 2026-02-30T10:00 is not a valid date" });
  });
});
