import { z } from "zod";
import { LOINC } from "@/lib/fhir/codes";
import { FHIR_DATE_TIME } from "@/lib/fhir/primitives";
import { offsetMinutesOf } from "@/lib/time/offsets";
import { fhirContentKey, fhirIdentifierKey } from "@/lib/readings/identity";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { glucoseCodeSelection } from "./glucose-codes";

/**
 * An Observation a hospital system writes (POST /fhir/Observation, transaction entries,
 * $submit-cgm-bundle), turned into a candidate for the shared write path. Pure. Only glucose
 * readings are accepted; the value is kept in the unit it was sent in.
 *
 * Two kinds of refusal, as FHIR's HTTP statuses tell them apart: what is not a valid R4
 * Observation (no status or code, a dateTime with a time but no offset, a value that is not a
 * number) is `invalid` (400); a valid Observation that Lantern does not store is `unprocessable`
 * (422, a business rule): a CGM summary (Lantern computes its own), another code, a period
 * instead of an instant, a value in another unit, no subject.
 */
const OBSERVATION_STATUSES = ["registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"] as const;
const STORED_STATUSES: readonly string[] = ["final", "amended", "corrected", "preliminary"];
const UCUM = "http://unitsofmeasure.org";
/** The glucose units in UCUM, which writes the litre as l or L. */
const UCUM_GLUCOSE_UNITS: Record<string, "mg/dL" | "mmol/L"> = { "mg/dL": "mg/dL", "mg/dl": "mg/dL", "mmol/L": "mmol/L", "mmol/l": "mmol/L" };

/** What R4 requires of an Observation and of the elements Lantern reads: failing it is a 400. */
const fhirObservationSchema = z.object({
  resourceType: z.literal("Observation", { message: "resourceType must be Observation" }),
  status: z.enum(OBSERVATION_STATUSES, { message: "status is required and must be an Observation status (final, amended...)" }),
  code: z.object({ coding: z.array(z.object({ system: z.string().optional(), code: z.string().optional() })).optional() }, { message: "code is required" }),
  subject: z.object({ reference: z.string({ message: "subject.reference must be a string" }) }).optional(),
  effectiveDateTime: z.string().regex(FHIR_DATE_TIME, "effectiveDateTime must be a FHIR dateTime: a date-time carries its UTC offset").optional(),
  effectivePeriod: z.object({}).optional(),
  valueQuantity: z
    .object({
      value: z.number({ message: "valueQuantity.value must be a number" }).optional(),
      system: z.string().optional(),
      code: z.string().optional(),
      comparator: z.enum(["<", "<=", ">=", ">"]).optional(),
    })
    .optional(),
  identifier: z.array(z.object({ system: z.string().optional(), value: z.string().optional() })).optional(),
});

type FhirObservation = z.infer<typeof fhirObservationSchema>;

/**
 * A parsed Observation: its patient, the candidate for the write path, and its identity. The
 * candidate's dedupe key is the identifier key when the Observation has a business identifier,
 * else its content key (sender, specimen, time, value); `contentKey` is always the content, so
 * the same identifier with other content can be told apart and refused as a conflict.
 */
export type ObservationParse =
  | { patientId: string; candidate: ReadingCandidate & { dedupeKey: string }; contentKey: string; identifier: string | null }
  | { error: string; expression: string; kind: "invalid" | "unprocessable" };

/** Who sent an Observation, for its identity: a backend client or a portal user. */
export type ObservationSender = string;

const SUMMARY_CODES: readonly string[] = [LOINC.cgmSummary, LOINC.meanGlucoseMass, LOINC.meanGlucoseMolar, LOINC.gmi, LOINC.cv, LOINC.daysOfWear, LOINC.sensorActive, LOINC.timesInRanges];
/** A full date-time with seconds and an offset: one instant. */
const INSTANT = /T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const unprocessable = (expression: string, error: string) => ({ error, expression, kind: "unprocessable" as const });

export function observationToCandidate(resource: unknown, position: number, sender: ObservationSender): ObservationParse {
  const parsed = fhirObservationSchema.safeParse(resource);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: issue.message, expression: `Observation.${issue.path.join(".")}`.replace(/\.$/, ""), kind: "invalid" };
  }
  return storedReading(parsed.data, position, sender);
}

/** The business rules of a reading Lantern stores, on a valid R4 Observation. */
function storedReading(observation: FhirObservation, position: number, sender: ObservationSender): ObservationParse {
  const codings = observation.code.coding ?? [];
  if (codings.some((coding) => coding.system === "http://loinc.org" && SUMMARY_CODES.includes(coding.code ?? ""))) {
    return unprocessable("Observation.code", "This is a CGM summary: Lantern computes summaries from the stored readings and does not keep posted ones; GET Patient/[id]/$cgm-summary returns them.");
  }
  const selection = codings.map((coding) => glucoseCodeSelection(coding.system, coding.code)).find((s) => s !== null);
  if (!selection) return unprocessable("Observation.code", "Only glucose readings are stored: code must include LOINC 41653-7, 14743-9, 99504-3 or 105272-9.");
  if (!STORED_STATUSES.includes(observation.status)) return unprocessable("Observation.status", "Only readings that were made are stored: status must be final, amended, corrected or preliminary.");
  const subject = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(observation.subject?.reference ?? "");
  if (!subject) return unprocessable("Observation.subject.reference", "subject must name the patient: Patient/<id>.");
  if (observation.effectiveDateTime === undefined) {
    const got = observation.effectivePeriod ? "an effectivePeriod" : "no effective time";
    return unprocessable("Observation.effectiveDateTime", `A reading is one instant: send effectiveDateTime with its UTC offset (this Observation has ${got}).`);
  }
  if (!INSTANT.test(observation.effectiveDateTime)) return unprocessable("Observation.effectiveDateTime", "effectiveDateTime must be a full date-time with seconds and its UTC offset, the instant of the reading.");
  const quantity = observation.valueQuantity;
  if (quantity?.value === undefined) return unprocessable("Observation.valueQuantity", "A reading needs valueQuantity with a value in mg/dL or mmol/L.");
  if (quantity.system !== undefined && quantity.system !== UCUM) return unprocessable("Observation.valueQuantity.system", "valueQuantity.system must be http://unitsofmeasure.org (UCUM).");
  const unit = quantity.code !== undefined && Object.hasOwn(UCUM_GLUCOSE_UNITS, quantity.code) ? UCUM_GLUCOSE_UNITS[quantity.code]! : null;
  if (unit === null) return unprocessable("Observation.valueQuantity.code", "valueQuantity.code must be the UCUM unit mg/dL or mmol/L.");
  if (selection.unit && selection.unit !== unit) return unprocessable("Observation.valueQuantity.code", `The code is for ${selection.unit} but the value is in ${unit}.`);
  const identifier = observation.identifier?.find((item) => item.value);
  const effectiveAt = new Date(observation.effectiveDateTime);
  const value = { value: quantity.value, unit, censored: censoringOf(quantity.comparator) };
  const contentKey = fhirContentKey({ sender, specimen: selection.specimen, effectiveAt, ...value });
  const identifierKey = identifier ? fhirIdentifierKey({ sender, system: identifier.system ?? null, value: identifier.value! }) : null;
  return {
    patientId: subject[1]!.toLowerCase(),
    candidate: {
      position,
      ...value,
      effectiveAt,
      utcOffsetMinutes: offsetMinutesOf(observation.effectiveDateTime) ?? 0,
      specimen: selection.specimen,
      // A resubmission is the same reading: by its identifier when it has one, else by its content.
      dedupeKey: identifierKey ?? contentKey,
    },
    contentKey,
    identifier: identifier ? `${identifier.system ?? ""}|${identifier.value}` : null,
  };
}

function censoringOf(comparator: "<" | ">" | "<=" | ">=" | undefined) {
  return comparator === "<" || comparator === "<=" ? ("below" as const) : comparator === ">" || comparator === ">=" ? ("above" as const) : null;
}
