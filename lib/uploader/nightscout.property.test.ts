import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { DEFAULT_TIME_BOUNDS } from "@/lib/readings/validation";
import { deviceStatusToCandidate } from "./device-status";
import { parseV1Search, parseV3Search, type Collection } from "./search-params";
import { treatmentToCandidate } from "./treatments";

const context = { timeZone: "Europe/London", bounds: DEFAULT_TIME_BOUNDS, now: new Date("2026-11-24T12:00:00Z") };
const collections: Collection[] = ["entries", "treatments", "devicestatus"];

// What an app (or anyone) may send: any JSON, and documents with Nightscout's field names holding anything.
const anyValue = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string(), fc.double(), fc.integer());
const treatmentLike = fc.record(
  { date: anyValue, created_at: anyValue, eventType: anyValue, carbs: anyValue, insulin: anyValue, duration: anyValue, absolute: anyValue, notes: anyValue, identifier: anyValue, _id: anyValue, utcOffset: anyValue, device: anyValue },
  { requiredKeys: [] },
);
const statusLike = fc.record(
  { created_at: anyValue, device: anyValue, uploaderBattery: anyValue, uploader: anyValue, pump: fc.oneof(anyValue, fc.record({ reservoir: anyValue, battery: anyValue, status: anyValue })), loop: anyValue, openaps: anyValue },
  { requiredKeys: [] },
);

describe("Nightscout documents (property)", () => {
  it("a treatment always becomes a candidate or a reason, never an exception", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), treatmentLike), (raw) => {
        const result = treatmentToCandidate(raw, context);
        if ("candidate" in result) {
          expect(Number.isNaN(result.candidate.occurredAt.getTime())).toBe(false);
          expect(result.candidate.identifier.length).toBeGreaterThan(0);
        } else expect(result.notStored.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("a device status report always becomes a candidate or a reason, never an exception", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), statusLike), (raw) => {
        const result = deviceStatusToCandidate(raw, context);
        if ("candidate" in result) expect(result.candidate.uploaderBattery === null || (result.candidate.uploaderBattery >= 0 && result.candidate.uploaderBattery <= 100)).toBe(true);
        else expect(result.notStored.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("numbers sent as text are the same treatment: same identifier, time and amounts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("2020-01-01T00:00:00Z"), max: Date.parse("2026-11-24T11:00:00Z") }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.constantFrom("Meal Bolus", "Correction Bolus", "Carb Correction"),
        (date, carbs, tenthUnits, eventType) => {
          const insulin = tenthUnits / 10;
          const asNumbers = treatmentToCandidate({ date, carbs, insulin, eventType, device: "AAPS" }, context);
          const asText = treatmentToCandidate({ date: String(date), carbs: String(carbs), insulin: insulin.toFixed(2), eventType, device: "AAPS" }, context);
          expect(asText).toEqual(asNumbers);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a search's parameters are read or refused with a sentence (AppError), never another exception", () => {
    const name = fc.oneof(fc.string(), fc.constantFrom("count", "limit", "skip", "sort", "sort$desc", "fields", "find[date][$gte]", "find[type]", "date$gt", "type", "created_at$gt", "find[created_at][$lte]", "find[x][$y][]"));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string())), fc.constantFrom(...collections), (pairs, collection) => {
        const search = new URLSearchParams(pairs);
        for (const parse of [() => parseV1Search(search, collection), () => parseV3Search(search, collection)]) {
          try {
            const query = parse();
            expect(query.limit).toBeGreaterThan(0);
          } catch (error) {
            expect(isAppError(error, "invalid_input")).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
