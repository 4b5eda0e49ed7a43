import { z } from "zod";
import { trendDirections, type TrendDirection } from "@/db/schema/readings-enums";
import { readingOrigin, uploaderEntryKey } from "@/lib/readings/identity";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { offsetAt } from "@/lib/time/zones";
import { offsetMinutesOf } from "@/lib/time/offsets";

/** Nightscout's trend arrow names (CLINICAL.md), the same vocabulary the readings store. */
export const NIGHTSCOUT_DIRECTIONS = trendDirections;
export type NightscoutDirection = TrendDirection;

// Some apps send numbers as JSON strings ("sgv": "140", "date": "1796…"): they are read as the
// numbers they spell rather than costing the patient the readings. Other text fails its check.
const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const numeric = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === "string" && NUMBER_TEXT.test(value) ? Number(value) : value), schema);

/**
 * Nightscout entries as uploader apps (xDrip+, AndroidAPS, Loop, Spike...) send them. Glucose is
 * always mg/dL in this API. Unknown fields are ignored, as Nightscout does. `direction`, `trend`,
 * `noise` and `device` describe the reading without changing it: one Lantern cannot read is left
 * out rather than costing the patient the reading.
 */
export const nightscoutEntrySchema = z.object({
  type: z.string({ message: "type is required (sgv, mbg or cal)" }),
  date: numeric(z.number({ message: "date must be epoch milliseconds" }).int("date must be epoch milliseconds").positive("date must be epoch milliseconds")),
  dateString: z.string().optional(),
  utcOffset: numeric(z.number().int()).optional(),
  sgv: numeric(z.number({ message: "sgv must be a number (mg/dL)" })).optional(),
  mbg: numeric(z.number({ message: "mbg must be a number (mg/dL)" })).optional(),
  direction: z.enum(NIGHTSCOUT_DIRECTIONS).optional().catch(undefined),
  // Nightscout's numeric trend: 0 NONE, 1 DoubleUp ... 7 DoubleDown, 8 NOT COMPUTABLE, 9 RATE OUT OF RANGE.
  trend: numeric(z.number().int().min(0).max(9)).optional().catch(undefined),
  // Signal noise as CGM uploaders grade it: 0 unknown, 1 clean ... 4 heavy.
  noise: numeric(z.number().int().min(0).max(4)).optional().catch(undefined),
  // The app and sensor that sent the entry (e.g. "xDrip-LibreReceiver"): part of the reading's identity.
  device: z.string().min(1).max(200).optional().catch(undefined),
});

/** What an entry says about its reading besides the value, for the reading's record. */
export interface EntryDetails {
  direction: NightscoutDirection | null;
  trend: number | null;
  noise: number | null;
  device: string | null;
}

export interface EntryIssue {
  index: number;
  reason: string;
}

// The codes Nightscout inherited from Dexcom receivers: sgv 39 is "LOW", below 40 mg/dL; 0-38 are
// sensor states (no antenna, sensor not calibrated...), not glucose at all.
// Every other value is a reading: Libre 2 and G7 report up to 500 mg/dL, so a 401 or a 450 is not "HIGH".
const SGV_LOW_CODE = 39;
const SGV_LOW_LIMIT = 40;

/**
 * One Nightscout entry: a candidate for the shared write path with its details, or the reason it
 * is not stored. `skipped` is what is not a glucose reading of the patient (status codes,
 * calibrations, other entry types); `rejection` is an entry that should have been one but cannot
 * be read. Nothing is dropped without a reason.
 */
export type EntryParse = { candidate: ReadingCandidate; details: EntryDetails } | { skipped: EntryIssue } | { rejection: EntryIssue };

export function entryToCandidate(raw: unknown, index: number, patientTimeZone: string): EntryParse {
  const parsed = nightscoutEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { rejection: { index, reason: `${issue.path.join(".") || "entry"}: ${issue.message}` } };
  }
  const entry = parsed.data;
  const details: EntryDetails = { direction: entry.direction ?? null, trend: entry.trend ?? null, noise: entry.noise ?? null, device: entry.device ?? null };
  const effectiveAt = new Date(entry.date);
  const utcOffsetMinutes =
    (entry.dateString ? offsetMinutesOf(entry.dateString) : null) ?? entry.utcOffset ?? offsetAt(effectiveAt, patientTimeZone);
  const reading = (type: "sgv" | "mbg", value: number, censored: "below" | null): EntryParse => ({
    candidate: {
      position: index,
      value,
      unit: "mg/dL",
      censored,
      effectiveAt,
      utcOffsetMinutes,
      specimen: type === "sgv" ? "interstitial" : "capillary",
      dedupeKey: uploaderEntryKey({ type, device: details.device, date: entry.date, value, censored }),
      origin: readingOrigin.uploader(details.device),
      trend: details.direction,
      noise: details.noise,
    },
    details,
  });

  switch (entry.type) {
    case "sgv": {
      if (entry.sgv === undefined) return { rejection: { index, reason: "sgv: an sgv entry needs its sgv value in mg/dL" } };
      if (entry.sgv === SGV_LOW_CODE) return reading("sgv", SGV_LOW_LIMIT, "below");
      if (entry.sgv >= 0 && entry.sgv < SGV_LOW_CODE) return { skipped: { index, reason: `sgv ${entry.sgv} is a sensor status code, not a glucose value` } };
      return reading("sgv", entry.sgv, null);
    }
    case "mbg":
      if (entry.mbg === undefined) return { rejection: { index, reason: "mbg: an mbg entry needs its mbg value in mg/dL" } };
      return reading("mbg", entry.mbg, null);
    case "cal":
      return { skipped: { index, reason: "cal entries calibrate the sensor; they are not glucose readings of the patient" } };
    default:
      return { skipped: { index, reason: `${entry.type} entries are not glucose readings; Lantern stores sgv and mbg entries` } };
  }
}

export interface StoredEntryRow {
  id: number;
  valueMgdl: number;
  specimen: "capillary" | "interstitial";
  effectiveAt: Date;
  utcOffsetMinutes: number;
}

/** A stored reading in the shape uploaders and Nightscout followers read. */
export function toNightscoutEntry(row: StoredEntryRow) {
  const value = Math.round(row.valueMgdl);
  const date = row.effectiveAt.getTime();
  const common = {
    _id: String(row.id),
    date,
    dateString: row.effectiveAt.toISOString(),
    sysTime: row.effectiveAt.toISOString(),
    utcOffset: row.utcOffsetMinutes,
    device: "lantern",
  };
  return row.specimen === "interstitial" ? { ...common, type: "sgv", sgv: value } : { ...common, type: "mbg", mbg: value };
}
