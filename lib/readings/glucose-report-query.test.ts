import { describe, expect, it } from "vitest";
import { parseGlucoseReportQuery } from "./glucose-report-query";

const parse = (query: string) => parseGlucoseReportQuery(new URLSearchParams(query));

describe("parseGlucoseReportQuery", () => {
  it.each([
    ["", { days: 14 }],
    ["days=90", { days: 90 }],
    ["from=2026-10-18&days=14", { from: "2026-10-18", days: 14 }],
    ["from=&days=", { days: 14 }],
    ["from=2024-02-29&days=366", { from: "2024-02-29", days: 366 }],
  ])("%s -> %o", (query, expected) => {
    expect(parse(query)).toEqual(expected);
  });

  it.each([
    ["from=18/10/2026", "from", /YYYY-MM-DD/],
    ["from=2026-02-30", "from", /not a calendar date/],
    ["days=0", "days", /from 1 to 366/],
    ["days=2.5", "days", /whole number/],
    ["days=ten", "days", /whole number/],
    ["days=367", "days", /at most 366/],
  ])("%s is refused with a sentence about %s", (query, field, message) => {
    expect(() => parse(query)).toThrow(expect.objectContaining({ code: "invalid_input", message: expect.stringMatching(message), fieldErrors: expect.objectContaining({ [field]: expect.any(Array) }) }));
  });
});
