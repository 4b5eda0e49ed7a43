import { describe, expect, it } from "vitest";
import { parseEnvironment } from "./config";

describe("LANTERN_PUBLIC_URL", () => {
  it.each([
    [undefined, undefined],
    ["https://lantern.example.org", "https://lantern.example.org"],
    ["https://lantern.example.org/", "https://lantern.example.org"],
    ["HTTPS://Lantern.Example.org:443", "https://lantern.example.org"],
    ["http://localhost:3000", "http://localhost:3000"],
    ["https://lantern.example.org:8443", "https://lantern.example.org:8443"],
  ])("%s is the origin %s", (value, origin) => {
    expect(parseEnvironment({ LANTERN_PUBLIC_URL: value }).LANTERN_PUBLIC_URL).toBe(origin);
  });

  it.each([
    ["a path, which the server's routes do not have", "https://lantern.example.org/lantern"],
    ["a query", "https://lantern.example.org/?a=1"],
    ["a fragment", "https://lantern.example.org/#top"],
    ["credentials", "https://user:secret@lantern.example.org"],
    ["another scheme", "ftp://lantern.example.org"],
    ["no scheme", "lantern.example.org"],
    ["nothing", ""],
  ])("refuses %s with a sentence naming the variable", (_what, value) => {
    expect(() => parseEnvironment({ LANTERN_PUBLIC_URL: value })).toThrow(/LANTERN_PUBLIC_URL must be the site's address/);
  });
});

describe("LANTERN_DIGITAL_CONSENT_AGE", () => {
  it.each([
    [undefined, 16],
    ["EU", 16],
    ["UK", 13],
    ["us", 13],
    ["14", 14],
  ])("%s is %s years", (value, years) => {
    expect(parseEnvironment({ LANTERN_DIGITAL_CONSENT_AGE: value }).LANTERN_DIGITAL_CONSENT_AGE).toBe(years);
  });

  it.each(["12", "17", "15.5", "FR"])("refuses %s with what to write instead", (value) => {
    expect(() => parseEnvironment({ LANTERN_DIGITAL_CONSENT_AGE: value })).toThrow(/LANTERN_DIGITAL_CONSENT_AGE must be UK, EU, US or a whole number of years from 13 to 16/);
  });
});

describe("LANTERN_PROXY_REVIEW_AGES", () => {
  it.each([
    [undefined, [11, 16]],
    ["16, 11", [11, 16]],
    ["12", [12]],
    ["11,11,14", [11, 14]],
  ])("%s is %o", (value, ages) => {
    expect(parseEnvironment({ LANTERN_PROXY_REVIEW_AGES: value }).LANTERN_PROXY_REVIEW_AGES).toEqual(ages);
  });

  it.each(["18", "0", "eleven", "11;16", "11.5"])("refuses %s with what to write instead", (value) => {
    expect(() => parseEnvironment({ LANTERN_PROXY_REVIEW_AGES: value })).toThrow(/LANTERN_PROXY_REVIEW_AGES must be whole years under 18 separated by commas, e.g. 11,16/);
  });
});
