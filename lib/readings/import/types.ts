import type { Censoring, GlucoseUnit, Specimen } from "@/db/schema/readings-enums";

/** One glucose value found in an export file, parsed but not yet checked or placed in time. */
export interface ParsedImportRow {
  /** 1-based line in the file where the row starts, for messages. */
  row: number;
  /** `YYYY-MM-DDTHH:mm[:ss]` wall-clock time, when the file gave no UTC offset; else null. */
  localTime: string | null;
  /** The absolute time, when the file gave a UTC offset (generic files); else null. */
  instant: Date | null;
  /** The UTC offset written in the file, in minutes; null when it gave none. */
  utcOffsetMinutes: number | null;
  /** As written in the file, in `unit` (for a censored value: the meter's range limit). */
  value: number;
  unit: GlucoseUnit;
  specimen: Specimen;
  /** LO/HI (LibreView), Low/High (Dexcom): the true value is below/above `value`. */
  censored: Censoring | null;
  /** Sensor serial (LibreView) or transmitter id (Dexcom), when the file has one. */
  deviceSerial: string | null;
  /** historic | scan | strip (LibreView), egv | calibration (Dexcom), generic. */
  recordKind: string;
}

export type RowOutcome =
  | { kind: "reading"; reading: ParsedImportRow }
  /** A row that is not a glucose reading (insulin, food, notes, patient information...). */
  | { kind: "skipped"; row: number; reason: string }
  /** A row that should have been a reading but cannot be read; `reason` starts with "Row N:". */
  | { kind: "rejected"; row: number; reason: string };
