import "server-only";
import { eq, sql, type Column, type SQL } from "drizzle-orm";
import { patients } from "@/db/schema";
import { anyOf } from "./sql";

/**
 * FHIR string search (R4 §3.1.1.4.8): by default a value matches a field that starts with it,
 * ignoring case and accents (`lopez` finds López, `jo` finds Johanna); `:exact` matches the whole
 * field as written; `:contains` matches anywhere in it.
 *
 * Folding is one character for one, the same table in JavaScript (the searched value) and in SQL
 * (`translate()` of the column), so both sides fold alike on PostgreSQL and PGlite whatever their
 * locale: A-Z to a-z, and Latin, Greek and Cyrillic letters to their lower-case base letter (é to
 * e, Ø to o, Σ to σ). Letters that fold to two (ß, Æ) are left as they are.
 */
const EXTRA_FOLDS: Record<string, string> = { Ø: "o", ø: "o", Đ: "d", đ: "d", Ł: "l", ł: "l", Ħ: "h", ħ: "h", ı: "i" };

function foldOf(char: string): string {
  return EXTRA_FOLDS[char] ?? char.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

const FOLDS: ReadonlyMap<string, string> = new Map(
  [[0x41, 0x5a], [0xc0, 0x24f], [0x370, 0x3ff], [0x400, 0x4ff]]
    .flatMap(([first, last]) => Array.from({ length: last! - first! + 1 }, (_, i) => String.fromCodePoint(first! + i)))
    .map((char) => [char, foldOf(char)] as const)
    .filter(([char, folded]) => folded !== char && [...folded].length === 1),
);
const FOLD_FROM = [...FOLDS.keys()].join("");
const FOLD_TO = [...FOLDS.values()].join("");

/** The searched text folded as the column is (exported for its tests). */
export function foldForSearch(text: string): string {
  return [...text].map((char) => FOLDS.get(char) ?? char).join("");
}

/** `%`, `_` and `\` match themselves in a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export type StringMatch = "exact" | "contains" | null;

/** The modifiers a string parameter takes. */
export const STRING_MODIFIERS = ["exact", "contains"] as const;

export function stringMatchOf(modifier: string | null): StringMatch {
  return modifier === "exact" || modifier === "contains" ? modifier : null;
}

/** A string parameter on one text column: any of `values` matches. */
export function stringSql(column: Column, values: readonly string[], match: StringMatch): SQL {
  return anyOf(
    values.map((value) => {
      if (match === "exact") return eq(column, value);
      const pattern = `${match === "contains" ? "%" : ""}${likeLiteral(foldForSearch(value))}%`;
      return sql`translate(${column}, ${FOLD_FROM}, ${FOLD_TO}) like ${pattern}`;
    }),
  );
}

/**
 * THE place patient names are matched (Patient `name`, `family`, `given`): a name part matches
 * as `stringSql` says. Names are plain columns today; when they are stored encrypted with a blind
 * index, this function is what changes, and nothing that calls it.
 */
export function patientNameSql(parts: readonly ("given" | "family")[], values: readonly string[], match: StringMatch): SQL {
  const columns = { given: patients.givenName, family: patients.familyName };
  return anyOf(parts.map((part) => stringSql(columns[part], values, match)));
}
