import { describe, expect, it } from "vitest";
import { entryToCandidate, toNightscoutEntry } from "./entries";

const date = Date.parse("2026-11-24T08:00:00Z");

describe("entryToCandidate", () => {
  it("reads an xDrip sgv entry with its offset from dateString", () => {
    const entry = { type: "sgv", sgv: 132, date, dateString: "2026-11-24T09:00:00.000+01:00", direction: "Flat", device: "xDrip-DexcomG6", noise: 1 };
    expect(entryToCandidate(entry, 0, "America/New_York")).toEqual({
      candidate: {
        position: 0, value: 132, unit: "mg/dL", censored: null, specimen: "interstitial",
        effectiveAt: new Date(date), utcOffsetMinutes: 60, dedupeKey: `uploader:sgv:${date}`,
      },
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
    [39, "below"],
    [401, "above"],
    [40, null],
  ] as const)("sgv %i is censored %s", (sgv, censored) => {
    expect(entryToCandidate({ type: "sgv", sgv, date }, 0, "UTC")).toMatchObject({ candidate: { censored } });
  });

  it.each([
    [{ type: "sgv", sgv: 5, date }, { skipped: "sgv 5 is a sensor status code, not a glucose value" }],
    [{ type: "cal", slope: 1000, date }, { skipped: "cal entries are not stored" }],
    [{ type: "sgv", date }, { rejection: { index: 2, reason: "sgv: an sgv entry needs its sgv value in mg/dL" } }],
    [{ type: "sgv", sgv: 100 }, { rejection: { index: 2, reason: "date: date must be epoch milliseconds" } }],
    ["nonsense", { rejection: { index: 2, reason: expect.stringContaining("entry:") } }],
  ])("handles %j", (entry, expected) => {
    expect(entryToCandidate(entry, 2, "UTC")).toEqual(expected);
  });
});

describe("toNightscoutEntry", () => {
  it("renders sgv and mbg entries in mg/dL", () => {
    expect(toNightscoutEntry({ id: 7, valueMgdl: 97.284, specimen: "interstitial", effectiveAt: new Date(date), utcOffsetMinutes: 60 })).toEqual({
      _id: "7", type: "sgv", sgv: 97, date, dateString: "2026-11-24T08:00:00.000Z", sysTime: "2026-11-24T08:00:00.000Z", utcOffset: 60, device: "lantern",
    });
    expect(toNightscoutEntry({ id: 8, valueMgdl: 110, specimen: "capillary", effectiveAt: new Date(date), utcOffsetMinutes: 0 })).toMatchObject({ type: "mbg", mbg: 110 });
  });
});
