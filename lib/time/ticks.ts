import { Temporal } from "temporal-polyfill";

const HOUR_MS = 3_600_000;
const TICK_STEPS_HOURS = [1, 2, 3, 4, 6, 12, 24] as const;

/**
 * Chart ticks at whole local hours (00:00, 06:00, 12:00…) in a time zone between two instants,
 * at most `maxTicks` of them: the smallest step of 1, 2, 3, 4, 6, 12 or 24 hours that fits
 * (longer spans: whole days). Daylight-saving days keep their ticks on the local clock.
 */
export function wholeHourTicks(startMs: number, endMs: number, timeZone: string, maxTicks = 8): number[] {
  if (!(endMs > startMs)) return [];
  const spanHours = (endMs - startMs) / HOUR_MS;
  const step = TICK_STEPS_HOURS.find((hours) => spanHours / hours <= maxTicks) ?? 24 * Math.ceil(spanHours / 24 / maxTicks);
  const ticks: number[] = [];
  let zoned = Temporal.Instant.fromEpochMilliseconds(startMs).toZonedDateTimeISO(timeZone).round({ smallestUnit: "hour", roundingMode: "ceil" });
  while (zoned.epochMilliseconds <= endMs) {
    const daysSinceEpoch = Math.floor(zoned.toPlainDate().since(Temporal.PlainDate.from("1970-01-01")).days);
    const onStep = step <= 24 ? zoned.hour % step === 0 && zoned.minute === 0 : zoned.hour === 0 && zoned.minute === 0 && daysSinceEpoch % (step / 24) === 0;
    if (onStep) ticks.push(zoned.epochMilliseconds);
    zoned = zoned.add({ hours: 1 }).round({ smallestUnit: "hour", roundingMode: "floor" });
  }
  return ticks;
}
