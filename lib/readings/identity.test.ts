import { describe, expect, it } from "vitest";
import { deviceReadingKey, fhirContentKey, fhirIdentifierKey, fileReadingKey, uploaderEntryKey } from "./identity";

const at = new Date("2026-10-25T00:07:00Z");
const ms = at.getTime();
const fileReading = { specimen: "interstitial" as const, deviceSerial: "0D4B9C7A", recordKind: "historic", effectiveAt: at, value: 5.4, unit: "mmol/L" as const, censored: null };

describe("reading identity keys", () => {
  it("are stable text, one format per door", () => {
    expect(deviceReadingKey({ deviceId: "6f1c2d4e-0000-4000-8000-000000000001", seq: 1042, effectiveAt: at, value: 250, unit: "mg/dL", censored: null })).toBe(
      `device:6f1c2d4e-0000-4000-8000-000000000001:seq:1042:${ms}:250mg/dL`,
    );
    expect(deviceReadingKey({ deviceId: "6f1c2d4e-0000-4000-8000-000000000001", seq: null, effectiveAt: at, value: 20, unit: "mg/dL", censored: "below" })).toBe(
      `device:6f1c2d4e-0000-4000-8000-000000000001:${ms}:<20mg/dL`,
    );
    expect(uploaderEntryKey({ type: "sgv", device: "xDrip-LibreReceiver", date: ms, value: 140, censored: null })).toBe(`uploader:sgv:xDrip-LibreReceiver:${ms}:140mg/dL`);
    expect(uploaderEntryKey({ type: "mbg", device: null, date: ms, value: 110, censored: null })).toBe(`uploader:mbg::${ms}:110mg/dL`);
    expect(fileReadingKey(fileReading)).toBe(`file:interstitial:0D4B9C7A:historic:${ms}:5.4mmol/L`);
    expect(fileReadingKey({ ...fileReading, deviceSerial: null, recordKind: "generic", specimen: "capillary" })).toBe(`file:capillary::generic:${ms}:5.4mmol/L`);
    expect(fhirContentKey({ sender: "client-7", specimen: "capillary", effectiveAt: at, value: 41, unit: "mg/dL", censored: "above" })).toBe(`fhir:capillary:client-7:${ms}:>41mg/dL`);
    expect(fhirIdentifierKey({ sender: "client-7", system: "urn:hospital", value: "obs-1" })).toMatch(/^fhir:identifier:sha256-[0-9a-f]{64}$/);
  });

  it("do not depend on how the number was written", () => {
    expect(fileReadingKey({ ...fileReading, value: Number("5.40") })).toBe(fileReadingKey({ ...fileReading, value: 5.4 }));
    expect(uploaderEntryKey({ type: "sgv", device: null, date: ms, value: Number("140.0"), censored: null })).toBe(uploaderEntryKey({ type: "sgv", device: null, date: ms, value: 140, censored: null }));
    expect(fileReadingKey({ ...fileReading, value: -0 })).toBe(fileReadingKey({ ...fileReading, value: 0 }));
  });

  it.each([
    ["another value", { value: 5.5 }],
    ["the same glucose in another unit", { value: 97, unit: "mg/dL" as const }],
    ["a LO reading at the same number", { censored: "below" as const }],
    ["another record kind (a scan at the minute of a historic reading)", { recordKind: "scan" }],
    ["another serial", { deviceSerial: "0D4B9C7B" }],
    ["another specimen", { specimen: "capillary" as const }],
    ["another minute", { effectiveAt: new Date(ms + 60_000) }],
  ])("tell a file reading apart from %s", (_label, change) => {
    expect(fileReadingKey({ ...fileReading, ...change })).not.toBe(fileReadingKey(fileReading));
  });

  it("hash long or unusual text so keys stay bounded and their parts unambiguous", () => {
    const long = fileReadingKey({ ...fileReading, deviceSerial: "X".repeat(100_000) });
    expect(long.length).toBeLessThan(200);
    expect(long).toMatch(/^file:interstitial:sha256-[0-9a-f]{64}:historic:/);
    // A serial holding the separator cannot pose as other parts of the key.
    expect(fileReadingKey({ ...fileReading, deviceSerial: "A:historic" })).not.toBe(fileReadingKey({ ...fileReading, deviceSerial: "A", recordKind: "historic:historic" }));
    expect(uploaderEntryKey({ type: "sgv", device: "loop://iPhone 15", date: ms, value: 100, censored: null })).toMatch(/^uploader:sgv:sha256-[0-9a-f]{64}:/);
  });

  it("read a FHIR identifier by its system, and by its sender when it has none", () => {
    const key = (sender: string, system: string | null, value: string) => fhirIdentifierKey({ sender, system, value });
    expect(key("client-7", "urn:hospital", "obs-1")).toBe(key("client-8", "urn:hospital", "obs-1"));
    expect(key("client-7", "urn:hospital", "obs-1")).not.toBe(key("client-7", "urn:hospital", "obs-2"));
    expect(key("client-7", null, "obs-1")).not.toBe(key("client-8", null, "obs-1"));
    expect(key("urn:hospital", null, "obs-1")).not.toBe(key("client-7", "urn:hospital", "obs-1"));
  });
});
