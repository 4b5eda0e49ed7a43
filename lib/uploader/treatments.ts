import { z } from "zod";
import { readingOrigin } from "@/lib/readings/identity";
import { whatIsUnacceptable, type TimeBounds } from "@/lib/readings/validation";
import { offsetAt } from "@/lib/time/zones";
import { appName, asDocument, boundedText, firstDocumentTime, numeric, utcOffsetField } from "./documents";
import { computedIdentifier } from "./identifiers";
import { missingTimeReason, notAnObjectReason, unacceptableReason, unreadableReason, unreadableTimeReason } from "./problem-reasons";

/**
 * Nightscout treatments as uploader apps send them through API v1 and v3: carbohydrates, insulin
 * and the events around them (temporary basals, site changes, profile switches...). Lantern keeps
 * the time, event type, carbs, insulin, duration, temporary basal rate and notes; the rest of
 * the document (bolus calculator details, profile JSON...) is not kept.
 */

// Far beyond any meal or bolus: a larger number is a unit or typing mistake, not a treatment.
const MAX_CARBS_GRAMS = 1000;
const MAX_INSULIN_UNITS = 200;
const MAX_BASAL_RATE = 50;
// A week: the longest profile switch or temporary target apps set.
const MAX_DURATION_MINUTES = 7 * 24 * 60;
// Loop lets people enter carbs they are about to eat; a phone clock a day ahead is caught.
const MAX_TREATMENT_FUTURE_MS = 4 * 60 * 60 * 1000;
const MAX_NOTES_LENGTH = 5000;
const MAX_IDENTIFIER_LENGTH = 200;

const amount = (maximum: number, unit: string) =>
  numeric(z.number({ message: `must be a number from 0 to ${maximum.toLocaleString("en")} ${unit}` }).min(0, `must be 0 or more ${unit}`).max(maximum, `must be at most ${maximum.toLocaleString("en")} ${unit}`)).nullish();

/** The fields Lantern keeps, as apps write them (numbers may be JSON strings). */
export const nightscoutTreatmentSchema = z.object({
  identifier: boundedText(MAX_IDENTIFIER_LENGTH),
  // Nightscout API v1 names documents by `_id`; Loop and xDrip+ send it back to update one.
  _id: boundedText(MAX_IDENTIFIER_LENGTH),
  eventType: boundedText(100),
  device: boundedText(200),
  app: boundedText(100),
  enteredBy: boundedText(100),
  carbs: amount(MAX_CARBS_GRAMS, "g"),
  insulin: amount(MAX_INSULIN_UNITS, "U"),
  insulinType: boundedText(60),
  duration: amount(MAX_DURATION_MINUTES, "minutes"),
  durationInMilliseconds: amount(MAX_DURATION_MINUTES * 60_000, "ms"),
  absolute: amount(MAX_BASAL_RATE, "U/h"),
  rate: amount(MAX_BASAL_RATE, "U/h"),
  notes: boundedText(MAX_NOTES_LENGTH),
});

export interface TreatmentCandidate {
  identifier: string;
  origin: string;
  app: string;
  eventType: string | null;
  occurredAt: Date;
  utcOffsetMinutes: number;
  carbsGrams: number | null;
  insulinUnits: number | null;
  insulinKind: string | null;
  durationMinutes: number | null;
  basalRate: number | null;
  notes: string | null;
  enteredBy: string | null;
}

export interface TreatmentContext {
  timeZone: string;
  bounds: TimeBounds;
  now: Date;
}

export type TreatmentParse = { candidate: TreatmentCandidate } | { notStored: { app: string; reason: string } };

// Nightscout reads `date` first, then `created_at`; Careportal's eventTime and xDrip+'s
// timestamp are older spellings of the same.
const TIME_FIELDS = ["date", "created_at", "eventTime", "timestamp", "mills"] as const;

/** One treatment document: what Lantern stores of it, or why it is not stored. Never throws. */
export function treatmentToCandidate(raw: unknown, context: TreatmentContext): TreatmentParse {
  const document = asDocument(raw);
  if (!document) return { notStored: { app: appName(), reason: notAnObjectReason("Treatments") } };
  const app = appName(document.device, document.app, document.enteredBy);
  const notStored = (reason: string): TreatmentParse => ({ notStored: { app, reason } });

  const time = firstDocumentTime(document, TIME_FIELDS, context.timeZone);
  if (time === "missing") return notStored(missingTimeReason("Treatments", "date or created_at"));
  if (time === "unreadable") return notStored(unreadableTimeReason("Treatments"));
  const parsed = nightscoutTreatmentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return notStored(unreadableReason("Treatments", issue.path.join("."), issue.message));
  }
  const treatment = parsed.data;
  const utcOffsetMinutes = utcOffsetField(document.utcOffset) ?? time.writtenOffsetMinutes ?? offsetAt(time.instant, context.timeZone);
  const unacceptable = treatmentTimeProblem(time.instant, utcOffsetMinutes, context);
  if (unacceptable) return notStored(unacceptableReason("Treatments", unacceptable));

  const date = time.instant.getTime();
  const device = typeof document.device === "string" ? document.device : null;
  const durationMinutes = treatment.duration ?? (treatment.durationInMilliseconds == null ? null : treatment.durationInMilliseconds / 60_000);
  return {
    candidate: {
      identifier: treatment.identifier ?? treatment._id ?? computedIdentifier({ device, date, eventType: treatment.eventType ?? null }),
      origin: readingOrigin.uploader(device),
      app,
      eventType: treatment.eventType ?? null,
      occurredAt: time.instant,
      utcOffsetMinutes,
      // Nightscout drops zero carbs and insulin: an event without them, not a meal of 0 g.
      carbsGrams: treatment.carbs || null,
      insulinUnits: treatment.insulin || null,
      insulinKind: treatment.insulinType ?? null,
      durationMinutes,
      // A zero temporary basal (insulin stopped) is a rate, and kept.
      basalRate: treatment.absolute ?? treatment.rate ?? null,
      notes: treatment.notes ?? null,
      enteredBy: treatment.enteredBy ?? null,
    },
  };
}

/** The shared time checks, with the future allowed a few hours ahead (carbs about to be eaten). */
function treatmentTimeProblem(instant: Date, utcOffsetMinutes: number, context: TreatmentContext) {
  if (instant.getTime() - context.now.getTime() > MAX_TREATMENT_FUTURE_MS) return "future-time" as const;
  // The glucose checks on a harmless value, so only the time and offset can fail them.
  const reading = { value: 100, unit: "mg/dL" as const, censored: null, effectiveAt: instant, utcOffsetMinutes };
  return whatIsUnacceptable(reading, new Date(Math.max(context.now.getTime(), instant.getTime())), context.bounds)?.kind ?? null;
}

export interface StoredTreatmentRow {
  identifier: string;
  app: string;
  eventType: string | null;
  occurredAt: Date;
  utcOffsetMinutes: number;
  carbsGrams: number | null;
  insulinUnits: number | null;
  insulinKind: string | null;
  durationMinutes: number | null;
  basalRate: number | null;
  notes: string | null;
  enteredBy: string | null;
  isValid: boolean;
  srvCreated: Date;
  srvModified: Date;
}

/** A stored treatment as Nightscout API v1 returns it: `_id` is the identifier, times in UTC. */
export function toNightscoutTreatment(row: StoredTreatmentRow) {
  const optional = <T>(name: string, value: T | null) => (value === null ? {} : { [name]: value });
  return {
    _id: row.identifier,
    identifier: row.identifier,
    ...optional("eventType", row.eventType),
    created_at: row.occurredAt.toISOString(),
    date: row.occurredAt.getTime(),
    mills: row.occurredAt.getTime(),
    utcOffset: row.utcOffsetMinutes,
    ...optional("carbs", row.carbsGrams),
    ...optional("insulin", row.insulinUnits),
    ...optional("insulinType", row.insulinKind),
    ...optional("duration", row.durationMinutes),
    ...optional("absolute", row.basalRate),
    ...optional("notes", row.notes),
    ...optional("enteredBy", row.enteredBy),
  };
}

/** The same treatment as an API v3 document: named by identifier, with the server's times and validity. */
export function toNightscoutTreatmentV3(row: StoredTreatmentRow) {
  const { _id, ...treatment } = toNightscoutTreatment(row);
  return { ...treatment, identifier: _id, app: row.app, isValid: row.isValid, srvCreated: row.srvCreated.getTime(), srvModified: row.srvModified.getTime() };
}
