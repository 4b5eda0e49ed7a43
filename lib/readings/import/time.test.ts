import { describe, expect, it } from "vitest";
import { dayMonthEvidence, meterLocalTime, parseIsoDateTime, parseMeterTimestamp, type MeterTimestamp } from "./time";

describe("parseIsoDateTime", () => {
  it.each([
    ["2026-11-20T08:00", { kind: "local", localTime: "2026-11-20T08:00" }],
    ["2026-11-20 08:00:05", { kind: "local", localTime: "2026-11-20T08:00:05" }],
    ["2026-11-20T08:00:05.123", { kind: "local", localTime: "2026-11-20T08:00:05" }],
    ["2024-02-29T23:59:59", { kind: "local", localTime: "2024-02-29T23:59:59" }],
    ["2026-11-20T08:00Z", { kind: "absolute", instant: new Date("2026-11-20T08:00:00Z"), utcOffsetMinutes: 0 }],
    ["2026-11-20T08:00:00+01:00", { kind: "absolute", instant: new Date("2026-11-20T07:00:00Z"), utcOffsetMinutes: 60 }],
    ["2026-11-20T08:00:00+0530", { kind: "absolute", instant: new Date("2026-11-20T02:30:00Z"), utcOffsetMinutes: 330 }],
    ["2026-11-20T08:00-03", { kind: "absolute", instant: new Date("2026-11-20T11:00:00Z"), utcOffsetMinutes: -180 }],
    ["2026-11-20T08:00:00.5-00:00", { kind: "absolute", instant: new Date("2026-11-20T08:00:00.500Z"), utcOffsetMinutes: 0 }],
    ["2026-01-01T00:30+14:00", { kind: "absolute", instant: new Date("2025-12-31T10:30:00Z"), utcOffsetMinutes: 840 }],
    ["0099-06-01T00:00Z", { kind: "absolute", instant: new Date("0099-06-01T00:00:00Z"), utcOffsetMinutes: 0 }],
  ])("%s", (text, expected) => {
    expect(parseIsoDateTime(text)).toEqual(expected);
  });

  it.each([
    ["20-11-2026 08:00", "format"],
    ["2026-11-20", "format"],
    ["2026-11-20T8:00", "format"],
    ["2026-11-20T08:00 CET", "format"],
    ["", "format"],
    ["2026-13-01T08:00", "date"],
    ["2026-02-29T08:00", "date"],
    ["2026-04-31T08:00", "date"],
    ["2026-11-20T24:00", "date"],
    ["2026-11-20T23:60", "date"],
    ["2026-11-20T23:59:60", "date"],
    ["2026-11-20T08:00+14:30", "offset"],
    ["2026-11-20T08:00+01:60", "offset"],
  ])("%s is rejected (%s)", (text, problem) => {
    expect(parseIsoDateTime(text)).toBe(problem);
  });
});

describe("LibreView timestamps", () => {
  it.each<[string, Partial<MeterTimestamp>]>([
    ["11-24-2026 10:00 AM", { first: 11, second: 24, year: 2026, hour: 10, minute: 0, twelveHour: true, yearFirst: false }],
    ["11-24-2026 12:05 AM", { hour: 0, minute: 5 }],
    ["11-24-2026 12:05 PM", { hour: 12 }],
    ["11-24-2026 01:05 p.m.", { hour: 13 }],
    ["1-2-2026 9:05PM", { first: 1, second: 2, hour: 21 }],
    ["24-11-2026 23:59", { first: 24, second: 11, hour: 23, twelveHour: false }],
    ["24.11.2026 23:59:30", { secondOfMinute: 30 }],
    ["24/11/2026 00:00", { hour: 0 }],
    ["2026-11-24 07:00", { yearFirst: true, first: 11, second: 24, year: 2026 }],
  ])("%s", (text, expected) => {
    expect(parseMeterTimestamp(text)).toMatchObject(expected);
  });

  it.each([
    ["2026-11-24T07:00:00Z", "format"],
    ["11-24-26 10:00", "format"],
    ["Nov 24 2026", "format"],
    ["11-24-2026 13:00 PM", "time"],
    ["11-24-2026 00:30 AM", "time"],
    ["24-11-2026 24:00", "time"],
    ["24-11-2026 10:60", "time"],
  ])("%s is rejected (%s)", (text, problem) => {
    expect(parseMeterTimestamp(text)).toBe(problem);
  });

  it("knows what a date says about the day/month order", () => {
    const at = (text: string) => parseMeterTimestamp(text) as MeterTimestamp;
    expect(dayMonthEvidence(at("13-01-2026 10:00"))).toBe("day-first");
    expect(dayMonthEvidence(at("01-13-2026 10:00"))).toBe("month-first");
    expect(dayMonthEvidence(at("01-02-2026 10:00"))).toBeNull();
    expect(dayMonthEvidence(at("2026-01-13 10:00"))).toBeNull();
    expect(meterLocalTime(at("01-02-2026 10:00"), "month-first")).toBe("2026-01-02T10:00");
    expect(meterLocalTime(at("01-02-2026 10:00"), "day-first")).toBe("2026-02-01T10:00");
    expect(meterLocalTime(at("29-02-2028 10:00"), "day-first")).toBe("2028-02-29T10:00");
    expect(meterLocalTime(at("29-02-2026 10:00"), "day-first")).toBeNull();
  });
});
