import { describe, expect, it } from "vitest";
import { computedIdentifier, xdripIdOfUuid } from "./identifiers";

describe("computedIdentifier", () => {
  it("derives the identifier Nightscout's API v3 tutorial shows for an AndroidAPS treatment", () => {
    expect(computedIdentifier({ device: "Samsung XCover 4-861536030196001", date: 1613057404186, eventType: "Correction Bolus" })).toBe(
      "5b0f7124-475f-5db0-824c-a73c5eea0975",
    );
  });

  it("writes a missing device as Nightscout's JavaScript does, and leaves out a missing event type", () => {
    // Computed independently: Python's uuid.uuid5(UUID(bytes=b"NightscoutRocks!"), "undefined_1613057404186").
    expect(computedIdentifier({ device: null, date: 1613057404186, eventType: null })).toBe("8430907c-30e4-573c-a1f0-3c5ff95a5411");
  });

  it("is a version 5, RFC variant UUID, and differs when any part differs", () => {
    const base = { device: "xDrip-DexcomG6", date: 1_800_000_000_000, eventType: "Meal Bolus" };
    const identifier = computedIdentifier(base);
    expect(identifier).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(computedIdentifier({ ...base, date: base.date + 1 })).not.toBe(identifier);
    expect(computedIdentifier({ ...base, eventType: "Carb Correction" })).not.toBe(identifier);
    expect(computedIdentifier({ ...base, device: "xDrip-LibreReceiver" })).not.toBe(identifier);
  });
});

describe("xdripIdOfUuid", () => {
  it.each([
    ["a UUID", "1f3c9a6e-5b2d-4c8f-9a7e-3d2c1b0a9f8e", "1f3c9a6e5b2d4c8f9a7e3d2c"],
    ["an id already converted", "1f3c9a6e5b2d4c8f9a7e3d2c", "1f3c9a6e5b2d4c8f9a7e3d2c"],
  ])("converts %s as xDrip+ does", (_label, uuid, id) => {
    expect(xdripIdOfUuid(uuid)).toBe(id);
  });

  it("hashes a short, non-standard uuid to 24 hex characters", () => {
    expect(xdripIdOfUuid("short")).toMatch(/^[0-9a-f]{24}$/);
  });
});
