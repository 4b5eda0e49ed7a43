import { z } from "zod";
import { AppError } from "./errors";

export const UNSTORABLE_TEXT = "This text contains a character that cannot be stored (a NUL character or a broken Unicode character); remove it.";

/** Text PostgreSQL can store: no NUL, no half of a surrogate pair. */
export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

/** The top-level fields of an input holding text that cannot be stored, however deep in them. */
function unstorableFields(input: unknown): string[] {
  if (typeof input !== "object" || input === null) return typeof input === "string" && !isStorableText(input) ? ["value"] : [];
  const holdsUnstorable = (value: unknown, depth: number): boolean => {
    if (typeof value === "string") return !isStorableText(value);
    if (depth > 8 || typeof value !== "object" || value === null) return false;
    return Object.entries(value).some(([key, inner]) => !isStorableText(key) || holdsUnstorable(inner, depth + 1));
  };
  return Object.entries(input).filter(([key, value]) => !isStorableText(key) || holdsUnstorable(value, 0)).map(([key]) => (isStorableText(key) ? key : "input"));
}

/**
 * Parses input with its schema or throws invalid_input carrying the per-field messages. Text that
 * cannot be stored is refused here, for every form and body, so it never reaches the database as
 * an error that would log it.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const unstorable = unstorableFields(input);
  if (unstorable.length) throw invalidFields(Object.fromEntries(unstorable.map((field) => [field, [UNSTORABLE_TEXT]])));
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidFields(z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  return parsed.data;
}

export function invalidFields(fieldErrors: Record<string, string[]>): AppError {
  return new AppError("invalid_input", "Check the highlighted fields.", fieldErrors);
}
