import { describe, expect, it } from "vitest";
import { conditionBounds, parseDateCondition } from "./date-search";

const t = (iso: string) => Date.parse(iso);

describe("parseDateCondition", () => {
  it.each([
    ["2026", "eq", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"],
    ["ge2026-11", "ge", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"],
    ["lt2026-12-31", "lt", "2026-12-31T00:00:00Z", "2027-01-01T00:00:00Z"],
    ["gt2026-11-24T08:05", "gt", "2026-11-24T08:05:00Z", "2026-11-24T08:06:00Z"],
    ["le2026-11-24T08:05:00+01:00", "le", "2026-11-24T07:05:00Z", "2026-11-24T07:05:01Z"],
    ["eq2026-11-24T08:05:00.250Z", "eq", "2026-11-24T08:05:00.250Z", "2026-11-24T08:05:00.251Z"],
    ["sa2026-02-28T23:59:59-09:30", "sa", "2026-03-01T09:29:59Z", "2026-03-01T09:30:00Z"],
  ])("%s is %s [%s, %s)", (raw, prefix, start, end) => {
    expect(parseDateCondition(raw)).toEqual({ prefix, start: t(start), end: t(end) });
  });

  it.each(["yesterday", "2026-13-01", "2026-02-30", "2026-11-24T25:00", "ge", "2026-11-24T08", "xx2026"])("refuses %j with a message", (raw) => {
    expect(parseDateCondition(raw)).toEqual({ error: expect.stringContaining(raw) });
  });
});

describe("conditionBounds", () => {
  const day = { start: t("2026-11-24T00:00:00Z"), end: t("2026-11-25T00:00:00Z") };
  it.each([
    ["eq", { from: day.start, to: day.end }],
    ["ne", { exclude: { from: day.start, to: day.end } }],
    ["gt", { from: day.end }],
    ["sa", { from: day.end }],
    ["ge", { from: day.start }],
    ["lt", { to: day.start }],
    ["eb", { to: day.start }],
    ["le", { to: day.end }],
    ["ap", { from: day.start - 86_400_000, to: day.end + 86_400_000 }],
  ] as const)("%s", (prefix, bounds) => {
    expect(conditionBounds({ prefix, ...day })).toEqual(bounds);
  });
});
