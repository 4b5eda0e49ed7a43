import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * The query of a glucose report: `from` (the first local date, YYYY-MM-DD, in the patient's time
 * zone) and `days` (local calendar days, 1-366, default 14). Without `from`, the report covers the
 * last `days` local days up to and including the patient's today. Pure.
 */
export const DEFAULT_REPORT_DAYS = 14;
export const MAX_REPORT_DAYS = 366;

const isCalendarDate = (text: string) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

export const glucoseReportQuerySchema = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "from must be a date written YYYY-MM-DD, e.g. 2026-11-01.")
    .refine(isCalendarDate, "from is not a calendar date; write a real date as YYYY-MM-DD, e.g. 2026-11-01.")
    .optional(),
  days: z.coerce
    .number({ message: `days must be a whole number of days from 1 to ${MAX_REPORT_DAYS}, e.g. 14.` })
    .int(`days must be a whole number of days from 1 to ${MAX_REPORT_DAYS}, e.g. 14.`)
    .min(1, `days must be a whole number of days from 1 to ${MAX_REPORT_DAYS}, e.g. 14.`)
    .max(MAX_REPORT_DAYS, `A report covers at most ${MAX_REPORT_DAYS} days; ask for fewer days.`)
    .default(DEFAULT_REPORT_DAYS),
});

export type GlucoseReportQuery = z.input<typeof glucoseReportQuerySchema>;
export type GlucoseReportPeriodRequest = z.output<typeof glucoseReportQuerySchema>;

/**
 * The query string's `from` and `days`, checked: an empty parameter counts as absent, and a bad one
 * is an invalid_input error (400) whose message says what to write instead.
 */
export function parseGlucoseReportQuery(searchParams: URLSearchParams): GlucoseReportPeriodRequest {
  const present = (name: string) => {
    const value = searchParams.get(name);
    return value === null || value.trim() === "" ? undefined : value.trim();
  };
  const parsed = glucoseReportQuerySchema.safeParse({ from: present("from"), days: present("days") });
  if (parsed.success) return parsed.data;
  const fields = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
  const message = Object.values(fields).flat().join(" ");
  throw new AppError("invalid_input", message || "Give from=YYYY-MM-DD and days=N.", fields);
}
