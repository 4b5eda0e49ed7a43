import type { z } from "zod";
import { parseDateCondition, type DateCondition } from "../date-search";
import { decodeCursor, DEFAULT_PAGE_SIZE, isSearchError, parseCount, type Cursor, type SearchError } from "../paging";
import type { Handling } from "../prefer";
import { parseQuantity, parseReference, parseToken, splitValues, unescapeValue, type QuantityValue, type ReferenceValue, type TokenValue, type ValueError } from "./values";

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

export type SearchParameterType = "token" | "reference" | "date" | "string" | "quantity";

interface Values {
  token: TokenValue;
  reference: ReferenceValue;
  date: DateCondition;
  string: string;
  quantity: QuantityValue;
}

const parsers: { [T in SearchParameterType]: (raw: string) => Values[T] | ValueError } = {
  token: parseToken,
  reference: parseReference,
  date: parseDateCondition,
  string: (raw) => unescapeValue(raw).trim(),
  quantity: parseQuantity,
};

interface ParameterOf<T extends SearchParameterType, C> {
  type: T;
  /** What the parameter searches and how: the CapabilityStatement and docs/fhir.md show it. */
  documentation: string;
  /** Modifiers accepted besides `:missing` (string: exact, contains; reference: the target type). */
  modifiers?: readonly string[];
  /** The condition for one occurrence: any of its comma-separated `values` matches. */
  where(values: Values[T][], modifier: string | null): C;
  /** `:missing=true|false`, for elements a resource may lack. */
  missing?(missing: boolean): C;
}

export type SearchParameter<C> = { [T in SearchParameterType]: ParameterOf<T, C> }[SearchParameterType];

/** The elements `_elements` may name: FHIR element names, a choice as `effective[x]`. */
export interface ElementDeclaration {
  elements: readonly string[];
  /** Returned whatever `_elements` says (min cardinality 1, as R4 §3.1.1.5.9 asks). */
  mandatory: readonly string[];
}

export interface SearchDefinition<C, Key> {
  resourceType: string;
  parameters: Readonly<Record<string, SearchParameter<C>>>;
  /** `_sort` values, the default first; empty when results come in id order only. */
  sorts: readonly string[];
  includes: readonly string[];
  elements: ElementDeclaration;
  /** Whether a page carries `total` unless `_total=none` (small sets), or only when asked. */
  totalByDefault: boolean;
  /** The shape of this type's paging cursor (lib/fhir/server/paging). */
  cursorKey: z.ZodType<Key>;
}

/** Why a search was refused: a malformed value (`invalid`), or something unsupported under strict handling. */
export type SearchRefusal = SearchError & { code: "invalid" | "not-supported" };

export interface ParsedSearch<C, Key> {
  resourceType: string;
  /** One condition per parameter occurrence: all must hold. */
  conditions: C[];
  count: number;
  cursor: Cursor<Key> | null;
  /** The `_cursor` of this page as sent, for the self link. */
  cursorToken: string | null;
  /** One of the definition's sorts; null when the type has none. */
  sort: string | null;
  include: string[];
  /** `_summary=count`: only the total. */
  summaryCount: boolean;
  /** Whether to count the matches for `total`. */
  total: boolean;
  /** Top-level elements to return (`_elements`), or null for whole resources. */
  elements: string[] | null;
  /** What was applied, as [name with modifier, value] in request order: the self link's query. */
  applied: [string, string][];
}

const CONTROL = ["_count", "_cursor", "_sort", "_include", "_summary", "_total", "_elements", "_format"] as const;
const JSON_FORMATS = ["json", "application/json", "application/fhir+json"];

/** Whether an `_elements` name (`effective`, `effectiveDateTime`, `status`) is one the type declares. */
function declaredElement(declaration: ElementDeclaration, name: string): string | undefined {
  return declaration.elements.find((element) =>
    element.endsWith("[x]") ? name === element.slice(0, -3) || new RegExp(`^${element.slice(0, -3)}[A-Z][A-Za-z]*$`).test(name) : name === element,
  );
}

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
    const isControl = (CONTROL as readonly string[]).includes(name);
    if (isControl && modifier !== null) {
      const refused = unsupported(key, `${name} takes no modifier`);
      if (refused) return refused;
      continue;
    }
    if (isControl && name !== "_include" && name !== "_elements") {
      if (seen.has(name)) return malformed(name, `Give ${name} once.`);
      seen.add(name);
    }
    const problem = isControl ? applyControl(definition, search, name, raw, unsupported, malformed) : applyParameter(definition, search, key, name, modifier, raw, unsupported, malformed);
    if (problem) return problem;
  }
  if (search.summaryCount) search.total = true;
  return search;
}

type Refusal = (parameter: string, message: string) => SearchRefusal | null;
type Malformed = (parameter: string, error: string) => SearchRefusal;

function applyControl<C, Key>(definition: SearchDefinition<C, Key>, search: ParsedSearch<C, Key>, name: string, raw: string, unsupported: Refusal, malformed: Malformed): SearchRefusal | null {
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
        if (declaredElement(definition.elements, value)) applied.push(value);
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
    default:
      return null;
  }
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
