import { describe, expect, it } from "vitest";
import { measureJsonShape } from "./json-shape";

const limits = { maxDepth: 3, maxValues: 6 };

describe("measureJsonShape", () => {
  it.each([
    { name: "a flat object", text: '{"a":1,"b":[2,3]}', expected: { fits: true } },
    { name: "three levels", text: "[[[1]]]", expected: { fits: true } },
    { name: "four levels", text: "[[[[1]]]]", expected: { fits: false, reason: "too-deep" } },
    { name: "brackets inside strings do not count", text: '["[[[[[[", "{{{{,,,,,,,,"]', expected: { fits: true } },
    { name: "an escaped quote does not end the string", text: '["\\"[[[[[[", 1]', expected: { fits: true } },
    { name: "an escaped backslash before the closing quote", text: '["\\\\", [[[1]]]]', expected: { fits: false, reason: "too-deep" } },
    { name: "too many values", text: "[1,2,3,4,5,6,7]", expected: { fits: false, reason: "too-many-values" } },
    { name: "too many empty objects", text: "[{},{},{},{}]", expected: { fits: false, reason: "too-many-values" } },
    { name: "a scalar", text: "42", expected: { fits: true } },
  ])("$name", ({ text, expected }) => {
    expect(measureJsonShape(text, limits)).toEqual(expected);
  });

  it("refuses 8 MB of nested brackets at the first bracket past the limit", () => {
    expect(measureJsonShape("[".repeat(4_000_000) + "]".repeat(4_000_000), { maxDepth: 64, maxValues: 500_000 })).toEqual({ fits: false, reason: "too-deep" });
  });
});
