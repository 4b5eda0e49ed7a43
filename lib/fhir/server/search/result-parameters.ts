import { decodeCursor, isSearchError, parseCount } from "../paging";
import { isDeclaredElement } from "./elements";
import type { ParsedSearch, SearchDefinition, SearchRefusal } from "./types";
import { splitValues, unescapeValue } from "./values";

/**
 * The result parameters every type takes (FHIR R4 §3.1.1.5): `_count`, `_cursor` (Lantern's keyset
 * paging), `_sort`, `_include`, `_summary`, `_total`, `_elements`, `_format`. A value a type does
 * not implement goes to `unsupported` (a 400 under strict handling, dropped under lenient); a
 * malformed one to `malformed`. Pure.
 */
export const RESULT_PARAMETERS = ["_count", "_cursor", "_sort", "_include", "_summary", "_total", "_elements", "_format"] as const;
export type ResultParameter = (typeof RESULT_PARAMETERS)[number];
const JSON_FORMATS = ["json", "application/json", "application/fhir+json"];

export function isResultParameter(name: string): name is ResultParameter {
  return (RESULT_PARAMETERS as readonly string[]).includes(name);
}

export type Refusal = (parameter: string, message: string) => SearchRefusal | null;
export type Malformed = (parameter: string, error: string) => SearchRefusal;

/** Applies one result parameter to `search`; a refusal when the search must stop there. */
export function applyResultParameter<C, Key>(
  definition: SearchDefinition<C, Key>,
  search: ParsedSearch<C, Key>,
  name: ResultParameter,
  raw: string,
  unsupported: Refusal,
  malformed: Malformed,
): SearchRefusal | null {
  switch (name) {
    case "_count": {
      const count = parseCount(raw);
      if (isSearchError(count)) return { ...count, code: "invalid" };
      search.count = count;
      search.applied.push(["_count", String(count)]);
      return null;
    }
    case "_cursor": {
      const cursor = decodeCursor(raw, definition.cursorKey);
      if (isSearchError(cursor)) return { ...cursor, code: "invalid" };
      search.cursor = cursor;
      search.cursorToken = raw;
      return null;
    }
    case "_sort": {
      if (!definition.sorts.includes(raw)) {
        const supported = definition.sorts.length ? `supports ${definition.sorts.join(", ")}` : "is not supported (results come in id order)";
        return unsupported("_sort", `${definition.resourceType} _sort ${supported}, not ${raw}`);
      }
      search.sort = raw;
      search.applied.push(["_sort", raw]);
      return null;
    }
    case "_include": {
      const applied: string[] = [];
      for (const value of splitValues(raw).map(unescapeValue)) {
        if (definition.includes.includes(value)) applied.push(value);
        else {
          const refused = unsupported("_include", `${definition.resourceType} _include ${definition.includes.length ? `supports ${definition.includes.join(", ")}` : "is not supported"}, not ${value}`);
          if (refused) return refused;
        }
      }
      search.include.push(...applied);
      if (applied.length) search.applied.push(["_include", applied.join(",")]);
      return null;
    }
    case "_summary": {
      if (raw !== "count" && raw !== "false" && raw !== "data") return unsupported("_summary", `_summary supports count, data and false, not ${raw}`);
      search.summaryCount = raw === "count";
      search.applied.push(["_summary", raw]);
      return null;
    }
    case "_total": {
      if (raw !== "none" && raw !== "estimate" && raw !== "accurate") return malformed("_total", `_total is none, estimate or accurate, not ${raw}.`);
      search.total = raw !== "none";
      search.applied.push(["_total", raw]);
      return null;
    }
    case "_elements": {
      const applied: string[] = [];
      for (const value of splitValues(raw).map((v) => unescapeValue(v).trim())) {
        if (isDeclaredElement(definition.elements, value)) applied.push(value);
        else {
          const refused = unsupported("_elements", `${definition.resourceType} resources here carry no element ${value}; they carry ${definition.elements.elements.join(", ")}`);
          if (refused) return refused;
        }
      }
      if (applied.length) {
        search.elements = [...(search.elements ?? []), ...applied];
        search.applied.push(["_elements", applied.join(",")]);
      }
      return null;
    }
    case "_format": {
      if (!JSON_FORMATS.includes(raw)) return unsupported("_format", `Lantern answers FHIR JSON only, not ${raw}`);
      search.applied.push(["_format", raw]);
      return null;
    }
  }
}
