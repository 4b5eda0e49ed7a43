import type { UserRole } from "@/db/schema/users";

/**
 * Roles that see many patients' records must use a second factor (PRIVACY-SECURITY.md A; ASVS
 * V6.3.3): they sign in with a password and a code, and until they have set up an authenticator
 * they can reach nothing but the page that sets it up. Patients and guardians may opt in.
 */
const MFA_REQUIRED: Readonly<Record<UserRole, boolean>> = {
  clinician: true,
  admin: true,
  privacy_officer: true,
  patient: false,
  guardian: false,
};

export function mfaRequiredFor(role: UserRole): boolean {
  return MFA_REQUIRED[role];
}
