import { z } from "zod";
import { targetPresetIds } from "@/lib/alerts/targets";
import { AppError } from "@/lib/errors";

/**
 * The triage list's options (docs/glucose-report.md, "Population triage"), one zod schema for the
 * page's query string and the data layer. Pure.
 */
export const triageSorts = ["priority", "name", "lastReading", "openAlerts", "below54", "below70", "inRange", "above250", "gmi", "cv"] as const;
export type TriageSort = (typeof triageSorts)[number];

export const DEFAULT_TRIAGE_WINDOW_DAYS = 14;
export const MAX_TRIAGE_WINDOW_DAYS = 90;
export const DEFAULT_TRIAGE_PAGE_SIZE = 25;
export const MAX_TRIAGE_PAGE_SIZE = 100;

const wholeNumber = (what: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${what} must be a whole number from ${min} to ${max}.` })
    .int(`${what} must be a whole number from ${min} to ${max}.`)
    .min(min, `${what} must be a whole number from ${min} to ${max}.`)
    .max(max, `${what} must be a whole number from ${min} to ${max}.`);

export const triageOptionsSchema = z.object({
  windowDays: wholeNumber("windowDays", 1, MAX_TRIAGE_WINDOW_DAYS).default(DEFAULT_TRIAGE_WINDOW_DAYS),
  careTeamId: z.uuid("careTeamId must be the id of one of your care teams.").optional(),
  targetPreset: z.enum(targetPresetIds, { message: `targetPreset must be one of ${targetPresetIds.join(", ")}.` }).optional(),
  insufficientOnly: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0", "on"])])
    .transform((value) => value === true || value === "true" || value === "1" || value === "on")
    .default(false),
  search: z.string().trim().max(100, "Search for at most 100 characters of a name or record number.").optional(),
  sort: z.enum(triageSorts, { message: `sort must be one of ${triageSorts.join(", ")}.` }).default("priority"),
  direction: z.enum(["asc", "desc"], { message: "direction must be asc or desc." }).optional(),
  page: wholeNumber("page", 1, 100_000).default(1),
  pageSize: wholeNumber("pageSize", 1, MAX_TRIAGE_PAGE_SIZE).default(DEFAULT_TRIAGE_PAGE_SIZE),
});

export type TriageOptions = z.input<typeof triageOptionsSchema>;
export type ParsedTriageOptions = z.output<typeof triageOptionsSchema>;

/** Options from a query string; empty parameters are absent; a bad one is a 400 saying what to write. */
export function parseTriageQuery(searchParams: URLSearchParams): ParsedTriageOptions {
  const input = Object.fromEntries([...searchParams.entries()].filter(([, value]) => value.trim() !== ""));
  return parseTriageOptions(input);
}

export function parseTriageOptions(input: unknown): ParsedTriageOptions {
  const parsed = triageOptionsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const fields = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
  throw new AppError("invalid_input", Object.values(fields).flat().join(" ") || "Check the triage options.", fields);
}
