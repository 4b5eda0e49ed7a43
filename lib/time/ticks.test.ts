import { describe, expect, it } from "vitest";
import { wholeHourTicks } from "./ticks";

const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe("wholeHourTicks", () => {
  it("puts ticks on whole local hours, never at the odd minute the data starts", () => {
    const ticks = wholeHourTicks(at("2026-07-14T09:17:23Z"), at("2026-07-14T21:43:00Z"), "Europe/London", 8);
    // London is UTC+1 in July: 10:17 to 22:43 local, 12.4 hours, fit in 8 ticks at a 2-hour step: 12:00 local is 11:00Z.
    expect(ticks.map(iso)).toEqual(["2026-07-14T11:00:00.000Z", "2026-07-14T13:00:00.000Z", "2026-07-14T15:00:00.000Z", "2026-07-14T17:00:00.000Z", "2026-07-14T19:00:00.000Z", "2026-07-14T21:00:00.000Z"]);
  });

  it("spaces three days every 12 hours at local midnight and noon", () => {
    const ticks = wholeHourTicks(at("2026-07-11T10:02:00Z"), at("2026-07-14T10:02:00Z"), "America/New_York", 8);
    expect(ticks.map(iso)).toEqual(["2026-07-11T16:00:00.000Z", "2026-07-12T04:00:00.000Z", "2026-07-12T16:00:00.000Z", "2026-07-13T04:00:00.000Z", "2026-07-13T16:00:00.000Z", "2026-07-14T04:00:00.000Z"]);
  });

  it("keeps ticks on the local clock across the night the clocks go back", () => {
    const ticks = wholeHourTicks(at("2026-10-24T23:00:00Z"), at("2026-10-25T13:00:00Z"), "Europe/London", 4);
    // 14 hours in 4 ticks: every 4 local hours. 00:00 BST is 23:00Z; 04:00 GMT is five hours later.
    expect(ticks.map(iso)).toEqual(["2026-10-24T23:00:00.000Z", "2026-10-25T04:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-25T12:00:00.000Z"]);
  });

  it("gives whole days for a long span, and nothing for an empty one", () => {
    const ticks = wholeHourTicks(at("2026-01-01T00:00:00Z"), at("2026-01-31T00:00:00Z"), "UTC", 8);
    expect(ticks.length).toBeLessThanOrEqual(8);
    for (const tick of ticks) expect(iso(tick)).toMatch(/T00:00:00.000Z$/);
    expect(wholeHourTicks(5, 5, "UTC")).toEqual([]);
  });
});
