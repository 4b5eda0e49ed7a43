/**
 * Meter export files: the pure parsing core (no database, no I/O, no time zones).
 *
 * Formats, recognised from the header row among the first lines of the file (columns are found by
 * name; the delimiter is `,`, `;` or tab). Values may have a decimal comma (`5,4`): as written in a
 * `;` or tab file, in quotes (`"5,4"`) in a `,` file; unquoted in a `,` file it splits the value over
 * two columns, and the row is rejected with what to do:
 * - "libreview": Abbott LibreView CSV (optional title line `Glucose Data,Generated on,...`, then
 *   `Device,Serial Number,Device Timestamp,Record Type,Historic Glucose mg/dL,...`). Record types
 *   0 historic and 1 scan (interstitial), 2 strip (capillary); other types are skipped. `LO`/`HI`
 *   are censored at the meter range (sensor 40/500 mg/dL = 2.2/27.8 mmol/L, strip 20/500 = 1.1/27.8).
 *   `Device Timestamp` is local time; its day/month order is decided once per file: a date that
 *   reads only one way (a number above 12) settles it, else a 12-hour clock (AM/PM) means month
 *   first and a 24-hour clock day first. Ambiguous rows wait (at most MAX_PENDING_ROWS) for that.
 * - "dexcom-clarity": Dexcom Clarity CSV. `EGV` rows are sensor readings (interstitial),
 *   `Calibration` rows fingersticks (capillary), other rows (patient and device information, alerts,
 *   insulin...) skipped. `Low`/`High` are censored at 40/400 mg/dL (2.2/22.2 mmol/L). Local time.
 * - "generic": header `time,value,unit` with an optional 4th column `specimen`
 *   (capillary | interstitial, default capillary). `time` is ISO 8601: with a UTC offset it is
 *   absolute (`instant`), without one it is local (`localTime`). `unit` is mg/dL or mmol/L.
 *
 * API:
 * - `createTextFileDecoder()` → `{ push(bytes), end(), encoding, error }`: the file's bytes as text
 *   (UTF-8, or UTF-16 with a byte order mark); anything else sets `error` (see encoding.ts).
 * - `detectImportFormat(firstLines)` → `{ format, headerLine (1-based), delimiter }` or `{ error }`.
 * - `createImportParser(options?)` → `{ push(chunk), end(), format, error, dateOrder }`: a streaming
 *   parser. Feed text chunks of any size, split anywhere (a UTF-8 BOM is dropped; LF, CRLF and CR
 *   line ends; quoted fields with delimiters, quotes and line breaks); each call returns the
 *   outcomes completed so far, in file order. Memory stays bounded: rows are not kept, a single
 *   row is capped at `maxRecordChars` (longer ones, e.g. a runaway unclosed quote, are rejected and
 *   reading resumes at the next line) and at most `maxPendingRows` LibreView rows wait for the
 *   date order. File-level problems (empty file, unknown format) set `error` and yield nothing.
 * - Each `RowOutcome` is `{ kind: "reading", reading: ParsedImportRow }`, `{ kind: "skipped", row,
 *   reason }` (not a glucose reading) or `{ kind: "rejected", row, reason }` where `reason` starts
 *   with `Row N:` and says what to fix. Blank lines yield nothing.
 *
 * Not done here, on purpose: plausible range (10-1000 mg/dL), times in the future, placing local
 * times in the patient's zone (resolveLocalTime) and duplicates belong to the shared write path.
 */
import { detectHeader, type Delimiter, type ImportFormat } from "./detect";

export type { ImportFormat, Delimiter } from "./detect";
export type { ParsedImportRow, RowOutcome } from "./types";
export type { DayMonthOrder } from "./time";
export { createImportParser, MAX_PENDING_ROWS, type ImportParser, type ImportParserOptions } from "./parser";
export { createTextFileDecoder, type TextFileDecoder } from "./encoding";
export { DEFAULT_MAX_RECORD_CHARS } from "./csv-reader";
export { MAX_HEADER_LINE, SUPPORTED_FORMATS_TEXT } from "./detect";

/** Recognises a file from its first lines (split on line breaks; the first may carry a BOM). */
export function detectImportFormat(
  firstLines: string[],
): { format: ImportFormat; headerLine: number; delimiter: Delimiter } | { error: string } {
  const detected = detectHeader(firstLines);
  if ("error" in detected) return detected;
  return { format: detected.format, headerLine: detected.headerLine, delimiter: detected.delimiter };
}
