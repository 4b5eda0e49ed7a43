import type { UserRole } from "@/db/schema/users";

/**
 * When a session ends by the clock (HIPAA 164.312(a)(2)(iii) automatic logoff, ASVS V7.3): after
 * a role's inactivity limit without a request, and after the absolute lifetime in any case. Pure:
 * the caller passes the limits and the clock.
 */

/** People who sit at shared clinic computers and see many patients' records. */
const CLINICAL_ROLES: ReadonlySet<UserRole> = new Set(["clinician", "admin", "privacy_officer"]);

export interface SessionLimits {
  /** Patients and guardians. */
  idleMinutes: number;
  /** Clinicians, admins and privacy officers. */
  clinicalIdleMinutes: number;
  maxHours: number;
}

export function idleLimitMs(role: UserRole, limits: SessionLimits): number {
  return (CLINICAL_ROLES.has(role) ? limits.clinicalIdleMinutes : limits.idleMinutes) * 60_000;
}

export type SessionState = "open" | "idle" | "expired";

export function sessionState(session: { startedAt: Date; lastSeenAt: Date }, role: UserRole, limits: SessionLimits, now: Date): SessionState {
  if (now.getTime() - session.startedAt.getTime() >= limits.maxHours * 3_600_000) return "expired";
  if (now.getTime() - session.lastSeenAt.getTime() >= idleLimitMs(role, limits)) return "idle";
  return "open";
}

/**
 * Activity is written at most this often, so a page's many requests cost one write. The session
 * can therefore end up to this much before its limit, never after it.
 */
export const ACTIVITY_RESOLUTION_MS = 30_000;

export function activityIsStale(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= ACTIVITY_RESOLUTION_MS;
}
