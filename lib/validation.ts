import { z } from "zod";
import { AppError } from "./errors";

/** Parses input with its schema or throws invalid_input carrying the per-field messages. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidFields(z.flattenError(parsed.error).fieldErrors as Record<string, string[]>);
  return parsed.data;
}

export function invalidFields(fieldErrors: Record<string, string[]>): AppError {
  return new AppError("invalid_input", "Check the highlighted fields.", fieldErrors);
}
