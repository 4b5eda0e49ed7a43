import { describe, expect, it } from "vitest";
import { appName, firstDocumentTime, notStoredAnswer, parseDocumentTime, UNNAMED_APP, utcOffsetField } from "./documents";

const instant = Date.parse("2026-11-24T08:00:00.000Z");

describe("parseDocumentTime", () => {
  it.each([
    ["epoch milliseconds", instant, instant, null],
    ["epoch milliseconds as text", String(instant), instant, null],
    ["epoch seconds, as Nightscout reads numbers before 2000", instant / 1000, instant, null],
    ["ISO 8601 in UTC", "2026-11-24T08:00:00.000Z", instant, 0],
    ["ISO 8601 with an offset", "2026-11-24T09:00:00+01:00", instant, 60],
    ["xDrip+'s offset without a colon", "2026-11-24T09:00:00.000+0100", instant, 60],
    ["microseconds", "2026-11-24T08:00:00.000123Z", instant, 0],
    ["a space for the T", "2026-11-24 03:00:00-05:00", instant, -300],
    ["no offset: a wall-clock time in the patient's zone", "2026-11-24T09:00:00", instant, null],
  ])("reads %s", (_label, value, expected, offset) => {
    expect(parseDocumentTime(value, "Europe/Berlin")).toEqual({ instant: new Date(expected), writtenOffsetMinutes: offset });
  });

  it.each([["text", "yesterday"], ["zero", 0], ["a negative number", -5], ["an object", { $date: 1 }], ["a date alone", "2026-11-24"], ["an hour that does not exist", "2026-03-29T02:30:00"]])(
    "reads %s as no time",
    (_label, value) => {
      expect(parseDocumentTime(value, "Europe/Berlin")).toBeNull();
    },
  );
});

describe("firstDocumentTime", () => {
  it("takes the first field that holds a readable time, in the order given", () => {
    expect(firstDocumentTime({ date: "soon", created_at: "2026-11-24T08:00:00Z" }, ["date", "created_at"], "UTC")).toEqual({ instant: new Date(instant), writtenOffsetMinutes: 0 });
  });

  it("tells a missing time from an unreadable one", () => {
    expect(firstDocumentTime({ date: null }, ["date", "created_at"], "UTC")).toBe("missing");
    expect(firstDocumentTime({ created_at: "soon" }, ["date", "created_at"], "UTC")).toBe("unreadable");
  });
});

describe("appName", () => {
  it("is the first field that names the app, trimmed and bounded", () => {
    expect(appName(undefined, " ", "  xDrip+  ")).toBe("xDrip+");
    expect(appName("x".repeat(300))).toHaveLength(100);
    expect(appName(42, null)).toBe(UNNAMED_APP);
  });
});

describe("utcOffsetField", () => {
  it.each([
    [60, 60],
    ["-300", -300],
    [900, null],
    [1.5, null],
    ["east", null],
  ])("reads %j as %j", (value, expected) => {
    expect(utcOffsetField(value)).toBe(expected);
  });
});

describe("notStoredAnswer", () => {
  it("echoes the document's identifying fields with the reason, never an _id (Loop takes an _id as stored)", () => {
    expect(notStoredAnswer({ _id: "abc", type: "sgv", date: instant, sgv: 5000, device: "xDrip", nested: { a: 1 } }, "why")).toEqual({ type: "sgv", date: instant, device: "xDrip", stored: false, message: "why" });
    expect(notStoredAnswer("nonsense", "why")).toEqual({ stored: false, message: "why" });
  });
});
