import { describe, expect, it } from "vitest";
import { entryToCandidate, toNightscoutEntry, toNightscoutEntryV3, type StoredEntryRow } from "./entries";

const date = Date.parse("2026-11-24T08:00:00Z");

describe("entryToCandidate", () => {
  it("reads an xDrip sgv entry with its offset from dateString", () => {
    const entry = { type: "sgv", sgv: 132, date, dateString: "2026-11-24T09:00:00.000+01:00", direction: "Flat", device: "xDrip-DexcomG6", noise: 1 };
    expect(entryToCandidate(entry, 0, "America/New_York")).toEqual({
      candidate: {
        position: 0, value: 132, unit: "mg/dL", censored: null, specimen: "interstitial",
        effectiveAt: new Date(date), utcOffsetMinutes: 60, dedupeKey: `uploader:sgv:xDrip-DexcomG6:${date}:132mg/dL`,
        origin: "uploader:xDrip-DexcomG6", trend: "Flat", noise: 1,
      },
      details: { direction: "Flat", trend: null, noise: 1, device: "xDrip-DexcomG6" },
    });
  });

  it.each([
    ["utcOffset field", { utcOffset: -300 }, -300],
    ["the patient's zone when nothing else says", {}, -300],
    ["a dateString in UTC", { dateString: "2026-11-24T08:00:00.000Z" }, 0],
  ])("takes the offset from %s", (_label, extra, offset) => {
    const result = entryToCandidate({ type: "mbg", mbg: 110, date, ...extra }, 0, "America/New_York");
    expect(result).toMatchObject({ candidate: { utcOffsetMinutes: offset, specimen: "capillary", value: 110 } });
  });

  it.each([
    [39, 40, "below"],
    [401, 401, null],
    [40, 40, null],
  ] as const)("sgv %i is stored as %i, censored %s", (sgv, value, censored) => {
    expect(entryToCandidate({ type: "sgv", sgv, date }, 0, "UTC")).toMatchObject({ candidate: { value, censored } });
  });

  it.each([
    [{ type: "sgv", sgv: 5, date }, "sgv 5 is a sensor status code, not a glucose value", "Sensor status codes (sgv 0-38, such as warm-up or no signal): they are not glucose values."],
    [{ type: "cal", slope: 1000, date }, "cal entries calibrate the sensor; they are not glucose readings of the patient", "Calibration entries (cal): they calibrate the sensor and are not glucose readings."],
    [{ type: "treatment", date }, "treatment entries are not glucose readings; Lantern stores sgv and mbg entries", '"treatment" entries: Lantern stores sgv and mbg entries only.'],
    [{ type: "x".repeat(40), date }, expect.stringContaining("entries are not glucose readings"), "Entries of other types: Lantern stores sgv and mbg entries only."],
    [{ type: "sgv", sgv: "high", date }, "sgv: sgv must be a number (mg/dL)", "Glucose entries Lantern cannot read (sgv: sgv must be a number (mg/dL))."],
    [{ type: "sgv", date }, "sgv: an sgv entry needs its sgv value in mg/dL", "Glucose entries Lantern cannot read (sgv: the sgv value is missing)."],
    [{ type: "sgv", sgv: 100 }, "date: date must be epoch milliseconds", "Glucose entries Lantern cannot read (date: date must be epoch milliseconds)."],
    ["nonsense", expect.stringContaining("entry:"), expect.stringContaining("Glucose entries Lantern cannot read (entry:")],
  ])("does not store %j, saying why to the app and which problem to count", (entry, reason, problem) => {
    expect(entryToCandidate(entry, 2, "UTC")).toEqual({ notStored: { index: 2, reason, problem } });
  });
});

describe("entryToCandidate: what apps really send", () => {
  const key = (result: ReturnType<typeof entryToCandidate>) => ("candidate" in result ? result.candidate.dedupeKey : JSON.stringify(result));

  it.each([
    ["sgv as a string", { type: "sgv", sgv: "140", date }],
    ["date as a string", { type: "sgv", sgv: 140, date: String(date) }],
    ["both, with a decimal point", { type: "sgv", sgv: "140.0", date: String(date) }],
  ])("reads numbers sent as strings as numbers: %s", (_label, entry) => {
    const result = entryToCandidate(entry, 0, "UTC");
    expect(result).toMatchObject({ candidate: { value: 140, effectiveAt: new Date(date) } });
    expect(key(result)).toBe(key(entryToCandidate({ type: "sgv", sgv: 140, date }, 0, "UTC")));
  });

  it("stores sgv 450 (a FreeStyle Libre 2 through xDrip+) as the reading it is, not as censored", () => {
    expect(entryToCandidate({ type: "sgv", sgv: 450, date }, 0, "UTC")).toMatchObject({ candidate: { value: 450, censored: null } });
  });

  it("stores sgv 39, the protocol's LO code, as below 40 mg/dL", () => {
    expect(entryToCandidate({ type: "sgv", sgv: 39, date }, 0, "UTC")).toMatchObject({ candidate: { value: 40, censored: "below" } });
  });

  it.each([0, 1, 5, 9, 12, 38])("skips sgv %i, a sensor status code, with a reason", (sgv) => {
    expect(entryToCandidate({ type: "sgv", sgv, date }, 4, "UTC")).toMatchObject({ notStored: { index: 4, reason: `sgv ${sgv} is a sensor status code, not a glucose value` } });
  });

  it("keeps direction, trend, noise and device for the record", () => {
    const result = entryToCandidate({ type: "sgv", sgv: 132, date, direction: "FortyFiveDown", trend: "5", noise: 1, device: "xDrip-LibreReceiver" }, 0, "UTC");
    expect(result).toMatchObject({ details: { direction: "FortyFiveDown", trend: 5, noise: 1, device: "xDrip-LibreReceiver" } });
  });

  it("drops a direction, trend or noise it cannot read, without refusing the reading", () => {
    const result = entryToCandidate({ type: "sgv", sgv: 132, date, direction: "Sideways", trend: 42, noise: "loud", device: "" }, 0, "UTC");
    expect(result).toMatchObject({ candidate: { value: 132 }, details: { direction: null, trend: null, noise: null, device: null } });
  });

  it("tells two apps' readings and two values apart, and a resend from the same app not", () => {
    const entry = { type: "sgv", sgv: 132, date, device: "xDrip-LibreReceiver" };
    expect(key(entryToCandidate(entry, 0, "UTC"))).toBe(key(entryToCandidate({ ...entry, sgv: "132", dateString: "2026-11-24T09:00:00+01:00" }, 5, "Europe/Paris")));
    expect(key(entryToCandidate({ ...entry, device: "AndroidAPS-LibreReceiver" }, 0, "UTC"))).not.toBe(key(entryToCandidate(entry, 0, "UTC")));
    expect(key(entryToCandidate({ ...entry, sgv: 133 }, 0, "UTC"))).not.toBe(key(entryToCandidate(entry, 0, "UTC")));
  });
});

describe("toNightscoutEntry", () => {
  const row = {
    id: 7, valueMgdl: 97.284, censored: null, specimen: "interstitial", effectiveAt: new Date(date), utcOffsetMinutes: 60,
    trend: null, noise: null, device: null, createdAt: new Date(date + 1000), updatedAt: new Date(date + 2000),
  } satisfies StoredEntryRow;

  it("renders sgv and mbg entries in mg/dL", () => {
    expect(toNightscoutEntry(row)).toEqual({
      _id: "7", type: "sgv", sgv: 97, date, dateString: "2026-11-24T08:00:00.000Z", sysTime: "2026-11-24T08:00:00.000Z", utcOffset: 60, device: "lantern",
    });
    expect(toNightscoutEntry({ ...row, id: 8, valueMgdl: 110, specimen: "capillary", utcOffsetMinutes: 0 })).toMatchObject({ type: "mbg", mbg: 110 });
  });

  it("gives followers the direction, Nightscout's trend number derived from it, the noise and the app's device", () => {
    expect(toNightscoutEntry({ ...row, trend: "FortyFiveDown", noise: 1, device: "xDrip-LibreReceiver" })).toMatchObject({
      direction: "FortyFiveDown", trend: 5, noise: 1, device: "xDrip-LibreReceiver",
    });
  });

  it("writes a CGM's LO (below 40 mg/dL) as Nightscout's code 39", () => {
    expect(toNightscoutEntry({ ...row, valueMgdl: 40, censored: "below" })).toMatchObject({ sgv: 39 });
  });

  it("names the reading by identifier with the server's times in API v3", () => {
    expect(toNightscoutEntryV3(row)).toMatchObject({ identifier: "7", isValid: true, srvCreated: date + 1000, srvModified: date + 2000 });
    expect(toNightscoutEntryV3(row)).not.toHaveProperty("_id");
  });
});
