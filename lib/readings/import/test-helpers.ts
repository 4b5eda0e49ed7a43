// Shared by the tests of this folder only.
import { createImportParser, type ImportParserOptions, type RowOutcome } from "./index";

export interface ParseResult {
  outcomes: RowOutcome[];
  format: string | null;
  error: string | null;
  dateOrder: string | null;
}

/** Parses a whole text fed in chunks of `chunkSize` characters (or at the given cut points). */
export function parseText(text: string, chunkSize: number | number[] = Infinity, options?: ImportParserOptions): ParseResult {
  const parser = createImportParser(options);
  const outcomes: RowOutcome[] = [];
  const cuts = Array.isArray(chunkSize) ? [...new Set(chunkSize)].filter((c) => c > 0 && c < text.length).sort((a, b) => a - b) : null;
  if (cuts) {
    let from = 0;
    for (const cut of [...cuts, text.length]) {
      outcomes.push(...parser.push(text.slice(from, cut)));
      from = cut;
    }
  } else if (typeof chunkSize === "number" && chunkSize !== Infinity) {
    for (let i = 0; i < text.length; i += chunkSize) outcomes.push(...parser.push(text.slice(i, i + chunkSize)));
  } else {
    outcomes.push(...parser.push(text));
  }
  outcomes.push(...parser.end());
  return { outcomes, format: parser.format, error: parser.error, dateOrder: parser.dateOrder };
}

export const readings = (outcomes: RowOutcome[]) => outcomes.flatMap((o) => (o.kind === "reading" ? [o.reading] : []));
export const rejections = (outcomes: RowOutcome[]) => outcomes.flatMap((o) => (o.kind === "rejected" ? [o.reason] : []));
export const skips = (outcomes: RowOutcome[]) => outcomes.flatMap((o) => (o.kind === "skipped" ? [o.row] : []));

export const LIBRE_HEADER_COLUMNS = [
  "Device",
  "Serial Number",
  "Device Timestamp",
  "Record Type",
  "Historic Glucose {unit}",
  "Scan Glucose {unit}",
  "Non-numeric Rapid-Acting Insulin",
  "Rapid-Acting Insulin (units)",
  "Non-numeric Food",
  "Carbohydrates (grams)",
  "Carbohydrates (servings)",
  "Non-numeric Long-Acting Insulin",
  "Long-Acting Insulin (units)",
  "Notes",
  "Strip Glucose {unit}",
  "Ketone mmol/L",
  "Meal Insulin (units)",
  "Correction Insulin (units)",
  "User Change Insulin (units)",
];

export function libreHeader(unit: "mg/dL" | "mmol/L" = "mg/dL", delimiter = ","): string {
  return LIBRE_HEADER_COLUMNS.map((c) => c.replace("{unit}", unit)).join(delimiter);
}

/** A LibreView data row with the 19 columns of the header above. */
export function libreRow(
  parts: { ts: string; type: number | string; historic?: string; scan?: string; strip?: string; notes?: string; rapid?: string; carbs?: string },
  delimiter = ",",
  serial = "3C1B4D2E-8F7A-4B6C",
): string {
  const cells = new Array<string>(19).fill("");
  cells[0] = "FreeStyle LibreLink";
  cells[1] = serial;
  cells[2] = parts.ts;
  cells[3] = String(parts.type);
  cells[4] = parts.historic ?? "";
  cells[5] = parts.scan ?? "";
  cells[7] = parts.rapid ?? "";
  cells[9] = parts.carbs ?? "";
  cells[13] = parts.notes ?? "";
  cells[14] = parts.strip ?? "";
  return cells.join(delimiter);
}
