import { describe, expect, it } from "vitest";
import { parsePrefer } from "./prefer";

describe("parsePrefer", () => {
  it.each([
    [null, { handling: "lenient", respondAsync: false, handlingGiven: false }],
    ["", { handling: "lenient", respondAsync: false, handlingGiven: false }],
    ["handling=strict", { handling: "strict", respondAsync: false, handlingGiven: true }],
    ["handling=lenient", { handling: "lenient", respondAsync: false, handlingGiven: true }],
    ['handling="strict"', { handling: "strict", respondAsync: false, handlingGiven: true }],
    ["HANDLING=Strict", { handling: "strict", respondAsync: false, handlingGiven: true }],
    ["respond-async", { handling: "lenient", respondAsync: true, handlingGiven: false }],
    ["respond-async, handling=strict", { handling: "strict", respondAsync: true, handlingGiven: true }],
    ["handling=lenient,respond-async", { handling: "lenient", respondAsync: true, handlingGiven: true }],
    [" handling = strict ; foo=bar , return=minimal", { handling: "strict", respondAsync: false, handlingGiven: true }],
    ["handling=strict, handling=lenient", { handling: "strict", respondAsync: false, handlingGiven: true }],
    ["handling=sloppy", { handling: "lenient", respondAsync: false, handlingGiven: false }],
    ["handling=sloppy, handling=strict", { handling: "strict", respondAsync: false, handlingGiven: true }],
    ["return=representation", { handling: "lenient", respondAsync: false, handlingGiven: false }],
    ["respond-asynchronously", { handling: "lenient", respondAsync: false, handlingGiven: false }],
  ])("%j reads as %j", (header, expected) => {
    expect(parsePrefer(header)).toEqual(expected);
  });
});
