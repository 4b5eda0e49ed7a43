import { parseDateCondition } from "../date-search";
import { DEFAULT_PAGE_SIZE } from "../paging";
import type { Handling } from "../prefer";
import { applyResultParameter, isResultParameter, type Malformed, type Refusal } from "./result-parameters";
import type { ParsedSearch, SearchDefinition, SearchParameter, SearchParameterType, SearchRefusal, Values } from "./types";
import { parseQuantity, parseReference, parseToken, splitValues, unescapeValue, type ValueError } from "./values";

/**
 * The search framework every FHIR type goes through (FHIR R4 §3.1.1). A type declares once what it
 * supports: each parameter with its FHIR type, the modifiers it takes and how its values become a
 * condition `C` (a drizzle `SQL` in the data layer); its `_sort`, `_include` and `_elements`
 * values. From that one declaration come the parsing of a request, the self link (only what was
 * applied), the CapabilityStatement and the table in docs/fhir.md, so they cannot drift.
 *
 * A parameter or modifier a type does not support, or a value of a result parameter it does not
 * implement (`_sort=name`), is a 400 OperationOutcome under `Prefer: handling=strict`, and under
 * lenient handling (the default) is dropped: absent from the self link, so the client sees what
 * was applied. A value that is malformed (`date=yesterday`) is a 400 either way. Parameters with
 * an empty value are ignored, as FHIR asks. Pure.
 */

const parsers: { [T in SearchParameterType]: (raw: string) => Values[T] | ValueError } = {
  token: parseToken,
  reference: parseReference,
  date: parseDateCondition,
  string: (raw) => unescapeValue(raw).trim(),
  quantity: parseQuantity,
};

export function parseSearch<C, Key>(definition: SearchDefinition<C, Key>, params: URLSearchParams, handling: Handling): ParsedSearch<C, Key> | SearchRefusal {
  const search: ParsedSearch<C, Key> = {
    resourceType: definition.resourceType,
    conditions: [],
    count: DEFAULT_PAGE_SIZE,
    cursor: null,
    cursorToken: null,
    sort: definition.sorts[0] ?? null,
    include: [],
    summaryCount: false,
    total: definition.totalByDefault,
    elements: null,
    applied: [],
  };
  const seen = new Set<string>();
  /** Under strict handling the whole search is refused; under lenient, this part is dropped. */
  const unsupported = (parameter: string, message: string): SearchRefusal | null =>
    handling === "strict" ? { error: `${message} (Prefer: handling=strict; leave it out, or search with lenient handling to have it ignored).`, parameter, code: "not-supported" } : null;
  const malformed = (parameter: string, error: string): SearchRefusal => ({ error, parameter, code: "invalid" });

  for (const [key, raw] of params) {
    if (raw.trim() === "") continue;
    const [name, modifier = null] = key.split(/:(.*)/s) as [string, string?];
    if (!isResultParameter(name)) {
      const problem = applyParameter(definition, search, key, name, modifier, raw, unsupported, malformed);
      if (problem) return problem;
      continue;
    }
    if (modifier !== null) {
      const refused = unsupported(key, `${name} takes no modifier`);
      if (refused) return refused;
      continue;
    }
    // _include and _elements may repeat (their values add up); the others say one thing.
    if (name !== "_include" && name !== "_elements") {
      if (seen.has(name)) return malformed(name, `Give ${name} once.`);
      seen.add(name);
    }
    const problem = applyResultParameter(definition, search, name, raw, unsupported, malformed);
    if (problem) return problem;
  }
  if (search.summaryCount) search.total = true;
  return search;
}

function applyParameter<C, Key>(
  definition: SearchDefinition<C, Key>,
  search: ParsedSearch<C, Key>,
  key: string,
  name: string,
  modifier: string | null,
  raw: string,
  unsupported: Refusal,
  malformed: Malformed,
): SearchRefusal | null {
  if (!Object.hasOwn(definition.parameters, name)) {
    return unsupported(key, `${definition.resourceType} search does not support ${name}; it supports ${Object.keys(definition.parameters).join(", ")}`);
  }
  const parameter = definition.parameters[name]!;
  if (modifier === "missing" && parameter.missing) {
    if (raw !== "true" && raw !== "false") return malformed(key, `${key} is true or false, not ${raw}.`);
    search.conditions.push(parameter.missing(raw === "true"));
    search.applied.push([key, raw]);
    return null;
  }
  if (modifier !== null && !parameter.modifiers?.includes(modifier)) {
    return unsupported(key, `${name} does not support the modifier :${modifier}`);
  }
  const condition = conditionOf(parameter, splitValues(raw), modifier);
  if ("error" in condition) return malformed(key, condition.error);
  search.conditions.push(condition.value);
  search.applied.push([key, raw]);
  return null;
}

/** Parses every value by the parameter's type, then asks the parameter for its condition. */
function conditionOf<C>(parameter: SearchParameter<C>, raws: string[], modifier: string | null): { value: C } | ValueError {
  const parse = parsers[parameter.type] as (raw: string) => unknown;
  const values: unknown[] = [];
  for (const raw of raws) {
    const value = parse(raw);
    if (typeof value === "object" && value !== null && "error" in value) return value as ValueError;
    values.push(value);
  }
  // The parser was chosen by the same `type` that types `where`.
  return { value: (parameter.where as (values: unknown[], modifier: string | null) => C)(values, modifier) };
}

/** The URL of a page of this search: the base, the type, what was applied, and the page's cursor. */
export function searchPageUrl(baseUrl: string, search: ParsedSearch<unknown, unknown>, cursor: string | null): string {
  const pairs = [...search.applied, ...(cursor === null ? [] : [["_cursor", cursor] as const])];
  const query = pairs.map(([name, value]) => `${queryText(name)}=${queryText(value)}`).join("&");
  return `${baseUrl}/${search.resourceType}${query ? `?${query}` : ""}`;
}

/** Percent-encoded, except the characters FHIR queries are written with (`|` `,` `:` `/` `$`), so links read as sent. */
function queryText(text: string): string {
  return encodeURIComponent(text).replace(/%(7C|2C|3A|2F|24)/g, (escape) => decodeURIComponent(escape));
}
