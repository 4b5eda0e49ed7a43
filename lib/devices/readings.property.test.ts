import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entryToCandidate } from "@/lib/uploader/entries";
import { manualReadingSchema } from "@/lib/readings/manual-entry-schema";
import { formatOffset } from "@/lib/time/offsets";
import { deviceReadingToCandidate } from "./readings";
import { deviceUploadSchema } from "./schemas";

const deviceId = "6f1c2d4e-0000-4000-8000-000000000001";

// Anything JSON can carry, plus values JSON cannot (the parsers also see hand-built objects).
const hostile = fc.oneof(
  fc.jsonValue(),
  fc.anything(),
  fc.record({ time: fc.string(), value: fc.oneof(fc.double(), fc.string(), fc.constant(null)), unit: fc.string(), seq: fc.oneof(fc.integer(), fc.double(), fc.string()), flags: fc.anything() }, { requiredKeys: [] }),
  fc.record({ type: fc.constantFrom("sgv", "mbg", "cal", "", "SGV"), sgv: fc.oneof(fc.double(), fc.integer(), fc.string()), mbg: fc.anything(), date: fc.oneof(fc.double(), fc.integer(), fc.string()), dateString: fc.string(), utcOffset: fc.anything() }, { requiredKeys: [] }),
);

describe("door parsers under random and hostile input", () => {
  it("a device reading always becomes exactly a candidate or a rejection with a reason, never an exception", () => {
    fc.assert(
      fc.property(hostile, fc.nat(10_000), (raw, index) => {
        const result = deviceReadingToCandidate(deviceId, "cgm", raw, index);
        if ("rejection" in result) {
          expect(result.rejection.index).toBe(index);
          expect(result.rejection.reason.length).toBeGreaterThan(0);
        } else {
          expect(Number.isNaN(result.candidate.effectiveAt.getTime())).toBe(false);
          expect(["mg/dL", "mmol/L"]).toContain(result.candidate.unit);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("valid device readings keep their value, unit and time", () => {
    fc.assert(
      fc.property(
        fc.record({
          time: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
          value: fc.double({ min: 10, max: 1000, noNaN: true }),
          unit: fc.constantFrom("mg/dL", "mmol/L"),
          seq: fc.nat(),
        }),
        (reading) => {
          const result = deviceReadingToCandidate(deviceId, "fingerstick-meter", reading, 0);
          expect(result).toMatchObject({ candidate: { value: reading.value, unit: reading.unit, effectiveAt: new Date(reading.time), utcOffsetMinutes: 0, dedupeKey: `device:${deviceId}:seq:${reading.seq}:${Date.parse(reading.time)}:${reading.value}${reading.unit}` } });
        },
      ),
    );
  });

  it("an uploader entry always becomes a candidate or a reason it is not stored, never an exception", () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const result = entryToCandidate(raw, 3, "Europe/London");
        expect(["candidate", "notStored"].filter((outcome) => outcome in result)).toHaveLength(1);
        if ("candidate" in result) expect(Number.isFinite(result.candidate.value)).toBe(true);
        else expect(result.notStored.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("upload bodies and manual forms are parsed or refused with messages, never an exception", () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const upload = deviceUploadSchema.safeParse(raw);
        if (!upload.success) expect(upload.error.issues[0]!.message.length).toBeGreaterThan(0);
        const manual = manualReadingSchema.safeParse(raw);
        if (!manual.success) expect(manual.error.issues[0]!.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("device reading identity (property)", () => {
  const reading = fc.record({
    ms: fc.integer({ min: Date.parse("2005-01-01T00:00:00Z") / 1000, max: Date.parse("2030-12-31T00:00:00Z") / 1000 }).map((seconds) => seconds * 1000),
    tenths: fc.integer({ min: 6, max: 555 }),
    unit: fc.constantFrom("mg/dL", "mmol/L"),
    seq: fc.option(fc.nat(), { nil: undefined }),
  });
  type Reading = typeof reading extends fc.Arbitrary<infer T> ? T : never;

  /** The same instant written at another offset, with or without fractions of a second. */
  const timeText = (ms: number, offsetMinutes: number, fraction: boolean) => {
    const wall = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, fraction ? 23 : 19);
    return `${wall}${offsetMinutes === 0 && !fraction ? "Z" : formatOffset(offsetMinutes)}`;
  };
  /** A JSON body as a meter writes it: the number with or without trailing zeros or an exponent. */
  const numberText = (value: number, style: number) => [String(value), value.toFixed(2), value.toExponential()][style % 3]!;

  const keyOf = (r: Reading, offsetMinutes = 0, fraction = false, style = 0) => {
    const seq = r.seq === undefined ? "" : `,"seq":${r.seq}`;
    const json = `{"time":"${timeText(r.ms, offsetMinutes, fraction)}","value":${numberText(r.tenths / 10, style)},"unit":"${r.unit}"${seq}}`;
    const result = deviceReadingToCandidate(deviceId, "fingerstick-meter", JSON.parse(json), 0);
    if (!("candidate" in result)) throw new Error(`${json}: ${result.rejection.reason}`);
    return result.candidate.dedupeKey;
  };

  it("the same reading has the same key however its time and number are written", () => {
    fc.assert(
      fc.property(reading, fc.integer({ min: -48, max: 56 }).map((quarters) => quarters * 15), fc.boolean(), fc.nat(), (r, offset, fraction, style) => {
        expect(keyOf(r, offset, fraction, style)).toBe(keyOf(r));
      }),
      { numRuns: 1000 },
    );
  });

  it("two different readings never share a key", () => {
    fc.assert(
      fc.property(reading, reading, fc.array(fc.constantFrom("ms", "tenths", "unit", "seq") satisfies fc.Arbitrary<keyof Reading>), (a, other, changed) => {
        const b: Reading = { ...a, ...Object.fromEntries(changed.map((field) => [field, other[field]])) };
        const same = a.ms === b.ms && a.tenths === b.tenths && a.unit === b.unit && a.seq === b.seq;
        expect(keyOf(a) === keyOf(b)).toBe(same);
      }),
      { numRuns: 1000 },
    );
  });
});
