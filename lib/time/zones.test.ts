import { describe, expect, it } from "vitest";
import { formatAtOffset, isValidTimeZone, nowInZone, resolveLocalTime } from "./zones";

describe("resolveLocalTime", () => {
  it.each([
    ["winter in London", "2026-01-15T08:05", "Europe/London", "2026-01-15T08:05:00.000Z", 0],
    ["summer in London", "2026-07-15T08:05", "Europe/London", "2026-07-15T07:05:00.000Z", 60],
    ["New York standard", "2026-11-24T08:05", "America/New_York", "2026-11-24T13:05:00.000Z", -300],
    ["half-hour zone", "2026-11-24T08:05", "Asia/Kolkata", "2026-11-24T02:35:00.000Z", 330],
    ["seconds given", "2026-11-24T08:05:30", "UTC", "2026-11-24T08:05:30.000Z", 0],
  ])("%s", (_label, local, zone, iso, offset) => {
    expect(resolveLocalTime(local, zone)).toEqual({ kind: "exact", instant: new Date(iso), utcOffsetMinutes: offset });
  });

  it("reports a time skipped when clocks go forward", () => {
    expect(resolveLocalTime("2026-03-29T01:30", "Europe/London")).toEqual({ kind: "skipped" });
  });

  it("reports a time that happens twice when clocks go back, choosing the first", () => {
    expect(resolveLocalTime("2026-10-25T01:30", "Europe/London")).toEqual({
      kind: "repeated",
      instant: new Date("2026-10-25T00:30:00.000Z"),
      utcOffsetMinutes: 60,
      laterUtcOffsetMinutes: 0,
    });
  });

  it.each(["2026-02-30T10:00", "yesterday", "2026-11-24T25:00", ""])("calls %j invalid", (local) => {
    expect(resolveLocalTime(local, "Europe/London")).toEqual({ kind: "invalid" });
  });
});

describe("time formatting", () => {
  it("shows the wall-clock time at the recorded offset", () => {
    expect(formatAtOffset(new Date("2026-11-24T07:05:00Z"), 60)).toBe("2026-11-24 08:05");
  });

  it("knows real zones", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(nowInZone("Asia/Tokyo", new Date("2026-11-24T23:30:00Z"))).toBe("2026-11-25T08:30");
  });
});
