import type { DeviceKind } from "@/db/schema/readings-enums";
import { deviceReadingKey } from "@/lib/readings/identity";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { offsetMinutesOf } from "@/lib/time/offsets";
import { deviceReadingSchema } from "./schemas";

export type DeviceReadingParse = { candidate: ReadingCandidate } | { rejection: { index: number; reason: string } };

/**
 * One element of a device upload, as a candidate for the shared write path. The dedupe key is
 * the device, its sequence number when it sends one, the time and the value (deviceReadingKey):
 * retries store nothing twice, and a record number reused after a memory reset is a new reading.
 * Control-solution tests are quality checks of the meter, never patient values.
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
  const value = { value: reading.value, unit: reading.unit, censored: flags.has("LO") ? ("below" as const) : flags.has("HI") ? ("above" as const) : null };
  return {
    candidate: {
      position: index,
      ...value,
      effectiveAt,
      utcOffsetMinutes: offsetMinutesOf(reading.time) ?? 0,
      specimen: kind === "cgm" ? "interstitial" : "capillary",
      mealContext: reading.mealContext ?? null,
      dedupeKey: deviceReadingKey({ deviceId, seq: reading.seq ?? null, effectiveAt, ...value }),
    },
  };
}

