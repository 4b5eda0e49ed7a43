import { Temporal } from "temporal-polyfill";
import { z } from "zod";

const localDate = z.string().superRefine((text, context) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return context.addIssue({ code: "custom", message: "Enter the date as YYYY-MM-DD" });
  try {
    Temporal.PlainDate.from(text, { overflow: "reject" });
  } catch {
    context.addIssue({ code: "custom", message: "That date does not exist; check the day and month" });
  }
});

const blankIsAbsent = (value: unknown) => (value === "" || value === null ? undefined : value);

/** The longest range one list covers; paging walks through it whatever its size. */
export const MAX_RANGE_DAYS = 3660;

/**
 * The readings list's query: an optional range of the patient's local calendar days (`from` to
 * `to`, both included) and a keyset cursor (`before`: the time in epoch ms and id of the last
 * reading of the previous page) for the next, older page.
 */
export const readingsRangeSchema = z
  .object({
    from: z.preprocess(blankIsAbsent, localDate.optional()),
    to: z.preprocess(blankIsAbsent, localDate.optional()),
    before: z.preprocess(blankIsAbsent, z.string().regex(/^-?\d{1,16}_\d{1,19}$/, "That page link is damaged; start again from the newest readings").optional()),
  })
  .superRefine(({ from, to }, context) => {
    if (from && to && to < from) context.addIssue({ code: "custom", path: ["to"], message: "The end date is before the start date; swap them." });
    if (from && to && Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to)).days >= MAX_RANGE_DAYS) {
      context.addIssue({ code: "custom", path: ["to"], message: `Choose a range of at most ${MAX_RANGE_DAYS} days.` });
    }
  });

export type ReadingsRange = z.infer<typeof readingsRangeSchema>;

export function readingCursor(reading: { effectiveAt: Date; id: number }): string {
  return `${reading.effectiveAt.getTime()}_${reading.id}`;
}

export function parseReadingCursor(cursor: string): { effectiveAt: Date; id: number } {
  const [time, id] = cursor.split("_");
  return { effectiveAt: new Date(Number(time)), id: Number(id) };
}
