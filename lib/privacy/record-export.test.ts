import { describe, expect, it } from "vitest";
import { csvField, csvText } from "./record-export";

describe("CSV fields", () => {
  it.each([
    [null, ""],
    [104.5, "104.5"],
    ["+01:00", "+01:00"],
    ["before lunch, felt shaky", '"before lunch, felt shaky"'],
    ['said "low"', '"said ""low"""'],
    ["two\nlines", '"two\nlines"'],
  ])("%s is written %s", (value, written) => {
    expect(csvField(value)).toBe(written);
  });

  it.each([
    ["=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""],
    ["+1 unit", "'+1 unit"],
    ["@home", "'@home"],
    ["fine", "fine"],
    [null, ""],
  ])("free text %s is defused as %s", (value, written) => {
    expect(csvText(value)).toBe(written);
  });
});
