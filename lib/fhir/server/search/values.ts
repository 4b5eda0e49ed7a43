import { datePrefixes, type DatePrefix } from "../date-search";

/**
 * The value syntaxes of FHIR R4 search (§3.1.1.4, §3.1.1.5), one value at a time: a comma in the
 * URL separates values any of which may match, and `\,` `\|` `\$` `\\` escape those characters
 * inside a value. Pure; every parser returns the value or `{ error }` with a sentence naming the
 * expected form.
 */

export type ValueError = { error: string };

/** Splits on every `separator` not escaped by a backslash; escapes are kept for `unescapeValue`. */
export function splitEscaped(raw: string, separator: "," | "|"): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === "\\" && i + 1 < raw.length) {
      current += char + raw[i + 1]!;
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

export function unescapeValue(part: string): string {
  return part.replace(/\\([\\,|$])/g, "$1");
}

/** A parameter's comma-separated values, still escaped. */
export function splitValues(raw: string): string[] {
  return splitEscaped(raw, ",");
}

/**
 * token: `code` (any system), `system|code`, `|code` (a code with no system), `system|` (any code
 * of the system).
 */
export interface TokenValue {
  /** undefined: any system; null: no system at all; else that system. */
  system: string | null | undefined;
  /** undefined: any code of the system. */
  code: string | undefined;
}

export function parseToken(raw: string): TokenValue | ValueError {
  const parts = splitEscaped(raw, "|");
  if (parts.length > 2) return { error: `"${raw}" is not a token: use code, system|code, |code or system|` };
  if (parts.length === 1) return { system: undefined, code: unescapeValue(parts[0]!) };
  const [system, code] = parts.map(unescapeValue) as [string, string];
  if (system === "" && code === "") return { error: `"${raw}" is not a token: give a system, a code or both` };
  return { system: system === "" ? null : system, code: code === "" ? undefined : code };
}

/** reference: `id`, `Type/id`, an absolute URL ending in `Type/id`, with or without `/_history/n`. */
export interface ReferenceValue {
  /** null when only an id was given. */
  type: string | null;
  id: string;
}

const REFERENCE = /^(?:(?:.*\/)?([A-Z][A-Za-z]+)\/)?([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

export function parseReference(raw: string): ReferenceValue | ValueError {
  const match = REFERENCE.exec(unescapeValue(raw).trim());
  if (!match) return { error: `"${raw}" is not a reference: use Type/id or id` };
  return { type: match[1] ?? null, id: match[2]! };
}

/**
 * quantity: `[prefix]number`, or `[prefix]number|system|code` (`number||code`: a unit code in any
 * system). The number's precision is its range (§3.1.1.4.4): `250` is [249.5, 250.5), `5.4` is
 * [5.35, 5.45), `1e2` is [50, 150).
 */
export interface QuantityValue {
  prefix: DatePrefix;
  value: number;
  /** The range the number stands for, by its significant figures. */
  low: number;
  high: number;
  /** undefined: any system. */
  system: string | undefined;
  /** undefined: any unit. */
  code: string | undefined;
}

const isPrefix = (text: string): text is DatePrefix => (datePrefixes as readonly string[]).includes(text);
const NUMBER = /^[+-]?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

export function parseQuantity(raw: string): QuantityValue | ValueError {
  const parts = splitEscaped(raw, "|").map(unescapeValue);
  if (parts.length !== 1 && parts.length !== 3) return { error: `"${raw}" is not a quantity: use e.g. gt250, 250||mg/dL or 13.9|http://unitsofmeasure.org|mmol/L` };
  const [number, system, code] = parts as [string, string?, string?];
  const prefixed = /^([a-z]{2})(.*)$/.exec(number);
  const prefix = prefixed?.[1] ?? "eq";
  const digits = prefixed?.[2] ?? number;
  const match = NUMBER.exec(digits);
  if (!match || !isPrefix(prefix)) {
    return { error: `"${raw}" is not a quantity: a number with an optional prefix (eq ne gt lt ge le sa eb ap), e.g. gt250` };
  }
  // In whole units of the last digit, so that 5.4's range ends at exactly the double 5.35 reads as.
  const units = Number(`${digits.startsWith("-") ? "-" : ""}${match[1]}${match[2] ?? ""}`);
  const scale = (bound: number) => {
    const exponent = Number(match[3] ?? 0) - (match[2]?.length ?? 0);
    return exponent >= 0 ? (bound / 2) * 10 ** exponent : bound / 2 / 10 ** -exponent;
  };
  return { prefix, value: Number(digits), low: scale(2 * units - 1), high: scale(2 * units + 1), system: system || undefined, code: code || undefined };
}
