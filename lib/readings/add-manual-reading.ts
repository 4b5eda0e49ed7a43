import "server-only";
import { getDb } from "@/db/client";
import { assertCan, type Actor } from "@/lib/auth/actor";
import { getVisiblePatient } from "@/lib/patients/queries";
import { formatOffset, resolveLocalTime } from "./local-time";
import { manualReadingSchema } from "./manual-entry-schema";
import { storeReadings } from "./write";
import { invalidFields, parseInput } from "@/lib/validation";

/** Readings time-stamped further ahead than this are refused: clocks drift, the future does not. */
export const MAX_FUTURE_SKEW_MS = 10 * 60 * 1000;

export async function addManualReading(actor: Actor, patientId: string, input: unknown, now = new Date()): Promise<{ readingId: number }> {
  assertCan(actor, "reading:create", "patient");
  const patient = await getVisiblePatient(actor, patientId);

  const { value, unit, takenAt } = parseInput(manualReadingSchema, input);

  const time = resolveLocalTime(takenAt, patient.timezone);
  const timeError = (message: string) => invalidFields({ takenAt: [message] });
  switch (time.kind) {
    case "invalid":
      throw timeError("That date does not exist; check the day and month.");
    case "skipped":
      throw timeError(`${takenAt.replace("T", " ")} did not happen in ${patient.timezone}: the clocks went forward. Enter the time your meter shows after the change.`);
    case "exact":
    case "repeated":
      break;
  }
  if (time.instant.getTime() - now.getTime() > MAX_FUTURE_SKEW_MS) {
    throw timeError(`That time is in the future (${patient.timezone}, UTC${formatOffset(time.utcOffsetMinutes)}). Enter when the reading was taken.`);
  }

  return getDb().transaction(async (tx) => {
    const [readingId] = await storeReadings(tx, [
      {
        patientId: patient.id,
        value,
        unit,
        effectiveAt: time.instant,
        utcOffsetMinutes: time.utcOffsetMinutes,
        specimen: "capillary",
        source: "manual",
        enteredByUserId: actor.userId,
      },
    ]);
    return { readingId: readingId! };
  });
}
