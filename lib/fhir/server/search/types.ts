import type { z } from "zod";
import type { DateCondition } from "../date-search";
import type { Cursor, SearchError } from "../paging";
import type { ElementDeclaration } from "./elements";
import type { QuantityValue, ReferenceValue, TokenValue } from "./values";

/**
 * What a FHIR type declares about its search, once (`*-search.ts`), and what a request parses to:
 * the shapes the search framework (./framework.ts) works with. A declaration's conditions are of
 * type `C`: a drizzle `SQL` in the data layer, plain text in the framework's tests.
 */

export type SearchParameterType = "token" | "reference" | "date" | "string" | "quantity";

export interface Values {
  token: TokenValue;
  reference: ReferenceValue;
  date: DateCondition;
  string: string;
  quantity: QuantityValue;
}

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
