import { describe, expect, it } from "vitest";
import { accountDelaySeconds, accountMayAttempt, AddressFailureWindow } from "./sign-in-throttle";

describe("accountDelaySeconds", () => {
  it.each([
    [0, 0], [4, 0], [5, 1], [6, 2], [10, 32], [14, 512], [15, 900], [99, 900],
  ])("after %i failures waits %i s", (failures, seconds) => {
    expect(accountDelaySeconds(failures)).toBe(seconds);
  });
});

describe("accountMayAttempt", () => {
  const last = new Date("2026-11-25T10:00:00Z");
  it.each([
    [0, null, 0, true],
    [4, last, 0, true],
    [6, last, 1_999, false],
    [6, last, 2_000, true],
    [100, last, 10 ** 9, false],
  ] as const)("with %i failures, %s, %i ms later: %s", (failures, lastFailure, elapsedMs, allowed) => {
    expect(accountMayAttempt(failures, lastFailure, new Date(last.getTime() + elapsedMs))).toBe(allowed);
  });
});

describe("AddressFailureWindow", () => {
  it("blocks an address after the maximum failures until the window passes", () => {
    const window = new AddressFailureWindow(3, 60_000);
    const start = new Date("2026-11-25T10:00:00Z");
    for (let i = 0; i < 3; i++) window.recordFailure("10.0.0.1", start);
    expect(window.isBlocked("10.0.0.1", start)).toBe(true);
    expect(window.isBlocked("10.0.0.2", start)).toBe(false);
    expect(window.isBlocked("10.0.0.1", new Date(start.getTime() + 60_000))).toBe(false);
  });
});
