/**
 * Turning one CSV record of a known format into an outcome. LibreView rows may come back
 * `deferred`: their date is day/month ambiguous until the file has said which order it uses.
 */
import type { GlucoseUnit, Specimen } from "@/db/schema/readings-enums";
import { parseGlucoseUnit } from "@/lib/readings/units";
import type { Delimiter, DexcomColumns, GenericColumns, LibreViewColumns } from "./detect";
import { quoteForMessage } from "./detect";
import { parseIsoDateTime, parseMeterTimestamp, type MeterTimestamp } from "./time";
import type { ParsedImportRow, RowOutcome } from "./types";

/** A LibreView reading whose local time waits for the file's day/month order. */
export interface DeferredReading {
  kind: "deferred";
  reading: ParsedImportRow; // localTime still null

  timestamp: MeterTimestamp;
  timeText: string;
}

export type RowResult = RowOutcome | DeferredReading;

const reject = (row: number, message: string): RowOutcome => ({ kind: "rejected", row, reason: `Row ${row}: ${message}` });
const skip = (row: number, reason: string): RowOutcome => ({ kind: "skipped", row, reason });

const cell = (fields: string[], index: number | null): string => (index === null ? "" : (fields[index] ?? "").trim());

const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;

/**
 * A plain decimal as meters write it, with a decimal point or comma (no exponent, no thousands
 * separator); null otherwise. A decimal comma is read in every file: in a semicolon- or
 * tab-separated one as written, in a comma-separated one when quoted (`"5,4"`), the only way it
 * can reach a single field there.
 */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text.replace(",", "."));
  return Number.isFinite(value) ? value : null;
}

/**
 * In a comma-separated file an unquoted decimal comma (`5,4`) splits a value over two columns and
 * shifts the rest of the row, so the row would read as 5 with a stray 4. Returns the rejection
 * that says what to do when the row has a field too many and the value's column and the next hold
 * the two halves; null otherwise.
 */
function splitDecimalComma(fields: string[], row: number, valueIndex: number | null, columnCount: number, delimiter: Delimiter): RowOutcome | null {
  if (delimiter !== "," || valueIndex === null || fields.length <= columnCount) return null;
  const whole = cell(fields, valueIndex);
  const decimals = cell(fields, valueIndex + 1);
  if (!/^\d+$/.test(whole) || !/^\d+$/.test(decimals)) return null;
  return reject(
    row,
    `the value ${whole},${decimals} has a decimal comma, which splits it over two columns in a comma-separated file. Write ${whole}.${decimals}, or put the value in quotes ("${whole},${decimals}"), or separate the columns with semicolons.`,
  );
}

/** Meter range limits written in place of LO/HI values, per unit. */
export interface CensorLimits {
  below: Record<GlucoseUnit, number>;
  above: Record<GlucoseUnit, number>;
}

// LibreView: sensors read 40-500 mg/dL (2.2-27.8 mmol/L), the built-in strip meter 20-500 (1.1-27.8).
export const LIBRE_SENSOR_LIMITS: CensorLimits = { below: { "mg/dL": 40, "mmol/L": 2.2 }, above: { "mg/dL": 500, "mmol/L": 27.8 } };
export const LIBRE_STRIP_LIMITS: CensorLimits = { below: { "mg/dL": 20, "mmol/L": 1.1 }, above: { "mg/dL": 500, "mmol/L": 27.8 } };
// Dexcom: Low/High beyond 40/400 mg/dL (2.2/22.2 mmol/L).
export const DEXCOM_LIMITS: CensorLimits = { below: { "mg/dL": 40, "mmol/L": 2.2 }, above: { "mg/dL": 400, "mmol/L": 22.2 } };

type ValueResult = { value: number; censored: "below" | "above" | null } | { problem: string };

function glucoseValue(text: string, unit: GlucoseUnit, limits: CensorLimits | null, what: string): ValueResult {
  if (text === "") return { problem: `${what} is empty` };
  if (limits) {
    const word = text.toUpperCase();
    if (word === "LO" || word === "LOW") return { value: limits.below[unit], censored: "below" };
    if (word === "HI" || word === "HIGH") return { value: limits.above[unit], censored: "above" };
  }
  const value = parseDecimal(text);
  if (value === null) return { problem: `${what} ${quoteForMessage(text)} is not a number` };
  return { value, censored: null };
}

const ISO_FORM = "YYYY-MM-DDThh:mm[:ss] with an optional UTC offset such as +01:00";

/** Dexcom and generic rows: ISO 8601 times. */
function isoTime(row: number, text: string): Pick<ParsedImportRow, "localTime" | "instant" | "utcOffsetMinutes"> | RowOutcome {
  if (text === "") return reject(row, "time is empty");
  const parsed = parseIsoDateTime(text);
  switch (parsed) {
    case "format":
      return reject(row, `time ${quoteForMessage(text)} is not in the form ${ISO_FORM}`);
    case "date":
      return reject(row, `time ${quoteForMessage(text)} is not a valid date`);
    case "offset":
      return reject(row, `time ${quoteForMessage(text)} has an impossible UTC offset`);
  }
  return parsed.kind === "local"
    ? { localTime: parsed.localTime, instant: null, utcOffsetMinutes: null }
    : { localTime: null, instant: parsed.instant, utcOffsetMinutes: parsed.utcOffsetMinutes };
}

const isOutcome = (x: object): x is RowOutcome => "kind" in x;

const LIBRE_RECORD_KINDS: Record<string, { kind: string; column: "historic" | "scan" | "strip"; specimen: Specimen } | undefined> = {
  "0": { kind: "historic", column: "historic", specimen: "interstitial" },
  "1": { kind: "scan", column: "scan", specimen: "interstitial" },
  "2": { kind: "strip", column: "strip", specimen: "capillary" },
};
const LIBRE_OTHER_RECORDS: Record<string, string> = { "3": "ketone", "4": "insulin", "5": "food", "6": "note" };
const LIBRE_COLUMN_NAMES = { historic: "Historic Glucose", scan: "Scan Glucose", strip: "Strip Glucose" } as const;

export const LIBRE_TIME_FORM = "MM-DD-YYYY hh:mm AM/PM or DD-MM-YYYY HH:MM";

export function libreViewRow(fields: string[], row: number, columns: LibreViewColumns, delimiter: Delimiter): RowResult {
  const recordType = cell(fields, columns.recordType);
  const known = LIBRE_RECORD_KINDS[recordType];
  if (!known) {
    if (recordType === "") return reject(row, "record type is empty");
    if (!/^\d+$/.test(recordType)) return reject(row, `record type ${quoteForMessage(recordType)} is not a number`);
    const name = LIBRE_OTHER_RECORDS[recordType];
    return skip(row, `record type ${recordType}${name ? ` (${name})` : ""} is not a glucose reading`);
  }
  const column = columns[known.column];
  if (!column) return reject(row, `a ${known.kind} reading, but the file has no "${LIBRE_COLUMN_NAMES[known.column]}" column`);
  const split = splitDecimalComma(fields, row, column.index, columns.count, delimiter);
  if (split) return split;
  const timeText = cell(fields, columns.timestamp);
  if (timeText === "") return reject(row, "time is empty");
  const timestamp = parseMeterTimestamp(timeText);
  if (timestamp === "format") return reject(row, `time ${quoteForMessage(timeText)} is not in the form ${LIBRE_TIME_FORM}`);
  if (timestamp === "time") return reject(row, `time ${quoteForMessage(timeText)} is not a valid time of day`);
  const limits = known.column === "strip" ? LIBRE_STRIP_LIMITS : LIBRE_SENSOR_LIMITS;
  const value = glucoseValue(cell(fields, column.index), column.unit, limits, `${known.kind} glucose value`);
  if ("problem" in value) return reject(row, value.problem);
  const serial = cell(fields, columns.serial);
  return {
    kind: "deferred",
    timestamp,
    timeText,
    reading: {
      row,
      localTime: null,
      instant: null,
      utcOffsetMinutes: null,
      value: value.value,
      unit: column.unit,
      specimen: known.specimen,
      censored: value.censored,
      deviceSerial: serial === "" ? null : serial,
      recordKind: known.kind,
    },
  };
}

export function dexcomRow(fields: string[], row: number, columns: DexcomColumns, delimiter: Delimiter): RowResult {
  const eventType = cell(fields, columns.eventType);
  const lowered = eventType.toLowerCase();
  let specimen: Specimen;
  let recordKind: string;
  if (lowered === "egv") {
    specimen = "interstitial";
    recordKind = "egv";
  } else if (lowered === "calibration") {
    specimen = "capillary";
    recordKind = "calibration";
  } else {
    const timeText = cell(fields, columns.timestamp);
    return skip(row, timeText === "" ? "patient or device information" : `event type ${quoteForMessage(eventType)} is not a glucose reading`);
  }
  const split = splitDecimalComma(fields, row, columns.glucose, columns.count, delimiter);
  if (split) return split;
  const time = isoTime(row, cell(fields, columns.timestamp));
  if (isOutcome(time)) return time;
  const value = glucoseValue(cell(fields, columns.glucose), columns.unit, DEXCOM_LIMITS, "glucose value");
  if ("problem" in value) return reject(row, value.problem);
  const transmitter = cell(fields, columns.transmitterId);
  return {
    kind: "reading",
    reading: {
      row,
      ...time,
      value: value.value,
      unit: columns.unit,
      specimen,
      censored: value.censored,
      deviceSerial: transmitter === "" ? null : transmitter,
      recordKind,
    },
  };
}

export function genericRow(fields: string[], row: number, columns: GenericColumns, delimiter: Delimiter): RowResult {
  if (fields.length > columns.count) {
    const quoteHint = delimiter === "," ? "; put a value that contains a comma in quotes" : "";
    return splitDecimalComma(fields, row, 1, columns.count, delimiter) ?? reject(row, `has ${fields.length} fields but the header has ${columns.count}${quoteHint}`);
  }
  const time = isoTime(row, cell(fields, 0));
  if (isOutcome(time)) return time;
  const unitText = cell(fields, 2);
  const unit = parseGlucoseUnit(unitText);
  if (unit === null) {
    return reject(row, unitText === "" ? "unit is empty (write mg/dL or mmol/L)" : `unit ${quoteForMessage(unitText)} is not mg/dL or mmol/L`);
  }
  const value = glucoseValue(cell(fields, 1), unit, null, "glucose value");
  if ("problem" in value) return reject(row, value.problem);
  let specimen: Specimen = "capillary";
  const specimenText = cell(fields, 3);
  if (specimenText !== "") {
    const lowered = specimenText.toLowerCase();
    if (lowered !== "capillary" && lowered !== "interstitial") {
      return reject(row, `specimen ${quoteForMessage(specimenText)} is not capillary or interstitial`);
    }
    specimen = lowered;
  }
  return {
    kind: "reading",
    reading: { row, ...time, value: value.value, unit, specimen, censored: null, deviceSerial: null, recordKind: "generic" },
  };
}
