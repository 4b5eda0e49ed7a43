import { describe, expect, it } from "vitest";
import { formatOffset, offsetMinutesOf, parseUtcOffset } from "./offsets";

describe("offsetMinutesOf", () => {
  it.each([
    ["2026-11-24T08:05:00+01:00", 60],
    ["2026-11-24T08:05:00Z", 0],
    ["2026-11-24T08:05:00.123-09:30", -570],
    ["2026-11-24T08:05:00+0530", 330],
    ["2026-11-24 08:05:00+01", 60],
    ["2026-11-24T08:05:00-00:00", 0],
    ["2026-11-24T08:05:00", null],
    ["2026-11-24", null],
    ["2026-11-24T08:05:00+15:00", null],
  ])("%s has offset %s", (time, offset) => {
    expect(offsetMinutesOf(time)).toBe(offset);
  });
});

describe("parseUtcOffset", () => {
  it.each([
    ["Z", 0],
    ["z", 0],
    ["+14:00", 840],
    ["-12:00", -720],
    ["+05:45", 345],
    ["+1:00", null],
    ["+01:60", null],
    ["+14:01", null],
    ["01:00", null],
    ["", null],
  ])("%s is %s minutes", (designator, minutes) => {
    expect(parseUtcOffset(designator)).toBe(minutes);
  });
});

describe("formatOffset", () => {
  it.each([
    [0, "+00:00"],
    [60, "+01:00"],
    [-570, "-09:30"],
    [345, "+05:45"],
  ])("%i minutes is %s", (minutes, text) => {
    expect(formatOffset(minutes)).toBe(text);
  });
});
