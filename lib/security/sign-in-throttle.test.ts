import { describe, expect, it } from "vitest";
import { accountDelaySeconds, accountMayAttempt } from "./sign-in-throttle";

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
