import type { UserRole } from "@/db/schema/users";

/** Everything an actor can ask to do. Object-level visibility is checked separately, per patient. */
export const actions = [
  "patient:read", // demographics of a visible patient
  "patient:list",
  "reading:read",
  "reading:create",
  "device:manage", // register, pair, rotate and revoke a patient's meters; set up uploader apps
  "staff:manage", // create clinician and admin accounts in the organization
  "careTeam:manage", // care teams, their clinicians and their patients
  "backendClient:manage", // register and revoke hospital systems calling the FHIR API (SMART Backend Services)
] as const;
export type Action = (typeof actions)[number];

/**
 * Role -> allowed actions. Admins manage the organization but do not read glucose values
 * (minimum necessary, HIPAA 164.502(b)): they see who the patients are, not their readings.
 */
export const rolePermissions = {
  patient: ["patient:read", "reading:read", "reading:create", "device:manage"],
  guardian: ["patient:read", "patient:list", "reading:read", "reading:create", "device:manage"],
  clinician: ["patient:read", "patient:list", "reading:read", "reading:create", "device:manage"],
  admin: ["patient:read", "patient:list", "staff:manage", "careTeam:manage", "backendClient:manage"],
} as const satisfies Record<UserRole, readonly Action[]>;

export function can(role: UserRole, action: Action): boolean {
  return (rolePermissions[role] as readonly Action[]).includes(action);
}
