import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entryToCandidate } from "@/lib/uploader/entries";
import { manualReadingSchema } from "@/lib/readings/manual-entry-schema";
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

  it("an uploader entry always becomes a candidate, a skip or a rejection, never an exception", () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const result = entryToCandidate(raw, 3, "Europe/London");
        expect(["candidate", "skipped", "rejection"].filter((outcome) => outcome in result)).toHaveLength(1);
        if ("candidate" in result) expect(Number.isFinite(result.candidate.value)).toBe(true);
        else expect(("skipped" in result ? result.skipped : result.rejection).reason.length).toBeGreaterThan(0);
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
