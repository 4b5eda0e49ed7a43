import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatOffset } from "@/lib/time/offsets";
import { entryToCandidate } from "./entries";

// Entries as apps write them: numbers as JSON numbers or strings, with or without trailing zeros,
// dates with or without dateString and utcOffset.
const reading = fc.record({
  type: fc.constantFrom("sgv", "mbg"),
  // 40-600 mg/dL in tenths (mbg may have a decimal; sgv is whole in practice, but nothing relies on it).
  tenths: fc.integer({ min: 400, max: 6000 }),
  date: fc.integer({ min: Date.parse("2005-01-01T00:00:00Z"), max: Date.parse("2030-12-31T00:00:00Z") }),
  device: fc.option(fc.constantFrom("xDrip-LibreReceiver", "AndroidAPS-DexcomG6", "loop://iPhone", "Spike"), { nil: undefined }),
});
type Reading = typeof reading extends fc.Arbitrary<infer T> ? T : never;

/** The same number as an app may write it: a JSON number, or a string with or without trailing zeros. */
const spellings = (value: number): (number | string)[] => [value, String(value), value.toFixed(1), value.toFixed(2), ` ${value} `, value.toExponential()];

const entryOf = (r: Reading, value: number | string, date: number | string, extra: Record<string, unknown> = {}) => ({
  type: r.type,
  [r.type]: value,
  date,
  ...(r.device === undefined ? {} : { device: r.device }),
  ...extra,
});

const candidateOf = (raw: unknown) => {
  const result = entryToCandidate(raw, 0, "Europe/Berlin");
  if (!("candidate" in result)) throw new Error(JSON.stringify(result));
  return result.candidate;
};

describe("uploader entries (property)", () => {
  it("numbers sent as strings are the same numbers, the same reading and the same key", () => {
    fc.assert(
      fc.property(reading, fc.nat(), fc.nat(), fc.integer({ min: -12 * 60, max: 14 * 60 }), (r, v, d, offset) => {
        const value = r.tenths / 10;
        const plain = candidateOf(entryOf(r, value, r.date));
        const valueText = spellings(value)[v % 6]!;
        const dateText = [r.date, String(r.date), `${r.date}.0`][d % 3]!;
        // The offset (dateString, utcOffset) says where the patient was, not which reading it is.
        const local = new Date(r.date + offset * 60_000).toISOString().replace("Z", formatOffset(offset));
        const spelled = candidateOf(entryOf(r, valueText, dateText, d % 2 === 0 ? { dateString: local } : { utcOffset: offset }));
        expect(spelled.value).toBe(plain.value);
        expect(spelled.effectiveAt).toEqual(plain.effectiveAt);
        expect(spelled.dedupeKey).toBe(plain.dedupeKey);
      }),
      { numRuns: 1000 },
    );
  });

  it("two different readings never share a key, and the same reading always does", () => {
    // The second reading is the first with some of its fields changed (possibly to the same value).
    fc.assert(
      fc.property(reading, reading, fc.array(fc.constantFrom("type", "tenths", "date", "device") satisfies fc.Arbitrary<keyof Reading>), (a, other, changed) => {
        const b: Reading = { ...a, ...Object.fromEntries(changed.map((field) => [field, other[field]])) };
        const [first, second] = [a, b].map((r) => candidateOf(entryOf(r, r.tenths / 10, r.date)));
        const same = a.type === b.type && a.tenths === b.tenths && a.date === b.date && a.device === b.device;
        expect(first!.dedupeKey === second!.dedupeKey).toBe(same);
      }),
      { numRuns: 1000 },
    );
  });
});
