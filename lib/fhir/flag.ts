import type { CodeableConcept, Flag } from "@medplum/fhirtypes";
import type { AlertKind } from "@/lib/alerts/kinds";
import { coding } from "./codes";
import { FHIR_ID, fhirInstant } from "./primitives";

/**
 * An alert (one episode, lib/alerts) as a FHIR R4 `Flag` (docs/decisions/011-alerts-as-fhir-flag.md).
 * Pure: no database, no clock. A merged or withdrawn alert (a correction of the readings showed
 * the episode was not one of its own) is rendered only for the hospitals it was pushed to, with
 * status `entered-in-error`; the FHIR API and the inbox leave it out.
 */

/** The alert statuses of db/schema/alerts.ts, repeated here so this module stays pure. */
export type AlertHandlingStatus = "open" | "acknowledged" | "resolved";

export interface FhirAlertInput {
  id: number;
  patientId: string;
  kind: AlertKind;
  status: AlertHandlingStatus;
  startedAt: Date;
  /** Null while the episode goes on (the patient is not back in range, or the feed still silent). */
  endedAt: Date | null;
  updatedAt: Date;
  /** Found in readings older than the alert horizon (a file uploaded days later): history, paging nobody. */
  historical: boolean;
  /** The reading with the episode's worst value, when there is one (none for a silent feed). */
  worstReadingId: number | null;
  /** Merged into another alert or withdrawn: it should never have been an alert of its own. */
  retracted: boolean;
}

/** The R4 core extension that points a Flag at the resource supporting it. */
export const FLAG_DETAIL_EXTENSION = "http://hl7.org/fhir/StructureDefinition/flag-detail";
/** The system of the identifier a Flag carries: the alert's id, for conditional updates at a hospital. */
export const LANTERN_ALERT_SYSTEM = "urn:lantern:alert";

/** The SNOMED CT disorder an episode kind is about; a rapid fall and a silent feed are neither yet. */
const snomedOf: Record<AlertKind, "302866003" | "80394007" | null> = {
  "hypo-level-2": "302866003",
  "hypo-extended": "302866003",
  "hypo-level-1": "302866003",
  "rapid-fall": null,
  "hyper-level-2": "80394007",
  "hyper-level-1": "80394007",
  "no-data": null,
};

/**
 * `active` while the alert needs someone: the episode goes on, or nobody has resolved it yet;
 * `inactive` once the episode has ended and a clinician resolved it, or an ended historical
 * episode (history from late readings: nobody is asked to handle it); `entered-in-error` once
 * merged or withdrawn, so a hospital that was told of it withdraws it too.
 */
export function flagStatusOf(alert: Pick<FhirAlertInput, "status" | "endedAt" | "historical" | "retracted">): "active" | "inactive" | "entered-in-error" {
  if (alert.retracted) return "entered-in-error";
  if (alert.endedAt === null) return "active";
  return alert.status === "resolved" || alert.historical ? "inactive" : "active";
}

function flagCode(kind: AlertKind): CodeableConcept {
  const snomed = snomedOf[kind];
  return { coding: [...(snomed ? [coding("snomed", snomed)] : []), coding("alertKind", kind)] };
}

export function toFhirFlag(alert: FhirAlertInput): Flag {
  if (!Number.isSafeInteger(alert.id) || alert.id < 1) throw new RangeError(`Alert id must be a positive integer: ${alert.id}`);
  if (!FHIR_ID.test(alert.patientId)) throw new RangeError(`Patient id is not a FHIR id: ${JSON.stringify(alert.patientId)}`);
  if (alert.endedAt && alert.endedAt.getTime() < alert.startedAt.getTime()) throw new RangeError(`Alert ${alert.id} ends before it starts`);
  const evidence = alert.worstReadingId;
  if (evidence !== null && (!Number.isSafeInteger(evidence) || evidence < 1)) throw new RangeError(`Reading id must be a positive integer: ${evidence}`);
  return {
    resourceType: "Flag",
    id: String(alert.id),
    meta: { lastUpdated: fhirInstant(alert.updatedAt) },
    ...(evidence !== null ? { extension: [{ url: FLAG_DETAIL_EXTENSION, valueReference: { reference: `Observation/${evidence}` } }] } : {}),
    identifier: [{ system: LANTERN_ALERT_SYSTEM, value: String(alert.id) }],
    status: flagStatusOf(alert),
    category: [{ coding: [coding("flagCategory", "clinical")] }],
    code: flagCode(alert.kind),
    subject: { reference: `Patient/${alert.patientId}` },
    period: { start: fhirInstant(alert.startedAt), ...(alert.endedAt ? { end: fhirInstant(alert.endedAt) } : {}) },
  };
}
