import { z } from "zod";
import { glucoseUnits } from "@/db/schema/readings-enums";
import { plausibleRangeIn } from "./units";

/**
 * A reading typed in by hand. The same schema checks the browser form and the server action;
 * the server then reads `takenAt` in the patient's time zone (resolveLocalTime).
 */
export const manualReadingSchema = z
  .object({
    value: z.coerce
      .number({ message: "Enter the glucose value as a number, e.g. 112 or 6.2" })
      .refine(Number.isFinite, "Enter the glucose value as a number, e.g. 112 or 6.2"),
    unit: z.enum(glucoseUnits, { message: "Choose mg/dL or mmol/L" }),
    takenAt: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "Enter the date and time the reading was taken"),
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
