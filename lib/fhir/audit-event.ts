import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from "@medplum/fhirtypes";
import { coding, type CodeOf } from "./codes";
import { FHIR_ID, fhirInstant } from "./primitives";

/**
 * One row of Lantern's audit trail (lib/audit, docs/decisions/008-audit-trail.md) as a FHIR R4
 * `AuditEvent` in the style of IHE Basic Audit Log Patterns (BALP): type and subtype say what
 * kind of access it was, `action` the CRUDE letter, `recorded` when, `outcome` whether it
 * succeeded or was refused, one agent (who, `requestor`, their network address), the `source`
 * (Lantern, an application server), and one entity per patient whose record was touched (`what` =
 * `Patient/[id]`) plus the resource acted on. Pure: no database, no clock.
 */

/** The audit trail's actions (lib/audit/record.ts AuditAction), repeated so this module stays pure. */
export type AuditEventAction = CodeOf<"auditAction">;

export interface FhirAuditInput {
  seq: number;
  occurredAt: Date;
  actorKind: "user" | "device" | "uploader" | "backend-client" | "system" | "anonymous";
  actorId: string | null;
  /** A user's role at the time, a job's name, what a Nightscout credential allows. */
  actorRole: string | null;
  /** The actor's name when it has one (a person, a hospital system). */
  actorName: string | null;
  action: AuditEventAction;
  resourceType: string;
  resourceId: string | null;
  patientIds: readonly string[];
  purpose: string;
  outcome: "success" | "denied" | "failure";
  sourceAddress: string | null;
}

/** The audit trail's `purpose` for break-glass reads (lib/oversight/break-glass.ts BREAK_GLASS_PURPOSE). */
const EMERGENCY_PURPOSE = "emergency";
/** Purposes with a v3-ActReason code; the others (administration, oversight...) carry none. */
const purposeCodes: Record<string, CodeOf<"purposeOfUse">> = { care: "TREAT", "direct-care": "TREAT", [EMERGENCY_PURPOSE]: "ETREAT" };

/** BALP: a RESTful interaction's type and subtype; sign-in and sign-out are DICOM user authentication, exports and pushes DICOM export. */
function typeOf(action: AuditEventAction): { type: Coding; subtype: Coding[] } {
  const lantern = coding("auditAction", action);
  switch (action) {
    case "sign-in":
      return { type: coding("dicom", "110114"), subtype: [coding("dicom", "110122"), lantern] };
    case "sign-out":
      return { type: coding("dicom", "110114"), subtype: [coding("dicom", "110123"), lantern] };
    case "export":
    case "disclose":
      return { type: coding("dicom", "110106"), subtype: [lantern] };
    case "read":
      return { type: coding("auditEventType", "rest"), subtype: [coding("restfulInteraction", "read"), lantern] };
    case "search":
      return { type: coding("auditEventType", "rest"), subtype: [coding("restfulInteraction", "search-type"), lantern] };
    case "create":
    case "register":
    case "pair":
    case "grant":
      return { type: coding("auditEventType", "rest"), subtype: [coding("restfulInteraction", "create"), lantern] };
    case "update":
    case "revoke":
      return { type: coding("auditEventType", "rest"), subtype: [coding("restfulInteraction", "update"), lantern] };
  }
}

/** The CRUDE letter (R4 audit-event-action, a required binding). */
const actionLetter: Record<AuditEventAction, "C" | "R" | "U" | "E"> = {
  read: "R",
  search: "E",
  create: "C",
  update: "U",
  export: "R",
  disclose: "R",
  "sign-in": "E",
  "sign-out": "E",
  register: "C",
  pair: "C",
  grant: "C",
  revoke: "U",
};

/** R4 audit-event-outcome (required): a refusal is a minor failure, an error a serious one. */
const outcomeCode = { success: "0", denied: "4", failure: "8" } as const;
const outcomeText = { success: undefined, denied: "Refused: outside what the actor may see or do", failure: "Failed: the work did not complete" } as const;

/** Identifier systems of Lantern's actors. */
export const ACTOR_SYSTEM: Record<Exclude<FhirAuditInput["actorKind"], "anonymous">, string> = {
  user: "urn:lantern:user",
  device: "urn:lantern:device",
  uploader: "urn:lantern:uploader-credential",
  "backend-client": "urn:lantern:backend-client",
  system: "urn:lantern:job",
};

const actorKindText: Record<FhirAuditInput["actorKind"], string> = {
  user: "A person signed in to the portal",
  device: "A meter or sensor paired to the record",
  uploader: "An uploader or follower app",
  "backend-client": "A hospital system (FHIR API)",
  system: "Lantern itself",
  anonymous: "Someone not signed in",
};

function agentOf(event: FhirAuditInput): AuditEventAgent {
  const identifierValue = event.actorKind === "system" ? event.actorRole : event.actorId;
  const who =
    event.actorKind !== "anonymous" && identifierValue
      ? { identifier: { system: ACTOR_SYSTEM[event.actorKind], value: identifierValue }, display: event.actorName ?? actorKindText[event.actorKind] }
      : { display: event.actorName ?? actorKindText[event.actorKind] };
  return {
    type: { coding: [coding("participationType", "IRCP")] },
    ...(event.actorRole ? { role: [{ text: event.actorRole }] } : {}),
    who,
    requestor: true,
    ...(event.sourceAddress ? { network: { address: event.sourceAddress, type: "2" as const } } : {}),
  };
}

function entitiesOf(event: FhirAuditInput): AuditEventEntity[] {
  const patients: AuditEventEntity[] = event.patientIds.map((id) => {
    if (!FHIR_ID.test(id)) throw new RangeError(`Patient id is not a FHIR id: ${JSON.stringify(id)}`);
    return { what: { reference: `Patient/${id}` }, type: coding("auditEntityType", "1"), role: coding("objectRole", "1") };
  });
  // The resource acted on, by Lantern's name for it: not every one is a FHIR resource (an access list, a channel).
  const resource: AuditEventEntity = {
    what: { display: event.resourceId ? `${event.resourceType} ${event.resourceId}` : event.resourceType },
    type: coding("auditEntityType", "2"),
    role: coding("objectRole", "4"),
  };
  return [...patients, resource];
}

export function toFhirAuditEvent(event: FhirAuditInput): AuditEvent {
  if (!Number.isSafeInteger(event.seq) || event.seq < 1) throw new RangeError(`Audit sequence must be a positive integer: ${event.seq}`);
  const { type, subtype } = typeOf(event.action);
  const purpose = purposeCodes[event.purpose];
  const outcomeDesc = outcomeText[event.outcome];
  return {
    resourceType: "AuditEvent",
    id: String(event.seq),
    meta: { lastUpdated: fhirInstant(event.occurredAt) },
    type,
    subtype,
    action: actionLetter[event.action],
    recorded: fhirInstant(event.occurredAt),
    outcome: outcomeCode[event.outcome],
    ...(outcomeDesc ? { outcomeDesc } : {}),
    ...(purpose ? { purposeOfEvent: [{ coding: [coding("purposeOfUse", purpose)] }] } : {}),
    agent: [agentOf(event)],
    source: { observer: { display: "Lantern" }, type: [coding("securitySourceType", "4")] },
    entity: entitiesOf(event),
  };
}
