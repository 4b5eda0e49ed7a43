import { z } from "zod";
import type { GlucoseUnit, Specimen } from "@/db/schema/readings-enums";
import { LOINC, MDC, SYSTEM } from "@/lib/fhir/codes";
import { isUuid } from "@/lib/ids";
import { parseDateCondition, type DateCondition } from "./date-search";
import { decodeCursor, encodeCursor, isSearchError, parseCount, type Cursor, type SearchError } from "./paging";

/**
 * Observation search parameters (FHIR R4 search, FHIR.md) parsed into a query the data layer can
 * run. Pure. Unknown parameters are ignored, as FHIR servers do without `Prefer: handling=strict`.
 */
const CATEGORY_SYSTEM = SYSTEM.observationCategory;

/** What each searchable code (from the one code table, lib/fhir/codes.ts) selects among stored readings. */
const codeSelections: Record<string, { specimen: Specimen; unit?: GlucoseUnit }> = {
  [`${SYSTEM.loinc}|${LOINC.bgmMass}`]: { specimen: "capillary", unit: "mg/dL" },
  [`${SYSTEM.loinc}|${LOINC.bgmMolar}`]: { specimen: "capillary", unit: "mmol/L" },
  [`${SYSTEM.loinc}|${LOINC.cgmMass}`]: { specimen: "interstitial", unit: "mg/dL" },
  [`${SYSTEM.loinc}|${LOINC.cgmMolar}`]: { specimen: "interstitial", unit: "mmol/L" },
  [`${SYSTEM.mdc}|${MDC.capillaryWholeBlood}`]: { specimen: "capillary" },
  [`${SYSTEM.mdc}|${MDC.interstitialFluid}`]: { specimen: "interstitial" },
};

export interface CodeSelection {
  specimen: Specimen;
  unit?: GlucoseUnit;
}

/** The sort key of an Observation page boundary: effective time (ISO) and reading id. */
const observationKey = z.tuple([z.iso.datetime(), z.number().int().positive().max(Number.MAX_SAFE_INTEGER)]);
export type ObservationCursor = Cursor<z.infer<typeof observationKey>>;

export function observationCursor(direction: ObservationCursor["direction"], row: { effectiveAt: Date; id: number }): string {
  return encodeCursor(direction, [row.effectiveAt.toISOString(), row.id]);
}

export interface ObservationQuery {
  patientIds: string[] | null;
  ids: number[] | null;
  deviceIds: string[] | null;
  /** null: any code; an empty list: a code Lantern never emits (the result is empty). */
  codes: CodeSelection[] | null;
  /** false when the category asked for is not one Lantern's glucose Observations carry. */
  categoryMatches: boolean;
  dates: DateCondition[];
  lastUpdated: DateCondition[];
  count: number;
  sort: "date" | "-date";
  include: { subject: boolean; device: boolean };
  summaryCount: boolean;
  cursor: ObservationCursor | null;
}

export type { SearchError } from "./paging";

function references(values: string[], type: string): string[] {
  return values.flatMap((value) => value.split(",")).map((value) => value.trim().replace(new RegExp(`^(.*/)?${type}/`), ""));
}

/** What a glucose code means for a stored reading; null for codes Lantern does not store. */
export function glucoseCodeSelection(system: string | undefined, code: string | undefined): CodeSelection | null {
  return system && code ? (codeSelections[`${system}|${code}`] ?? null) : null;
}

function selectCode(token: string): CodeSelection | null {
  if (token.includes("|")) return codeSelections[token] ?? null;
  const matches = Object.entries(codeSelections).filter(([key]) => key.endsWith(`|${token}`));
  return matches[0]?.[1] ?? null;
}

export function parseObservationSearch(params: URLSearchParams): ObservationQuery | SearchError {
  const all = (name: string) => params.getAll(name);

  const patientRefs = [...references(all("patient"), "Patient"), ...references(all("subject"), "Patient")];

  const ids = all("_id").flatMap((v) => v.split(","));
  const deviceRefs = references(all("device"), "Device");

  const codeTokens = all("code").flatMap((v) => v.split(","));
  const codes = codeTokens.length ? codeTokens.map(selectCode).filter((c): c is CodeSelection => c !== null) : null;

  const categoryTokens = all("category").flatMap((v) => v.split(","));
  const categoryMatches = categoryTokens.length === 0 || categoryTokens.some((t) => t === "laboratory" || t === `${CATEGORY_SYSTEM}|laboratory`);

  const dates: DateCondition[] = [];
  for (const raw of all("date")) {
    const parsed = parseDateCondition(raw);
    if ("error" in parsed) return { error: parsed.error, parameter: "date" };
    dates.push(parsed);
  }
  const lastUpdated: DateCondition[] = [];
  for (const raw of all("_lastUpdated")) {
    const parsed = parseDateCondition(raw);
    if ("error" in parsed) return { error: parsed.error, parameter: "_lastUpdated" };
    lastUpdated.push(parsed);
  }

  const count = parseCount(params.get("_count"));
  if (isSearchError(count)) return count;

  const sortRaw = params.get("_sort");
  if (sortRaw !== null && sortRaw !== "date" && sortRaw !== "-date") {
    return { error: "_sort supports date and -date", parameter: "_sort" };
  }

  const includes = all("_include");
  for (const include of includes) {
    if (include !== "Observation:subject" && include !== "Observation:device" && include !== "Observation:patient") {
      return { error: `_include supports Observation:subject and Observation:device, not ${include}`, parameter: "_include" };
    }
  }

  const summary = params.get("_summary");
  if (summary !== null && summary !== "count" && summary !== "false") {
    return { error: "_summary supports count", parameter: "_summary" };
  }

  const cursor = decodeCursor(params.get("_cursor"), observationKey);
  if (isSearchError(cursor)) return cursor;

  return {
    // An id that cannot exist matches nothing, exactly like one the actor may not see.
    patientIds: patientRefs.length ? patientRefs.filter(isUuid) : null,
    ids: ids.length ? ids.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0) : null,
    deviceIds: deviceRefs.length ? deviceRefs.filter(isUuid) : null,
    codes,
    categoryMatches,
    dates,
    lastUpdated,
    count,
    sort: sortRaw === "-date" ? "-date" : "date",
    include: { subject: includes.includes("Observation:subject") || includes.includes("Observation:patient"), device: includes.includes("Observation:device") },
    summaryCount: summary === "count",
    cursor,
  };
}
