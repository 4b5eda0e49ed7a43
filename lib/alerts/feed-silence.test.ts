import { describe, expect, it } from "vitest";
import type { DeviceKind } from "@/db/schema/readings-enums";
import { feedSilence } from "./feed-silence";
import { at } from "./testing/series";

const HOUR = 60;
const DAY = 24 * HOUR;

describe("feedSilence: no data for longer than the limit", () => {
  it.each<[DeviceKind, number, boolean]>([
    ["cgm", 6 * HOUR, false],
    ["cgm", 6 * HOUR + 1, true],
    ["fingerstick-meter", 3 * DAY, false],
    ["fingerstick-meter", 3 * DAY + 1, true],
  ])("%s silent for %i minutes: %s", (deviceKind, minutes, silent) => {
    expect(feedSilence({ deviceKind, lastReadingAt: at(0), monitoredSince: at(-DAY), now: at(minutes) })).toEqual({
      silent,
      since: at(0),
      silentMinutes: minutes,
      limitMinutes: deviceKind === "cgm" ? 6 * HOUR : 3 * DAY,
    });
  });

  it("takes configured limits per device kind", () => {
    expect(feedSilence({ deviceKind: "cgm", lastReadingAt: at(0), monitoredSince: at(0), now: at(61), limitMinutes: { cgm: 60 } })).toMatchObject({ silent: true, limitMinutes: 60 });
    expect(feedSilence({ deviceKind: "fingerstick-meter", lastReadingAt: at(0), monitoredSince: at(0), now: at(61), limitMinutes: { cgm: 60 } })).toMatchObject({ silent: false, limitMinutes: 3 * DAY });
  });

  it("counts from the start of monitoring when no reading came since", () => {
    expect(feedSilence({ deviceKind: "cgm", lastReadingAt: null, monitoredSince: at(0), now: at(7 * HOUR) })).toMatchObject({ silent: true, since: at(0) });
    expect(feedSilence({ deviceKind: "cgm", lastReadingAt: at(-DAY), monitoredSince: at(0), now: at(HOUR) })).toMatchObject({ silent: false, since: at(0) });
  });

  it("a reading slightly in the future is not negative silence", () => {
    expect(feedSilence({ deviceKind: "cgm", lastReadingAt: at(10), monitoredSince: at(0), now: at(0) })).toMatchObject({ silent: false, silentMinutes: 0 });
  });

  it.each([0, -1, Number.NaN])("refuses a limit of %s minutes", (limit) => {
    expect(() => feedSilence({ deviceKind: "cgm", lastReadingAt: at(0), monitoredSince: at(0), now: at(1), limitMinutes: { cgm: limit } })).toThrow(RangeError);
  });
});
