import type { UploaderAccess } from "@/db/schema/nightscout";
import type { UserRole } from "@/db/schema/users";
import type { Actor, SystemActor } from "./actor";
import { hasScope, type Interaction, type SmartResourceType } from "./scopes";

/**
 * Everything an actor can ask to do. Which patients it may do it to is the visibility rule's
 * business (lib/access/visibility.ts); this table only says whether the kind of thing is allowed.
 */
export const actions = [
  "patient:read", // demographics of one visible patient
  "patient:search", // list or search visible patients
  "reading:read", // one reading and its versions
  "reading:search", // a patient's readings, summaries and reports
  "reading:create",
  "reading:correct", // a new version of a reading
  "treatment:search", // a patient's carbohydrates, insulin and the events around them
  "treatment:write", // record, replace and delete treatments, as the uploader app keeps its own records in step
  "deviceStatus:create", // an uploader app's report of its phone, pump and loop
  "device:read",
  "device:search",
  "device:manage", // register, pair, rotate and revoke meters; set up uploader apps
  "organization:read",
  "organization:search",
  "practitioner:read",
  "practitioner:search",
  "careTeam:read",
  "careTeam:manage", // care teams, their clinicians and their patients
  "staff:manage", // clinician and admin accounts
  "backendClient:manage", // hospital systems calling the FHIR API (SMART Backend Services)
  "hospitalEndpoint:manage", // hospital FHIR servers that receive pushes, and their dead letters
  "bulk:export", // FHIR Bulk Data $export
  "alert:read", // one alert (episode) of a visible patient
  "alert:search", // a visible patient's alerts, and the inbox of every visible patient's alerts
  "alert:handle", // acknowledge and resolve alerts
  "notificationChannel:manage", // the organization's alert webhooks and email addresses
  "patient:register", // register a patient in the portal, a child with their guardians, and invite them by email
  "guardian:verify", // confirm a guardian link (the verified step) and renew it past the 18th birthday
  "competence:assess", // record whether a young person is competent to decide who sees their record
  "guardian:limit", // a young person judged competent limits or ends a guardian's access to their own record
  "careTask:handle", // see and complete the care team's tasks (proxy reviews at the child's birthdays)
  "breakGlass:start", // read one patient outside one's care teams for a while, with a reason, reviewed afterwards
  "accessLog:read", // who can see a visible patient's record, and who accessed it (from the audit trail)
  "audit:search", // search the organization's audit trail
  "auditEvent:read", // read and search the organization's audit trail as FHIR AuditEvent (IHE BALP), on the FHIR API with a portal session
  "accessReview:manage", // the review queue: access-granting admin actions and break-glass accesses
  "consent:read", // a visible patient's privacy choices and their history
  "consent:decide", // give or withdraw consent for an optional purpose (the patient, or a guardian for a child)
  "record:export", // download the whole record (right of access and portability)
  "privacyRequest:create", // ask for restriction or erasure of the patient's data
  "privacyRequest:manage", // see and answer the organization's restriction and erasure requests
  "processingRecord:read", // the record of processing (GDPR Art 30): the data map, processors, regions
] as const;
export type Action = (typeof actions)[number];

/**
 * Role -> allowed actions. Admins manage the organization but do not read glucose values
 * (minimum necessary, HIPAA 164.502(b)): they see who the patients are and their devices, not
 * their readings; an admin who creates or assigns a clinician gains none of the clinician's access
(separation of duties). The privacy officer reads the audit trail and reviews access, and sees
no patient data.
 */
export const rolePermissions = {
  patient: [
    "patient:read", "reading:read", "reading:search", "reading:create", "reading:correct", "treatment:search", "device:read", "device:search", "device:manage",
    "alert:read", "alert:search", "accessLog:read", "consent:read", "consent:decide", "record:export", "privacyRequest:create", "guardian:limit",
  ],
  guardian: [
    "patient:read", "patient:search", "reading:read", "reading:search", "reading:create", "reading:correct", "treatment:search",
    "device:read", "device:search", "device:manage", "alert:read", "alert:search", "accessLog:read",
    "consent:read", "consent:decide", "record:export", "privacyRequest:create",
  ],
  clinician: [
    "patient:read", "patient:search", "reading:read", "reading:search", "reading:create", "reading:correct", "treatment:search",
    "device:read", "device:search", "device:manage", "organization:read", "organization:search", "practitioner:read", "practitioner:search", "careTeam:read",
    "alert:read", "alert:search", "alert:handle", "patient:register", "guardian:verify", "competence:assess", "careTask:handle", "breakGlass:start",
    "accessLog:read", "consent:read",
  ],
  // Admins answer privacy requests and keep the record of processing; they do not read consent
  // choices of individual patients (the request list names patients by id and record number).
  admin: [
    "patient:read", "patient:search", "device:read", "device:search", "organization:read", "organization:search", "practitioner:read", "practitioner:search",
    "careTeam:read", "careTeam:manage", "staff:manage", "backendClient:manage", "hospitalEndpoint:manage",
    "notificationChannel:manage", "patient:register", "audit:search", "privacyRequest:manage", "processingRecord:read",
  ],
  privacy_officer: ["audit:search", "auditEvent:read", "accessReview:manage", "privacyRequest:manage", "processingRecord:read"],
} as const satisfies Record<UserRole, readonly Action[]>;

/** A paired meter writes readings for its patient, nothing else. */
const deviceActions: readonly Action[] = ["reading:create"];
/**
 * Nightscout credentials, by what they allow. Uploader apps write their patient's readings,
 * treatments and device status and read them back; followers only read. Neither manages
 * devices or credentials: that is the portal's (device:search lets them read device status).
 */
const uploaderActions = {
  "read-write": ["reading:create", "reading:read", "reading:search", "treatment:write", "treatment:search", "deviceStatus:create", "device:search"],
  read: ["reading:read", "reading:search", "treatment:search", "device:search"],
} as const satisfies Record<UploaderAccess, readonly Action[]>;
/** The push job reads the readings it announces; the operator registers hospital systems. */
const systemJobActions = {
  "hospital-push": ["patient:read", "reading:read", "reading:search", "alert:read", "alert:search"],
  // Delivers alert notifications, escalates unacknowledged alerts, opens no-data alerts: alerts only.
  "alert-monitor": ["alert:read", "alert:search"],
  operator: ["backendClient:manage", "hospitalEndpoint:manage", "notificationChannel:manage"],
} as const satisfies Record<SystemActor["job"], readonly Action[]>;

/**
 * What a backend client needs for each action: a SMART system scope (`system/Observation.rs` grants
 * reading:read and reading:search). Actions absent here are never a hospital system's to take.
 */
export const smartScopeFor: Partial<Record<Action, { resourceType: SmartResourceType; interaction: Interaction }>> = {
  "patient:read": { resourceType: "Patient", interaction: "read" },
  "patient:search": { resourceType: "Patient", interaction: "search" },
  "reading:read": { resourceType: "Observation", interaction: "read" },
  "reading:search": { resourceType: "Observation", interaction: "search" },
  "reading:create": { resourceType: "Observation", interaction: "create" },
  "reading:correct": { resourceType: "Observation", interaction: "update" },
  "device:read": { resourceType: "Device", interaction: "read" },
  "device:search": { resourceType: "Device", interaction: "search" },
  "organization:read": { resourceType: "Organization", interaction: "read" },
  "organization:search": { resourceType: "Organization", interaction: "search" },
  "practitioner:read": { resourceType: "Practitioner", interaction: "read" },
  "practitioner:search": { resourceType: "Practitioner", interaction: "search" },
  "careTeam:read": { resourceType: "Group", interaction: "read" },
  "alert:read": { resourceType: "Flag", interaction: "read" },
  "alert:search": { resourceType: "Flag", interaction: "search" },
};

/** Types a Bulk Data export can hold; exporting needs search on at least one of them. */
const EXPORTABLE: readonly SmartResourceType[] = ["Patient", "Observation", "Device", "Flag"];

/** THE permission decision, for every kind of actor. Pure. */
export function can(actor: Actor, action: Action): boolean {
  switch (actor.kind) {
    case "user":
      return (rolePermissions[actor.role] as readonly Action[]).includes(action);
    case "device":
      return deviceActions.includes(action);
    case "uploader":
      return (uploaderActions[actor.access] as readonly Action[]).includes(action);
    case "system":
      return (systemJobActions[actor.job] as readonly Action[]).includes(action);
    case "backend-client": {
      if (action === "bulk:export") return EXPORTABLE.some((type) => hasScope(actor.scopes, type, "search"));
      const needed = smartScopeFor[action];
      return needed !== undefined && hasScope(actor.scopes, needed.resourceType, needed.interaction);
    }
  }
}

/** Why a Nightscout credential may not take an action, for the 403 it is answered with. */
export const READ_ONLY_CREDENTIAL =
  "This access token may only read (it was created for a follower). An app that uploads needs the API secret or an access token that may read and write; create one under Meters and apps in Lantern.";

/** The scope a backend client lacks for an action, for the 403 it is answered with. */
export function missingScopeText(action: Action): string {
  const needed = smartScopeFor[action];
  if (!needed) return "This interaction is not available to backend clients.";
  const letter = { create: "c", read: "r", update: "u", delete: "d", search: "s" }[needed.interaction];
  return `The access token lacks ${needed.interaction} on ${needed.resourceType} (system/${needed.resourceType}.${letter}, e.g. within .cruds or v1 .read/.write).`;
}
