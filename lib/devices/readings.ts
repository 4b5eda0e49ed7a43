import type { DeviceKind } from "@/db/schema/readings-enums";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { deviceReadingSchema } from "./schemas";
import { offsetMinutesOf } from "@/lib/time/offsets";

export type DeviceReadingParse = { candidate: ReadingCandidate } | { rejection: { index: number; reason: string } };

/**
 * One element of a device upload, as a candidate for the shared write path. The dedupe key is
 * the device and its sequence number (or the time when the meter has none), so retries store
 * nothing twice. Control-solution tests are quality checks of the meter, never patient values.
 */
export function deviceReadingToCandidate(deviceId: string, kind: DeviceKind, raw: unknown, index: number): DeviceReadingParse {
  const parsed = deviceReadingSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".");
    return { rejection: { index, reason: field ? `${field}: ${issue.message}` : issue.message } };
  }
  const reading = parsed.data;
  const flags = new Set(reading.flags ?? []);
  if (flags.has("control")) return { rejection: { index, reason: "control solution test: not a patient value, not stored" } };
  if (flags.has("LO") && flags.has("HI")) return { rejection: { index, reason: "flags: a reading cannot be both LO and HI" } };
  const effectiveAt = new Date(reading.time);
  return {
    candidate: {
      position: index,
      value: reading.value,
      unit: reading.unit,
      censored: flags.has("LO") ? "below" : flags.has("HI") ? "above" : null,
      effectiveAt,
      utcOffsetMinutes: offsetMinutesOf(reading.time) ?? 0,
      specimen: kind === "cgm" ? "interstitial" : "capillary",
      mealContext: reading.mealContext ?? null,
      dedupeKey: reading.seq !== undefined ? `device:${deviceId}:seq:${reading.seq}` : `device:${deviceId}:time:${effectiveAt.getTime()}`,
    },
  };
}

