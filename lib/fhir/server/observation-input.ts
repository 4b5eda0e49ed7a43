import { z } from "zod";
import { offsetMinutesOf } from "@/lib/time/offsets";
import type { ReadingCandidate } from "@/lib/readings/ingest";
import { glucoseCodeSelection } from "./observation-search";

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

export type ObservationParse = { patientId: string; candidate: ReadingCandidate } | { error: string; expression: string };

export function observationToCandidate(resource: unknown, position: number): ObservationParse {
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
  return {
    patientId: observation.subject.reference.slice("Patient/".length).toLowerCase(),
    candidate: {
      position,
      value: observation.valueQuantity.value,
      unit: observation.valueQuantity.code,
      censored: comparator === "<" || comparator === "<=" ? "below" : comparator === ">" || comparator === ">=" ? "above" : null,
      effectiveAt,
      utcOffsetMinutes: offsetMinutesOf(observation.effectiveDateTime) ?? 0,
      specimen: selection.specimen,
      // A resubmission is the same reading: by its identifier when it has one, else by code and time.
      dedupeKey: identifier ? `fhir:identifier:${identifier.system ?? ""}|${identifier.value}` : `fhir:${selection.specimen}:${effectiveAt.getTime()}`,
    },
  };
}
