import { z } from "zod";
import { trendDirections, type Censoring, type Specimen, type TrendDirection } from "@/db/schema/readings-enums";
import { readingOrigin, uploaderEntryKey } from "@/lib/readings/identity";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { nightscoutTrend } from "@/lib/readings/trend";
import { offsetMinutesOf } from "@/lib/time/offsets";
import { offsetAt } from "@/lib/time/zones";
import { numeric } from "./documents";
import { unreadableReason } from "./problem-reasons";

/** Nightscout's trend arrow names (CLINICAL.md), the same vocabulary the readings store. */
export const NIGHTSCOUT_DIRECTIONS = trendDirections;
export type NightscoutDirection = TrendDirection;

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

/**
 * An entry that is not stored: `reason` says why for this entry (the answer to the app),
 * `problem` the kind of problem the devices page counts (lib/uploader/problem-reasons.ts).
 */
export interface EntryIssue {
  index: number;
  reason: string;
  problem: string;
}

// The codes Nightscout inherited from Dexcom receivers: sgv 39 is "LOW", below 40 mg/dL; 0-38 are
// sensor states (no antenna, sensor not calibrated...), not glucose at all.
// Every other value is a reading: Libre 2 and G7 report up to 500 mg/dL, so a 401 or a 450 is not "HIGH".
const SGV_LOW_CODE = 39;
const SGV_LOW_LIMIT = 40;

const PLAIN_TYPE = /^[A-Za-z0-9 _-]{1,20}$/;

/**
 * One Nightscout entry: a candidate for the shared write path with its details, or why it is not
 * stored (status codes, calibrations and other entry types are not glucose readings of the
 * patient; an entry that cannot be read is named as such). Nothing is dropped without a reason.
 */
export type EntryParse = { candidate: ReadingCandidate; details: EntryDetails } | { notStored: EntryIssue };

export function entryToCandidate(raw: unknown, index: number, patientTimeZone: string): EntryParse {
  const notStored = (reason: string, problem: string): EntryParse => ({ notStored: { index, reason, problem } });
  const parsed = nightscoutEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "entry";
    return notStored(`${field}: ${issue.message}`, unreadableReason("Glucose entries", field, issue.message));
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
      if (entry.sgv === undefined) return notStored("sgv: an sgv entry needs its sgv value in mg/dL", unreadableReason("Glucose entries", "sgv", "the sgv value is missing"));
      if (entry.sgv === SGV_LOW_CODE) return reading("sgv", SGV_LOW_LIMIT, "below");
      if (entry.sgv >= 0 && entry.sgv < SGV_LOW_CODE) {
        return notStored(
          `sgv ${entry.sgv} is a sensor status code, not a glucose value`,
          "Sensor status codes (sgv 0-38, such as warm-up or no signal): they are not glucose values.",
        );
      }
      return reading("sgv", entry.sgv, null);
    }
    case "mbg":
      if (entry.mbg === undefined) return notStored("mbg: an mbg entry needs its mbg value in mg/dL", unreadableReason("Glucose entries", "mbg", "the mbg value is missing"));
      return reading("mbg", entry.mbg, null);
    case "cal":
      return notStored(
        "cal entries calibrate the sensor; they are not glucose readings of the patient",
        "Calibration entries (cal): they calibrate the sensor and are not glucose readings.",
      );
    default:
      return notStored(
        `${entry.type} entries are not glucose readings; Lantern stores sgv and mbg entries`,
        `${PLAIN_TYPE.test(entry.type) ? `"${entry.type}" entries` : "Entries of other types"}: Lantern stores sgv and mbg entries only.`,
      );
  }
}

export interface StoredEntryRow {
  id: number;
  valueMgdl: number;
  censored: Censoring | null;
  specimen: Specimen;
  effectiveAt: Date;
  utcOffsetMinutes: number;
  trend: TrendDirection | null;
  noise: number | null;
  /** The `device` string the uploader sent, or null for readings from Lantern's other doors. */
  device: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** How readings that came through Lantern's other doors (meters, files, the form) name their device. */
const LANTERN_DEVICE = "lantern";

/** A stored reading in the shape uploaders and Nightscout followers read (API v1). */
export function toNightscoutEntry(row: StoredEntryRow) {
  const date = row.effectiveAt.getTime();
  const common = {
    _id: String(row.id),
    date,
    dateString: row.effectiveAt.toISOString(),
    sysTime: row.effectiveAt.toISOString(),
    utcOffset: row.utcOffsetMinutes,
    device: row.device ?? LANTERN_DEVICE,
    ...(row.noise === null ? {} : { noise: row.noise }),
  };
  if (row.specimen === "capillary") return { ...common, type: "mbg" as const, mbg: Math.round(row.valueMgdl) };
  // Below 40 mg/dL a CGM says LOW, which Nightscout writes as its code 39.
  const sgv = row.censored === "below" && Math.round(row.valueMgdl) === SGV_LOW_LIMIT ? SGV_LOW_CODE : Math.round(row.valueMgdl);
  return { ...common, type: "sgv" as const, sgv, ...(row.trend === null ? {} : { direction: row.trend, trend: nightscoutTrend(row.trend) }) };
}

/** The same reading as API v3 documents carry it: named by `identifier`, with the server's times. */
export function toNightscoutEntryV3(row: StoredEntryRow) {
  const { _id, ...entry } = toNightscoutEntry(row);
  return { identifier: _id, ...entry, isValid: true, srvCreated: row.createdAt.getTime(), srvModified: row.updatedAt.getTime() };
}
