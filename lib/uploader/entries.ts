import { z } from "zod";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { offsetAt } from "@/lib/time/zones";
import { offsetMinutesOf } from "@/lib/time/offsets";

/**
 * Nightscout entries as uploader apps (xDrip+, AndroidAPS, Loop, Spike...) send them. Glucose is
 * always mg/dL in this API. Unknown fields are ignored, as Nightscout does.
 */
export const nightscoutEntrySchema = z.object({
  type: z.string({ message: "type is required (sgv, mbg or cal)" }),
  date: z.number({ message: "date must be epoch milliseconds" }).int().positive("date must be epoch milliseconds"),
  dateString: z.string().optional(),
  utcOffset: z.number().int().optional(),
  sgv: z.number().optional(),
  mbg: z.number().optional(),
});

// Dexcom-style uploaders encode sensor states as small sgv values; 39 means "LOW" (< 40) and
// 401 and above "HIGH" (> 400) on Dexcom receivers.
const SGV_LOW_CODE = 39;
const SGV_HIGH_LIMIT = 401;

export type EntryParse = { candidate: ReadingCandidate } | { skipped: string } | { rejection: { index: number; reason: string } };

export function entryToCandidate(raw: unknown, index: number, patientTimeZone: string): EntryParse {
  const parsed = nightscoutEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { rejection: { index, reason: `${issue.path.join(".") || "entry"}: ${issue.message}` } };
  }
  const entry = parsed.data;
  const effectiveAt = new Date(entry.date);
  const utcOffsetMinutes =
    (entry.dateString ? offsetMinutesOf(entry.dateString) : null) ?? entry.utcOffset ?? offsetAt(effectiveAt, patientTimeZone);
  const base = { position: index, unit: "mg/dL" as const, effectiveAt, utcOffsetMinutes, dedupeKey: `uploader:${entry.type}:${entry.date}` };

  switch (entry.type) {
    case "sgv": {
      if (entry.sgv === undefined) return { rejection: { index, reason: "sgv: an sgv entry needs its sgv value in mg/dL" } };
      if (entry.sgv < SGV_LOW_CODE) return { skipped: `sgv ${entry.sgv} is a sensor status code, not a glucose value` };
      const censored = entry.sgv === SGV_LOW_CODE ? ("below" as const) : entry.sgv >= SGV_HIGH_LIMIT ? ("above" as const) : null;
      return { candidate: { ...base, value: entry.sgv, censored, specimen: "interstitial" } };
    }
    case "mbg":
      if (entry.mbg === undefined) return { rejection: { index, reason: "mbg: an mbg entry needs its mbg value in mg/dL" } };
      return { candidate: { ...base, value: entry.mbg, censored: null, specimen: "capillary" } };
    default:
      // Calibrations and other record types carry no glucose value of the patient's own.
      return { skipped: `${entry.type} entries are not stored` };
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
