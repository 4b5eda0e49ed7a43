import { z } from "zod";
import { glucoseUnits, mealContexts } from "@/db/schema/readings-enums";
import { plausibleRangeIn } from "./units";

// This module runs in the browser too (the reading form). There zod must not probe for eval with
// `new Function`: the page's Content-Security-Policy forbids it and reports the probe as a violation.
if (typeof window !== "undefined") z.config({ jitless: true });

export const NOTE_MAX_LENGTH = 500;

/**
 * A reading typed in by hand, new or corrected. The same schema checks the browser form and the
 * server action; the server then reads `takenAt` in the patient's time zone (resolveLocalTime).
 */
export const manualReadingSchema = z
  .object({
    // Empty is "not typed" (not zero); a decimal comma (5,4) is a decimal point, "1,000" stays ambiguous and refused.
    value: z.preprocess(
      (value) => (typeof value === "string" ? (value.trim() === "" ? undefined : value.trim().replace(/^(\d+),(\d{1,2})$/, "$1.$2")) : value),
      z.coerce
        .number({ message: "Enter the glucose value as a number, e.g. 112 or 6.2" })
        .refine(Number.isFinite, "Enter the glucose value as a number, e.g. 112 or 6.2")
        .optional()
        .refine((value) => value !== undefined, "Enter the glucose value your meter shows, e.g. 112 or 6.2")
        .transform((value) => value!),
    ),
    unit: z.enum(glucoseUnits, { message: "Choose mg/dL or mmol/L" }),
    takenAt: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "Enter the date and time the reading was taken"),
    // An empty select or text box means "none".
    mealContext: z.preprocess(
      (value) => (value === "" ? null : value),
      z.enum(mealContexts, { message: "Choose when the reading was taken relative to a meal" }).nullish(),
    ),
    note: z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? null : value),
      z.string().trim().max(NOTE_MAX_LENGTH, `Keep the note under ${NOTE_MAX_LENGTH} characters`).nullish(),
    ),
  })
  .superRefine(({ value, unit }, context) => {
    const { min, max } = plausibleRangeIn(unit);
    if (value < min || value > max) {
      context.addIssue({
        code: "custom",
        path: ["value"],
        message: `No meter reports ${value} ${unit}; enter a value between ${min} and ${max} ${unit}.`,
      });
    }
  });

export type ManualReadingInput = z.input<typeof manualReadingSchema>;

export const mealContextLabels = {
  fasting: "Fasting",
  "before-meal": "Before a meal",
  "after-meal": "After a meal",
  bedtime: "Bedtime",
} as const;
