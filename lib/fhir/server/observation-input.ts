import { z } from "zod";
import { offsetMinutesOf } from "@/lib/time/offsets";
import { fhirContentKey, fhirIdentifierKey } from "@/lib/readings/identity";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { glucoseCodeSelection } from "./glucose-codes";

/**
 * An Observation a hospital system writes (POST /fhir/Observation, transaction entries,
 * $submit-cgm-bundle), turned into a candidate for the shared write path. Pure. Only glucose
 * codes are accepted; the value is kept in the unit it was sent in.
 */
const quantitySchema = z.object({
  value: z.number({ message: "valueQuantity.value must be a number" }),
  system: z.literal("http://unitsofmeasure.org", { message: "valueQuantity.system must be http://unitsofmeasure.org (UCUM)" }).optional(),
  code: z.enum(["mg/dL", "mmol/L"], { message: "valueQuantity.code must be mg/dL or mmol/L" }),
  comparator: z.enum(["<", ">", "<=", ">="]).optional(),
});

export const fhirObservationInputSchema = z.object({
  resourceType: z.literal("Observation", { message: "resourceType must be Observation" }),
  status: z.enum(["final", "amended", "corrected", "preliminary"], { message: "status must be final, amended, corrected or preliminary" }),
  code: z.object({ coding: z.array(z.object({ system: z.string().optional(), code: z.string().optional() })).min(1, "code.coding must name a glucose code") }),
  subject: z.object({ reference: z.string().regex(/^Patient\/[0-9a-f-]{36}$/i, "subject.reference must be Patient/<id>") }),
  effectiveDateTime: z.iso.datetime({ offset: true, message: "effectiveDateTime must be a full date-time with its UTC offset" }),
  valueQuantity: quantitySchema,
  identifier: z.array(z.object({ system: z.string().optional(), value: z.string().min(1) })).optional(),
  device: z.object({ reference: z.string() }).optional(),
});

export type FhirObservationInput = z.infer<typeof fhirObservationInputSchema>;

/**
 * A parsed Observation: its patient, the candidate for the write path, and its identity. The
 * candidate's dedupe key is the identifier key when the Observation has a business identifier,
 * else its content key (sender, specimen, time, value); `contentKey` is always the content, so
 * the same identifier with other content can be told apart and refused as a conflict.
 */
export type ObservationParse =
  | { patientId: string; candidate: ReadingCandidate & { dedupeKey: string }; contentKey: string; identifier: string | null }
  | { error: string; expression: string };

/** Who sent an Observation, for its identity: a backend client or a portal user. */
export type ObservationSender = string;

export function observationToCandidate(resource: unknown, position: number, sender: ObservationSender): ObservationParse {
  const parsed = fhirObservationInputSchema.safeParse(resource);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: issue.message, expression: `Observation.${issue.path.join(".")}` || "Observation" };
  }
  const observation = parsed.data;
  const selection = observation.code.coding.map((coding) => glucoseCodeSelection(coding.system, coding.code)).find((s) => s !== null);
  if (!selection) {
    return { error: "Only glucose Observations are accepted: code must include LOINC 41653-7, 14743-9, 99504-3 or 105272-9", expression: "Observation.code" };
  }
  if (selection.unit && selection.unit !== observation.valueQuantity.code) {
    return { error: `The code is for ${selection.unit} but the value is in ${observation.valueQuantity.code}`, expression: "Observation.valueQuantity.code" };
  }
  const comparator = observation.valueQuantity.comparator;
  const identifier = observation.identifier?.[0];
  const effectiveAt = new Date(observation.effectiveDateTime);
  const value = { value: observation.valueQuantity.value, unit: observation.valueQuantity.code, censored: censoringOf(comparator) };
  const contentKey = fhirContentKey({ sender, specimen: selection.specimen, effectiveAt, ...value });
  const identifierKey = identifier ? fhirIdentifierKey({ sender, system: identifier.system ?? null, value: identifier.value }) : null;
  return {
    patientId: observation.subject.reference.slice("Patient/".length).toLowerCase(),
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
