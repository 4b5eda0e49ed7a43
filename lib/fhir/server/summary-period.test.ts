import { describe, expect, it } from "vitest";
import { parseSummaryRequest, resolveSummaryPeriod, type SummaryRequest } from "./summary-period";

describe("parseSummaryRequest", () => {
  it.each([
    ["2026-10-25", "2026-11-07", { kind: "dates", startDate: "2026-10-25", days: 14 }],
    ["2026-11-01", "2026-11-01", { kind: "dates", startDate: "2026-11-01", days: 1 }],
    ["2026-01-01", "2026-12-31", { kind: "dates", startDate: "2026-01-01", days: 365 }],
    ["2026-11-01T00:00:00Z", "2026-11-15T00:00:00Z", { kind: "instants", start: new Date("2026-11-01T00:00:00Z"), end: new Date("2026-11-15T00:00:00Z") }],
    ["2026-11-01T00:00:00+01:00", "2026-11-02T00:00+01:00", { kind: "instants", start: new Date("2026-10-31T23:00:00Z"), end: new Date("2026-11-01T23:00:00Z") }],
  ])("start=%s&end=%s is %j", (start, end, request) => {
    expect(parseSummaryRequest(start, end)).toEqual(request);
  });

  it.each([
    [null, "2026-11-14", "start"],
    ["2026-11-01", null, "end"],
    ["soon", "2026-11-14", "start"],
    ["2026-11-01", "later", "start"],
    ["2026-11-01T00:00:00Z", "later", "end"],
    ["2026-02-30", "2026-03-02", "start"],
    ["2026-11-14", "2026-11-01", "end"],
    ["2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", "end"],
    ["2026-11-01T00:00:00", "2026-11-15T00:00:00", "start"],
    ["2025-01-01", "2026-01-02", "end"],
    ["2025-01-01T00:00:00Z", "2026-01-03T00:00:00Z", "end"],
  ])("refuses start=%s&end=%s naming %s", (start, end, parameter) => {
    expect(parseSummaryRequest(start, end)).toEqual({ error: expect.any(String), parameter });
  });
});

describe("resolveSummaryPeriod", () => {
  const instants = (start: string, end: string): SummaryRequest => ({ kind: "instants", start: new Date(start), end: new Date(end) });

  it("builds the patient's calendar days from dates: a New York fortnight across the November change is 14 days", () => {
    const period = resolveSummaryPeriod({ kind: "dates", startDate: "2026-10-25", days: 14 }, "America/New_York");
    expect(period).toMatchObject({ days: 14, startDate: "2026-10-25", lastDate: "2026-11-07", start: new Date("2026-10-25T04:00:00Z"), end: new Date("2026-11-08T05:00:00Z") });
  });

  it.each([
    ["local midnights in New York, across the change", "2026-10-25T04:00:00Z", "2026-11-08T05:00:00Z", "America/New_York", 14],
    ["local midnights in Paris", "2026-10-31T23:00:00Z", "2026-11-14T23:00:00Z", "Europe/Paris", 14],
    ["one local day", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "Europe/London", 1],
  ])("reads instants that are %s as those days", (_what, start, end, zone, days) => {
    expect(resolveSummaryPeriod(instants(start, end), zone)).toMatchObject({ days, timeZone: zone });
  });

  it.each([
    ["UTC midnights for a New York patient", "2026-10-25T00:00:00Z", "2026-11-08T00:00:00Z", "America/New_York"],
    ["a start that is a local midnight and an end that is not", "2026-10-25T04:00:00Z", "2026-11-08T04:00:00Z", "America/New_York"],
    ["times within a day", "2026-11-01T08:00:00Z", "2026-11-01T20:00:00Z", "Europe/London"],
  ])("keeps %s as an exact span", (_what, start, end, zone) => {
    expect(resolveSummaryPeriod(instants(start, end), zone)).toEqual({ start: new Date(start), end: new Date(end) });
  });
});
