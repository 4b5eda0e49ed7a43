/**
 * Which export a file is, read from its header row (found among the first lines). Columns are
 * found by name, not position, and the delimiter (`,` `;` or tab) is whichever makes the header
 * row one we know.
 */
import type { GlucoseUnit } from "@/db/schema/readings-enums";
import { CsvReader } from "./csv-reader";

export type ImportFormat = "libreview" | "dexcom-clarity" | "generic";
export type Delimiter = "," | ";" | "\t";

export interface LibreViewColumns {
  /** Columns in the header; a row with more had a value split in two (an unquoted decimal comma). */
  count: number;
  serial: number | null;
  timestamp: number;
  recordType: number;
  historic: { index: number; unit: GlucoseUnit } | null;
  scan: { index: number; unit: GlucoseUnit } | null;
  strip: { index: number; unit: GlucoseUnit } | null;
}

export interface DexcomColumns {
  count: number;
  timestamp: number;
  eventType: number;
  glucose: number;
  unit: GlucoseUnit;
  transmitterId: number | null;
}

export interface GenericColumns {
  count: 3 | 4;
}

export type HeaderLayout =
  | { format: "libreview"; columns: LibreViewColumns }
  | { format: "dexcom-clarity"; columns: DexcomColumns }
  | { format: "generic"; columns: GenericColumns };

export type DetectedHeader = HeaderLayout & { headerLine: number; delimiter: Delimiter };

/** How far into a file the header row may be (in non-blank lines). */
export const MAX_HEADER_LINE = 10;

/** A line before the header longer than this cannot be a header (or a title): the file is unknown. */
export const MAX_PRELUDE_LINE_CHARS = 16_384;

export const SUPPORTED_FORMATS_TEXT =
  'LibreView CSV export (FreeStyle Libre), Dexcom Clarity CSV export, or a CSV whose first line is "time,value,unit" (optionally ",specimen")';

const normalize = (cell: string) => cell.replace(/^\uFEFF/, "").trim().replace(/\s+/g, " ").toLowerCase();

function unitIn(cell: string): GlucoseUnit | null {
  if (/mg\/dl/.test(cell)) return "mg/dL";
  if (/mmol\/l/.test(cell)) return "mmol/L";
  return null;
}

/** One line split as CSV (quotes honoured); a header never spans lines. */
export function splitCsvLine(line: string, delimiter: Delimiter): string[] {
  let fields: string[] = [];
  const reader = new CsvReader(delimiter, (event) => {
    if (event.kind === "record" && fields.length === 0) fields = event.fields;
  });
  reader.push(line);
  reader.end();
  return fields;
}

function glucoseColumn(cells: string[], prefix: string): { index: number; unit: GlucoseUnit } | null {
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index]!;
    if (!cell.startsWith(prefix)) continue;
    const unit = unitIn(cell);
    if (unit) return { index, unit };
  }
  return null;
}

function indexOf(cells: string[], test: (cell: string) => boolean): number | null {
  const index = cells.findIndex(test);
  return index === -1 ? null : index;
}

function libreViewLayout(cells: string[]): LibreViewColumns | null {
  const timestamp = indexOf(cells, (c) => c === "device timestamp");
  const recordType = indexOf(cells, (c) => c === "record type");
  if (timestamp === null || recordType === null) return null;
  const historic = glucoseColumn(cells, "historic glucose");
  const scan = glucoseColumn(cells, "scan glucose");
  const strip = glucoseColumn(cells, "strip glucose");
  if (!historic && !scan && !strip) return null;
  return { count: cells.length, serial: indexOf(cells, (c) => c === "serial number"), timestamp, recordType, historic, scan, strip };
}

function dexcomLayout(cells: string[]): DexcomColumns | null {
  const timestamp = indexOf(cells, (c) => c === "timestamp" || c.startsWith("timestamp ("));
  const eventType = indexOf(cells, (c) => c === "event type");
  const glucose = glucoseColumn(cells, "glucose value");
  if (timestamp === null || eventType === null || !glucose) return null;
  return {
    count: cells.length,
    timestamp,
    eventType,
    glucose: glucose.index,
    unit: glucose.unit,
    transmitterId: indexOf(cells, (c) => c === "transmitter id"),
  };
}

function genericLayout(cells: string[]): GenericColumns | null {
  if (cells.length !== 3 && cells.length !== 4) return null;
  if (cells[0] !== "time" || cells[1] !== "value" || cells[2] !== "unit") return null;
  if (cells.length === 4 && cells[3] !== "specimen") return null;
  return { count: cells.length };
}

/** The header layout of one line, trying each delimiter; null when the line is no header we know. */
export function detectHeaderLine(line: string): (HeaderLayout & { delimiter: Delimiter }) | null {
  for (const delimiter of [",", ";", "\t"] as const) {
    if (!line.includes(delimiter)) continue;
    const cells = splitCsvLine(line, delimiter).map(normalize);
    const libreView = libreViewLayout(cells);
    if (libreView) return { format: "libreview", columns: libreView, delimiter };
    const dexcom = dexcomLayout(cells);
    if (dexcom) return { format: "dexcom-clarity", columns: dexcom, delimiter };
    const generic = genericLayout(cells);
    if (generic) return { format: "generic", columns: generic, delimiter };
  }
  return null;
}

/** A line as it may be quoted back to a person: control characters shown as `?`, truncated. */
export function quoteForMessage(text: string, max = 60): string {
  const visible = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, "?");
  const chars = Array.from(visible);
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max).join("")}…` : visible);
}

/** What a file that is not text at all is, from its first line ("" when it is none we know). */
export function binaryFileHint(firstLine: string): string {
  if (firstLine.startsWith("PK\u0003\u0004")) return " It looks like an Excel or zip file: export or save it as CSV first.";
  if (firstLine.startsWith("%PDF")) return " It looks like a PDF report: export the data as CSV instead.";
  return "";
}

/** The error for a file whose first lines hold no known header. */
export function unknownFormatError(firstLines: string[]): string {
  const first = firstLines.map((line, i) => (i === 0 ? line.replace(/^\uFEFF/, "") : line)).find((line) => line.trim() !== "");
  if (first === undefined) return "The file is empty.";
  let hint = binaryFileHint(first);
  if (hint === "" && /^glucose data\b/i.test(first.trim())) hint = " It looks like a LibreView export, but its column header row is missing.";
  return `This file is not in a format Lantern can import. Supported: ${SUPPORTED_FORMATS_TEXT}. Its first line is ${quoteForMessage(first)}.${hint}`;
}

/**
 * Finds the header among the first lines (1-based `headerLine`), or says why none was found.
 * Blank lines do not count towards the MAX_HEADER_LINE lines searched.
 */
export function detectHeader(firstLines: string[]): DetectedHeader | { error: string } {
  let nonBlank = 0;
  for (let i = 0; i < firstLines.length && nonBlank < MAX_HEADER_LINE; i++) {
    const line = i === 0 ? firstLines[i]!.replace(/^\uFEFF/, "") : firstLines[i]!;
    if (line.trim() === "") continue;
    nonBlank++;
    if (line.length > MAX_PRELUDE_LINE_CHARS) break;
    const layout = detectHeaderLine(line);
    if (layout) return { ...layout, headerLine: i + 1 };
  }
  return { error: unknownFormatError(firstLines) };
}
