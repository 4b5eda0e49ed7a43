import { describe, expect, it } from "vitest";
import { localCalendarPeriod, localClockOf } from "./calendar";

const HOUR = 3_600_000;
const ms = (iso: string) => new Date(iso).getTime();

describe("localCalendarPeriod: start, end and days in the patient's calendar", () => {
  it.each([
    // [label, zone, start date, days, start instant, end instant, last date, hours]
    ["a London fortnight across the October change (14 days and 1 hour)", "Europe/London", "2026-10-18", 14, "2026-10-17T23:00:00Z", "2026-11-01T00:00:00Z", "2026-10-31", 14 * 24 + 1],
    ["a New York fortnight across the March change (14 days less 1 hour)", "America/New_York", "2026-03-02", 14, "2026-03-02T05:00:00Z", "2026-03-16T04:00:00Z", "2026-03-15", 14 * 24 - 1],
    ["a UTC week", "UTC", "2026-11-01", 7, "2026-11-01T00:00:00Z", "2026-11-08T00:00:00Z", "2026-11-07", 7 * 24],
    ["across a year end in Kolkata (+05:30)", "Asia/Kolkata", "2026-12-30", 3, "2026-12-29T18:30:00Z", "2027-01-01T18:30:00Z", "2027-01-01", 3 * 24],
    ["across a leap day", "Europe/Paris", "2028-02-28", 2, "2028-02-27T23:00:00Z", "2028-02-29T23:00:00Z", "2028-02-29", 2 * 24],
  ])("%s", (_label, zone, startDate, days, start, end, lastDate, hours) => {
    const period = localCalendarPeriod(zone, startDate, days);
    expect(period).toMatchObject({ timeZone: zone, startDate, lastDate, days, start: new Date(start), end: new Date(end) });
    expect(period.localDays).toHaveLength(days);
    expect((period.end.getTime() - period.start.getTime()) / HOUR).toBe(hours);
  });

  it("cuts the period into local days that follow each other without gap", () => {
    const period = localCalendarPeriod("Europe/London", "2026-10-18", 14);
    expect(period.localDays.map((day) => day.date)).toEqual(Array.from({ length: 14 }, (_, i) => `2026-10-${String(18 + i)}`));
    expect(period.localDays[0]!.start).toEqual(period.start);
    expect(period.localDays[13]!.end).toEqual(period.end);
    for (let i = 1; i < 14; i += 1) expect(period.localDays[i]!.start).toEqual(period.localDays[i - 1]!.end);
  });

  it.each([
    // [zone, date, hours in the day, offsets (from, minutes east of UTC)]
    ["Europe/London", "2026-10-25", 25, [["2026-10-24T23:00:00Z", 60], ["2026-10-25T01:00:00Z", 0]]],
    ["Europe/London", "2026-03-29", 23, [["2026-03-29T00:00:00Z", 0], ["2026-03-29T01:00:00Z", 60]]],
    ["America/New_York", "2026-03-08", 23, [["2026-03-08T05:00:00Z", -300], ["2026-03-08T07:00:00Z", -240]]],
    ["America/New_York", "2026-11-01", 25, [["2026-11-01T04:00:00Z", -240], ["2026-11-01T06:00:00Z", -300]]],
    ["America/New_York", "2026-07-01", 24, [["2026-07-01T04:00:00Z", -240]]],
    // Lord Howe Island moves its clocks by half an hour.
    ["Australia/Lord_Howe", "2026-04-05", 24.5, [["2026-04-04T13:00:00Z", 660], ["2026-04-04T15:00:00Z", 630]]],
    // Santiago skips midnight: the day starts at 01:00 (-03:00), already after the change.
    ["America/Santiago", "2026-09-06", 23, [["2026-09-06T04:00:00Z", -180]]],
  ] as const)("%s %s lasts %s hours, offsets %j", (zone, date, hours, offsets) => {
    const [day] = localCalendarPeriod(zone, date, 1).localDays;
    expect((day!.end.getTime() - day!.start.getTime()) / HOUR).toBe(hours);
    expect(day!.utcOffsets).toEqual(offsets.map(([from, minutes]) => ({ from: new Date(from), utcOffsetMinutes: minutes })));
  });

  it("names the zone as Temporal normalizes it", () => {
    expect(localCalendarPeriod("europe/london", "2026-01-01", 1).timeZone).toBe("Europe/London");
  });

  it.each([
    ["an unknown zone", "Mars/Olympus", "2026-01-01", 14],
    ["an empty zone", "", "2026-01-01", 14],
    ["a date that does not exist", "Europe/London", "2026-02-30", 14],
    ["a date without leading zeros", "Europe/London", "2026-2-3", 14],
    ["a date-time", "Europe/London", "2026-01-01T00:00", 14],
    ["zero days", "Europe/London", "2026-01-01", 0],
    ["a negative day count", "Europe/London", "2026-01-01", -14],
    ["a fractional day count", "Europe/London", "2026-01-01", 1.5],
    ["a day count that is not a number", "Europe/London", "2026-01-01", Number.NaN],
  ])("refuses %s", (_label, zone, startDate, days) => {
    expect(() => localCalendarPeriod(zone, startDate, days)).toThrow(RangeError);
  });
});

describe("localClockOf: the local day and the wall-clock minute of an instant", () => {
  const london = localClockOf(localCalendarPeriod("Europe/London", "2026-10-18", 14));

  it.each([
    ["an instant before the period", "2026-10-17T22:59:59.999Z", null, null],
    ["the period's first instant (00:00 BST)", "2026-10-17T23:00:00Z", 0, 0],
    ["23:59 BST on the first day", "2026-10-18T22:59:00Z", 0, 1439],
    ["01:30 BST, the first pass on the change day", "2026-10-25T00:30:00Z", 7, 90],
    ["01:30 GMT, the second pass, same wall minute", "2026-10-25T01:30:00Z", 7, 90],
    ["23:59:59 GMT on the change day", "2026-10-25T23:59:59Z", 7, 1439],
    ["00:00 GMT the day after", "2026-10-26T00:00:00Z", 8, 0],
    ["the last millisecond", "2026-10-31T23:59:59.999Z", 13, 1439],
    ["the exclusive end", "2026-11-01T00:00:00Z", null, null],
  ])("London: %s -> day %s, minute %s", (_label, iso, dayIndex, minute) => {
    expect(london.dayIndexOf(ms(iso))).toBe(dayIndex);
    expect(london.minuteOfDayOf(ms(iso))).toBe(minute);
  });

  it.each([
    ["New York: 01:59 EST before the spring change", "America/New_York", "2026-03-08", "2026-03-08T06:59:00Z", 119],
    ["New York: 03:00 EDT, the next instant's minute after the skipped hour", "America/New_York", "2026-03-08", "2026-03-08T07:00:00Z", 180],
    ["Kolkata: 08:00 at +05:30", "Asia/Kolkata", "2026-11-10", "2026-11-10T02:30:00Z", 480],
    ["Lord Howe: 01:45 (+11:00) before the half-hour change", "Australia/Lord_Howe", "2026-04-05", "2026-04-04T14:45:00Z", 105],
    ["Lord Howe: 01:45 (+10:30) again after it", "Australia/Lord_Howe", "2026-04-05", "2026-04-04T15:15:00Z", 105],
    ["Santiago: the first instant of a day without midnight is 01:00", "America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z", 60],
  ])("%s", (_label, zone, date, iso, minute) => {
    const clock = localClockOf(localCalendarPeriod(zone, date, 1));
    expect(clock.dayIndexOf(ms(iso))).toBe(0);
    expect(clock.minuteOfDayOf(ms(iso))).toBe(minute);
  });

  it("agrees with Temporal's wall clock at every 7 minutes of a 60-day New York period spanning the spring change", () => {
    const period = localCalendarPeriod("America/New_York", "2026-02-01", 60);
    const clock = localClockOf(period);
    const format = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    for (let t = period.start.getTime(); t < period.end.getTime(); t += 7 * 60_000) {
      const parts = Object.fromEntries(format.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
      const dayIndex = clock.dayIndexOf(t)!;
      expect([t, period.localDays[dayIndex]!.date, clock.minuteOfDayOf(t)]).toEqual([t, `${parts.year}-${parts.month}-${parts.day}`, Number(parts.hour) * 60 + Number(parts.minute)]);
    }
  });
});
