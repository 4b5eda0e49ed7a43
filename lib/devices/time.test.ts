import { describe, expect, it } from "vitest";
import { offsetMinutesOf } from "./time";

describe("offsetMinutesOf", () => {
  it.each([
    ["2026-11-24T08:05:00+01:00", 60],
    ["2026-11-24T08:05:00Z", 0],
    ["2026-11-24T08:05:00.123-09:30", -570],
    ["2026-11-24T08:05:00+0530", 330],
    ["2026-11-24T08:05:00", null],
  ])("%s has offset %s", (time, offset) => {
    expect(offsetMinutesOf(time)).toBe(offset);
  });
});
