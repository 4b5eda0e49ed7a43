import { Temporal } from "temporal-polyfill";

/**
 * Report periods in the patient's local calendar. A clinician who asks for "the last 14 days"
 * means 14 dates on the patient's calendar, whatever the clocks did meanwhile: a fortnight across
 * the autumn clock change lasts 14 days and 1 hour, one across the spring change 14 days less an
 * hour. Cutting such a period into 24-hour windows gives a 15th, one-hour "day" (or a last day an
 * hour short) and misplaces every later midnight by an hour.
 *
 * The zone arithmetic (Temporal) runs once per day when the period is built; `localClockOf` then
 * places any number of instants by plain number comparisons, so a 90-day CGM series (25,920
 * readings) needs no Temporal call per reading.
 */

export interface UtcOffsetFrom {
  /** The instant from which this offset applies (within the day). */
  from: Date;
  /** Minutes east of UTC. */
  utcOffsetMinutes: number;
}

export interface LocalDay {
  /** The local date, YYYY-MM-DD. */
  date: string;
  /**
   * First instant of the day: local midnight, or the first local time that exists when the zone
   * skips midnight (America/Santiago starts 2026-09-06 at 01:00).
   */
  start: Date;
  /** First instant of the next local day (exclusive end). */
  end: Date;
  /** The zone's offset from `start`, then one entry per change within the day (a daylight-saving day has two). */
  utcOffsets: readonly UtcOffsetFrom[];
}

export interface LocalCalendarPeriod {
  /** IANA time zone id, as Temporal normalizes it. */
  timeZone: string;
  /** First local date, YYYY-MM-DD. */
  startDate: string;
  /** Last local date, inclusive, YYYY-MM-DD: what a report header or a FHIR Period of dates shows. */
  lastDate: string;
  /** Number of local calendar days (the length a person reads, not hours / 24). */
  days: number;
  /** First instant of the first day (inclusive). */
  start: Date;
  /** First instant after the last day (exclusive). */
  end: Date;
  /** One entry per local date, in order; each day's end is the next day's start. */
  localDays: readonly LocalDay[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function utcOffsetMinutesOf(zoned: Temporal.ZonedDateTime): number {
  return zoned.offsetNanoseconds / 60e9;
}

/**
 * The period of `days` local calendar days in `timeZone` starting on `startDate` (YYYY-MM-DD).
 * Throws a RangeError for an unknown zone, a date that is not a real YYYY-MM-DD date, or a day
 * count that is not a positive whole number.
 */
export function localCalendarPeriod(timeZone: string, startDate: string, days: number): LocalCalendarPeriod {
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`days must be a positive whole number, not ${days}`);
  if (!ISO_DATE.test(startDate)) throw new RangeError(`startDate must be YYYY-MM-DD, not ${JSON.stringify(startDate)}`);
  let first: Temporal.PlainDate;
  try {
    first = Temporal.PlainDate.from(startDate, { overflow: "reject" });
  } catch {
    throw new RangeError(`startDate is not a calendar date: ${startDate}`);
  }
  let zonedStarts: Temporal.ZonedDateTime[];
  try {
    // days + 1 starts: the last one is the period's end. toZonedDateTime of a date is the day's
    // first existing instant (Temporal's startOfDay rule).
    zonedStarts = Array.from({ length: days + 1 }, (_, i) => first.add({ days: i }).toZonedDateTime(timeZone));
  } catch {
    throw new RangeError(`Not a time zone: ${JSON.stringify(timeZone)}`);
  }
  const firstStart = zonedStarts[0]!;
  const lastEnd = zonedStarts[days]!;

  // Every offset change inside the period, found by walking the zone's transitions (a handful per
  // year) rather than probing each day.
  const changes: UtcOffsetFrom[] = [];
  for (let next = firstStart.getTimeZoneTransition("next"); next && next.epochMilliseconds < lastEnd.epochMilliseconds; next = next.getTimeZoneTransition("next")) {
    changes.push({ from: new Date(next.epochMilliseconds), utcOffsetMinutes: utcOffsetMinutesOf(next) });
  }

  const localDays: LocalDay[] = zonedStarts.slice(0, days).map((zonedStart, i) => {
    const startMs = zonedStart.epochMilliseconds;
    const endMs = zonedStarts[i + 1]!.epochMilliseconds;
    return {
      date: zonedStart.toPlainDate().toString(),
      start: new Date(startMs),
      end: new Date(endMs),
      utcOffsets: [
        { from: new Date(startMs), utcOffsetMinutes: utcOffsetMinutesOf(zonedStart) },
        ...changes.filter((change) => change.from.getTime() > startMs && change.from.getTime() < endMs),
      ],
    };
  });

  return {
    timeZone: firstStart.timeZoneId,
    startDate: first.toString(),
    lastDate: first.add({ days: days - 1 }).toString(),
    days,
    start: new Date(firstStart.epochMilliseconds),
    end: new Date(lastEnd.epochMilliseconds),
    localDays,
  };
}

/** Where instants fall on the patient's calendar and wall clock, for instants in one period. */
export interface LocalClock {
  /** Index into the period's `localDays` of the day holding the instant; null outside the period. */
  dayIndexOf(epochMs: number): number | null;
  /**
   * Whole minutes since local midnight on the wall clock (0-1439); null outside the period. The
   * repeated hour of an autumn change maps twice onto the same minutes; the skipped hour of a
   * spring change never appears.
   */
  minuteOfDayOf(epochMs: number): number | null;
}

const MINUTE_MS = 60_000;

/**
 * A LocalClock for the period. The period is cut once into segments of one local day and one UTC
 * offset (a day has one, a clock-change day two); within a segment the wall-clock minute is
 * (instant + offset - the date's midnight read as UTC) / 1 minute. A lookup finds the segment:
 * first the previous lookup's (readings mostly come in time order), else by binary search.
 */
export function localClockOf(period: LocalCalendarPeriod): LocalClock {
  const starts: number[] = [];
  const dayIndexes: number[] = [];
  const shifts: number[] = [];
  period.localDays.forEach((day, dayIndex) => {
    const wallMidnightAsUtcMs = Date.parse(`${day.date}T00:00:00Z`);
    for (const { from, utcOffsetMinutes } of day.utcOffsets) {
      starts.push(from.getTime());
      dayIndexes.push(dayIndex);
      shifts.push(utcOffsetMinutes * MINUTE_MS - wallMidnightAsUtcMs);
    }
  });
  const segmentStarts = Float64Array.from(starts);
  const segmentDayIndexes = Int32Array.from(dayIndexes);
  const segmentShifts = Float64Array.from(shifts);
  const last = segmentStarts.length - 1;
  const periodStartMs = period.start.getTime();
  const periodEndMs = period.end.getTime();
  let recent = 0;

  /** Index of the segment holding the instant, or -1 outside the period. */
  function segmentOf(epochMs: number): number {
    if (!(epochMs >= periodStartMs && epochMs < periodEndMs)) return -1;
    if (epochMs >= segmentStarts[recent]! && (recent === last || epochMs < segmentStarts[recent + 1]!)) return recent;
    let low = 0;
    let high = last;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (segmentStarts[middle]! <= epochMs) low = middle;
      else high = middle - 1;
    }
    recent = low;
    return low;
  }

  return {
    dayIndexOf(epochMs) {
      const segment = segmentOf(epochMs);
      return segment < 0 ? null : segmentDayIndexes[segment]!;
    },
    minuteOfDayOf(epochMs) {
      const segment = segmentOf(epochMs);
      return segment < 0 ? null : Math.floor((epochMs + segmentShifts[segment]!) / MINUTE_MS);
    },
  };
}
