import { describe, expect, it } from "vitest";
import type { ParsedImportRow } from "@/lib/readings/import";
import { libreHeader, libreRow, parseText, readings } from "@/lib/readings/import/test-helpers";
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

describe("TimePlacer: the repeated hour, per device and specimen, in file order", () => {
  /** Places every reading of a file; each as `ISO instant offset`, or the rejection. */
  const placeAll = (rows: ParsedImportRow[], timeZone = "Europe/London") => {
    const placer = new TimePlacer(timeZone);
    const placed = rows.map((r) => {
      const result = placer.place(r);
      return "reason" in result ? result.reason : `${result.effectiveAt.toISOString().slice(11, 16)}Z ${result.utcOffsetMinutes}`;
    });
    return { placed, notes: placer.explanations() };
  };
  const local = (times: string[], extra: Partial<ParsedImportRow> = {}) => times.map((t, i) => row(`2026-10-25T${t}`, { row: i + 2, ...extra }));

  it("places each reader's passes in a LibreView file with two serials, each with 01:07-01:52 twice", () => {
    const pass = ["01:07", "01:22", "01:37", "01:52"];
    const file = [
      libreHeader("mg/dL", ";"),
      ...["0D4B9C7A", "0D4B9C7B"].flatMap((serial) => [...pass, ...pass].map((t, i) => libreRow({ ts: `25-10-2026 ${t}`, type: 0, historic: String(100 + i) }, ";", serial))),
    ].join("\n");
    const { placed } = placeAll(readings(parseText(file).outcomes));
    const onePass = (offset: number, hour: string) => pass.map((t) => `${hour}:${t.slice(3)}Z ${offset}`);
    const reader = [...onePass(60, "00"), ...onePass(0, "01")];
    expect(placed).toEqual([...reader, ...reader]);
  });

  it("places a generic CSV's fingerstick and sensor readings at 01:30 each in its own series", () => {
    const file = ["time,value,unit,specimen", "2026-10-25T01:30,6.1,mmol/L,capillary", "2026-10-25T01:30,110,mg/dL,interstitial", "2026-10-25T01:30,120,mg/dL,interstitial"].join("\n");
    expect(placeAll(readings(parseText(file).outcomes)).placed).toEqual(["00:30Z 60", "00:30Z 60", "01:30Z 0"]);
  });

  it("places a time seen only in the second pass after the clocks went back", () => {
    // Fingersticks at 01:40 (summer time), then 01:20 an hour later by the clock (winter time).
    expect(placeAll(local(["00:50", "01:40", "01:20", "02:10"], { specimen: "capillary", recordKind: "generic" })).placed).toEqual(["23:50Z 60", "00:40Z 60", "01:20Z 0", "02:10Z 0"]);
  });

  it("follows a sensor whose second pass falls a minute later than its first", () => {
    expect(placeAll(local(["00:52", "01:07", "01:22", "01:37", "01:52", "01:08", "01:23", "01:38", "01:53", "02:08"])).placed).toEqual([
      "23:52Z 60", "00:07Z 60", "00:22Z 60", "00:37Z 60", "00:52Z 60", "01:08Z 0", "01:23Z 0", "01:38Z 0", "01:53Z 0", "02:08Z 0",
    ]);
  });

  it("reads a file in newest-first order: the repeated hour's later pass comes first", () => {
    const { placed, notes } = placeAll(local(["02:30", "02:15", "01:45", "01:15", "01:45", "01:15", "00:45"]));
    expect(placed).toEqual(["02:30Z 0", "02:15Z 0", "01:45Z 0", "01:15Z 0", "00:45Z 60", "00:15Z 60", "23:45Z 60"]);
    expect(notes).toEqual([expect.stringContaining("newest first")]);
  });

  it("keeps devices apart when a file interleaves them in time order", () => {
    const a = { deviceSerial: "A", recordKind: "historic" };
    const b = { deviceSerial: "B", recordKind: "historic" };
    const rows = [
      row("2026-10-25T00:50", a), row("2026-10-25T00:50", b), row("2026-10-25T01:20", a), row("2026-10-25T01:20", b),
      row("2026-10-25T01:50", a), row("2026-10-25T01:50", b), row("2026-10-25T01:20", a), row("2026-10-25T01:20", b),
    ];
    expect(placeAll(rows).placed).toEqual(["23:50Z 60", "23:50Z 60", "00:20Z 60", "00:20Z 60", "00:50Z 60", "00:50Z 60", "01:20Z 0", "01:20Z 0"]);
  });

  it("keeps a LibreView scan at the minute of a historic reading in the same pass", () => {
    const rows = [row("2026-10-25T01:07", { deviceSerial: "A", recordKind: "historic" }), row("2026-10-25T01:07", { deviceSerial: "A", recordKind: "scan" })];
    expect(placeAll(rows).placed).toEqual(["00:07Z 60", "00:07Z 60"]);
  });
});
