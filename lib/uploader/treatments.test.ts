import { describe, expect, it } from "vitest";
import { DEFAULT_TIME_BOUNDS } from "@/lib/readings/validation";
import { computedIdentifier } from "./identifiers";
import { toNightscoutTreatment, toNightscoutTreatmentV3, treatmentToCandidate, type StoredTreatmentRow } from "./treatments";

const now = new Date("2026-11-24T12:00:00Z");
const context = { timeZone: "Europe/Berlin", bounds: { ...DEFAULT_TIME_BOUNDS, birthDate: "1990-01-01" }, now };
const date = Date.parse("2026-11-24T11:00:00Z");

describe("treatmentToCandidate", () => {
  it("reads an AndroidAPS v3 bolus with its time, offset and computed identifier", () => {
    const result = treatmentToCandidate({ date, utcOffset: 60, app: "AAPS", device: "AndroidAPS-DexcomG6", eventType: "Correction Bolus", insulin: 0.35, type: "SMB" }, context);
    expect(result).toEqual({
      candidate: {
        identifier: computedIdentifier({ device: "AndroidAPS-DexcomG6", date, eventType: "Correction Bolus" }),
        origin: "uploader:AndroidAPS-DexcomG6",
        app: "AndroidAPS-DexcomG6",
        eventType: "Correction Bolus",
        occurredAt: new Date(date),
        utcOffsetMinutes: 60,
        carbsGrams: null,
        insulinUnits: 0.35,
        insulinKind: null,
        durationMinutes: null,
        basalRate: null,
        notes: null,
        enteredBy: null,
      },
    });
  });

  it("reads Loop's v1 meal with its created_at, its insulin type and notes, numbers as text", () => {
    const result = treatmentToCandidate({ created_at: "2026-11-24T11:00:00Z", eventType: "Meal Bolus", carbs: "45", insulin: "4.5", insulinType: "Fiasp", notes: " pasta ", enteredBy: "loop://iPhone" }, context);
    expect(result).toMatchObject({ candidate: { occurredAt: new Date(date), utcOffsetMinutes: 0, carbsGrams: 45, insulinUnits: 4.5, insulinKind: "Fiasp", notes: "pasta", app: "loop://iPhone" } });
  });

  it("uses the app's identifier, or its _id (xDrip+, Loop updates), before computing one", () => {
    expect(treatmentToCandidate({ date, identifier: "abc", _id: "def" }, context)).toMatchObject({ candidate: { identifier: "abc" } });
    expect(treatmentToCandidate({ date, _id: "def" }, context)).toMatchObject({ candidate: { identifier: "def" } });
  });

  it("keeps a temporary basal's rate (zero included) and duration, from minutes or milliseconds", () => {
    expect(treatmentToCandidate({ date, eventType: "Temp Basal", absolute: 0, durationInMilliseconds: 1_800_000 }, context)).toMatchObject({ candidate: { basalRate: 0, durationMinutes: 30 } });
    expect(treatmentToCandidate({ date, eventType: "Temp Basal", rate: "0.8", duration: 45 }, context)).toMatchObject({ candidate: { basalRate: 0.8, durationMinutes: 45 } });
  });

  it("drops zero carbs and insulin, as Nightscout does: an event, not a meal of 0 g", () => {
    expect(treatmentToCandidate({ date, eventType: "Site Change", carbs: 0, insulin: "0" }, context)).toMatchObject({ candidate: { carbsGrams: null, insulinUnits: null } });
  });

  it("places a time without an offset in the patient's zone", () => {
    expect(treatmentToCandidate({ created_at: "2026-11-24T12:00:00", carbs: 10 }, context)).toMatchObject({ candidate: { occurredAt: new Date(date), utcOffsetMinutes: 60 } });
  });

  it("allows carbs a few hours ahead (Loop lets people enter them before eating)", () => {
    expect(treatmentToCandidate({ date: now.getTime() + 3 * 3_600_000, carbs: 30 }, context)).toHaveProperty("candidate");
  });

  it.each([
    ["no time", { carbs: 10, enteredBy: "Spike" }, "Spike", "Treatments without a time (date or created_at)."],
    ["an unreadable time", { created_at: "tomorrow", carbs: 10 }, "An app that did not name itself", "Treatments whose time Lantern cannot read (send epoch milliseconds or ISO 8601 text)."],
    ["a time a day ahead", { date: now.getTime() + 24 * 3_600_000, device: "xDrip" }, "xDrip", "Treatments dated in the future: check the phone's date, time and time zone."],
    ["a clock never set", { created_at: "1970-01-01T00:00:00Z", device: "xDrip" }, "xDrip", "Treatments dated 1 January 1970 or 2000, a clock that was never set: set the device's date and time."],
    ["a time before the patient's birth", { created_at: "1989-06-01T12:00:00Z", device: "xDrip" }, "xDrip", "Treatments dated before the patient's date of birth: check the device's clock."],
    ["carbs that are not a number", { date, carbs: "lots", device: "xDrip" }, "xDrip", "Treatments Lantern cannot read (carbs: must be a number from 0 to 1,000 g)."],
    ["negative insulin", { date, insulin: -1, device: "xDrip" }, "xDrip", "Treatments Lantern cannot read (insulin: must be 0 or more U)."],
    ["a basal rate beyond any pump", { date, absolute: 80, device: "xDrip" }, "xDrip", "Treatments Lantern cannot read (absolute: must be at most 50 U/h)."],
    ["an array", [1, 2], "An app that did not name itself", "Treatments that are not JSON objects."],
  ])("does not store a treatment with %s, saying why", (_label, raw, app, reason) => {
    expect(treatmentToCandidate(raw, context)).toEqual({ notStored: { app, reason } });
  });
});

describe("toNightscoutTreatment", () => {
  const row: StoredTreatmentRow = {
    identifier: "abc", app: "AAPS", eventType: "Meal Bolus", occurredAt: new Date(date), utcOffsetMinutes: 60, carbsGrams: 45, insulinUnits: 4.5, insulinKind: null,
    durationMinutes: null, basalRate: null, notes: null, enteredBy: "AAPS", isValid: true, srvCreated: new Date(date + 1000), srvModified: new Date(date + 2000),
  };

  it("answers API v1 with _id, created_at in UTC and the amounts it has", () => {
    expect(toNightscoutTreatment(row)).toEqual({
      _id: "abc", identifier: "abc", eventType: "Meal Bolus", created_at: "2026-11-24T11:00:00.000Z", date, mills: date, utcOffset: 60, carbs: 45, insulin: 4.5, enteredBy: "AAPS",
    });
  });

  it("answers API v3 with the identifier, the app, validity and the server's times", () => {
    expect(toNightscoutTreatmentV3({ ...row, isValid: false })).toMatchObject({ identifier: "abc", app: "AAPS", isValid: false, srvCreated: date + 1000, srvModified: date + 2000 });
    expect(toNightscoutTreatmentV3(row)).not.toHaveProperty("_id");
  });
});
