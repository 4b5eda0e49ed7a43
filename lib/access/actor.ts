import type { UploaderAccess } from "@/db/schema/nightscout";
import type { DeviceKind, GlucoseUnit } from "@/db/schema/readings-enums";
import type { UserRole } from "@/db/schema/users";

/**
 * Who is acting, as one union: every data-layer function takes one and decides with `can`
 * (lib/access/permissions.ts) and the visibility rule (lib/access/visibility.ts). Each kind
 * carries where the request came from, so the audit trail can say it without another argument.
 */
export interface RequestOrigin {
  /** Echoed to the caller as X-Request-Id and written in every audit event of the request. */
  requestId: string;
  /** The client's address as the door determined it; null where there is none (jobs, tests). */
  sourceAddress: string | null;
}

interface ActorBase {
  organizationId: string;
  origin: RequestOrigin;
}

/** A person signed in to the portal. */
export interface UserActor extends ActorBase {
  kind: "user";
  userId: string;
  role: UserRole;
  displayName: string;
}

/** A paired connected meter or CGM acting through its token: bound to one patient. */
export interface DeviceActor extends ActorBase {
  kind: "device";
  deviceId: string;
  patientId: string;
  deviceKind: DeviceKind;
}

/**
 * An app speaking the Nightscout API for one patient: an uploader (xDrip+, AndroidAPS, Loop...)
 * holding the patient's API secret or a read-write access token, or a follower (Nightguard,
 * xDrip+ follower...) holding a read-only access token.
 */
export interface UploaderActor extends ActorBase {
  kind: "uploader";
  patientId: string;
  /** The patient's zone: uploads without an offset are placed in it. */
  timezone: string;
  /** What the app shows (Nightscout's status.json settings.units). */
  preferredUnit: GlucoseUnit;
  /** What the credential allows; the permission table has a row for each. */
  access: UploaderAccess;
  /** The credential used, named in the audit trail: the patient's API secret or one access token. */
  credential: { kind: "api-secret" } | { kind: "access-token"; tokenId: string; name: string };
}

/** A hospital system with a SMART Backend Services access token. */
export interface BackendClientActor extends ActorBase {
  kind: "backend-client";
  clientId: string;
  /** Granted SMART system scopes (v2 letters), e.g. `system/Observation.rs`. */
  scopes: readonly string[];
}

/**
 * The server itself: a background job (delivering the push outbox; watching alerts: notifications,
 * escalation, silent feeds) or the operator at the server's
 * shell (`npm run admin`, the demo seed), acting in one organization.
 */
export interface SystemActor extends ActorBase {
  kind: "system";
  job: "hospital-push" | "alert-monitor" | "operator";
}

export type Actor = UserActor | DeviceActor | UploaderActor | BackendClientActor | SystemActor;
export type ActorKind = Actor["kind"];

/** The id the audit trail records for the actor. */
export function actorId(actor: Actor): string {
  switch (actor.kind) {
    case "user":
      return actor.userId;
    case "device":
      return actor.deviceId;
    case "uploader":
      // The API secret is one per patient; an access token is named by its own id.
      return actor.credential.kind === "access-token" ? actor.credential.tokenId : actor.patientId;
    case "backend-client":
      return actor.clientId;
    case "system":
      return actor.job;
  }
}

/** Where requests without a client (jobs, the CLI, tests) say they came from. */
export function internalOrigin(requestId: string = crypto.randomUUID()): RequestOrigin {
  return { requestId, sourceAddress: null };
}
