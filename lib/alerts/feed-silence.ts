import type { DeviceKind } from "@/db/schema/readings-enums";
import { MINUTE_MS } from "./points";

/**
 * "No data": a monitored patient's feed silent for longer than a limit per device kind. A CGM
 * sends every few minutes, so 6 hours of silence means the sensor is off or failing; a meter
 * patient tests a few times a day, so only 3 days without one says monitoring has stopped.
 */
export const DEFAULT_SILENCE_LIMIT_MINUTES = { cgm: 6 * 60, "fingerstick-meter": 3 * 24 * 60 } as const satisfies Record<DeviceKind, number>;

export interface FeedSilenceInput {
  readonly deviceKind: DeviceKind;
  /** The latest reading's instant (epoch ms), null if none ever arrived. */
  readonly lastReadingAt: number | null;
  /** When monitoring of this feed began: silence is counted from then if no reading came since. */
  readonly monitoredSince: number;
  readonly now: number;
  readonly limitMinutes?: Partial<Record<DeviceKind, number>>;
}

export interface FeedSilence {
  readonly silent: boolean;
  /** The instant silence is counted from. */
  readonly since: number;
  readonly silentMinutes: number;
  readonly limitMinutes: number;
}

export function feedSilence({ deviceKind, lastReadingAt, monitoredSince, now, limitMinutes }: FeedSilenceInput): FeedSilence {
  const limit = limitMinutes?.[deviceKind] ?? DEFAULT_SILENCE_LIMIT_MINUTES[deviceKind];
  if (!(limit > 0)) throw new RangeError(`The silence limit must be a positive number of minutes: ${limit}`);
  const since = Math.max(lastReadingAt ?? monitoredSince, monitoredSince);
  // Readings up to 10 minutes in the future are accepted (lib/readings), so clamp at zero.
  const silentMinutes = Math.max(0, (now - since) / MINUTE_MS);
  return { silent: silentMinutes > limit, since, silentMinutes, limitMinutes: limit };
}
