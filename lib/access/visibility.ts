import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { breakGlassGrants, careTeamMembers, careTeamPatients, consentRecords, guardianLinks, patients } from "@/db/schema";
import type { Actor } from "./actor";

/** Until this birthday a confirmed guardian acts for the patient; past it only a renewal counts. */
export const GUARDIAN_ACCESS_ENDS_AT_AGE = 18;

/** Whether the access asked for only reads: break-glass grants reading, never writing. */
export type AccessKind = "read" | "write";

/**
 * THE visibility rule, the only place it is written (docs/decisions/002-visibility-rule.md): a
 * patient sees themself, a guardian their linked patients (once a clinician confirmed the link,
 * until the patient's 18th birthday unless renewed, and unless the young person, judged competent,
 * ended the link or limited it to an earlier last day), a clinician the patients of their care teams
 * (and, to read, a patient they broke the glass for, until that expires), an admin their
 * organization's patients, a hospital system (backend client) its organization's patients, a
 * device or an uploader app the one patient it is bound to; a privacy officer no patient. Every
 * query of patient data adds this condition; a patient outside it does not exist for the actor
 * (404, omitted from lists and totals). `at` is the moment of the access: birthdays are counted on
 * its UTC calendar day.
 *
 * Hospital systems, by API (backend clients, Bulk exports) or by push (the push job), never see a
 * patient who objects to sharing with them (a current `deny` for `hospital-sharing`, PRIVACY-
 * SECURITY.md C1): the objection takes effect at their next request or delivery.
 */
export function patientVisibleTo(actor: Actor, access: AccessKind = "read", at: Date = new Date()): SQL {
  const sameOrganization = sql`${patients.organizationId} = ${actor.organizationId}`;
  switch (actor.kind) {
    case "backend-client":
      return sql`${sameOrganization} and ${notObjectingToHospitalSharing}`;
    case "system":
      return actor.job === "hospital-push" ? sql`${sameOrganization} and ${notObjectingToHospitalSharing}` : sameOrganization;
    case "device":
    case "uploader":
      return sql`${patients.id} = ${actor.patientId}`;
    case "user":
      break;
  }
  switch (actor.role) {
    case "patient":
      return sql`${patients.userId} = ${actor.userId}`;
    case "guardian": {
      const day = at.toISOString().slice(0, 10);
      return sql`exists (select 1 from ${guardianLinks}
        where ${guardianLinks.patientId} = ${patients.id} and ${guardianLinks.guardianUserId} = ${actor.userId}
          and ${guardianLinks.confirmedAt} is not null
          and ${guardianLinks.endedByPatientAt} is null
          and (${guardianLinks.limitedByPatientUntil} is null or ${guardianLinks.limitedByPatientUntil} >= ${day}::date)
          and ((${patients.birthDate} + make_interval(years => ${GUARDIAN_ACCESS_ENDS_AT_AGE}))::date > ${day}::date
            or ${guardianLinks.renewedUntil} >= ${day}::date))`;
    }
    case "clinician": {
      const onCareTeam = sql`exists (select 1 from ${careTeamPatients}
        join ${careTeamMembers} on ${careTeamMembers.careTeamId} = ${careTeamPatients.careTeamId}
        where ${careTeamPatients.patientId} = ${patients.id} and ${careTeamMembers.clinicianUserId} = ${actor.userId})`;
      if (access === "write") return sql`${sameOrganization} and ${onCareTeam}`;
      return sql`${sameOrganization} and (${onCareTeam} or exists (select 1 from ${breakGlassGrants}
        where ${breakGlassGrants.patientId} = ${patients.id} and ${breakGlassGrants.clinicianUserId} = ${actor.userId}
          and ${breakGlassGrants.startedAt} <= ${at.toISOString()}::timestamptz and ${breakGlassGrants.expiresAt} > ${at.toISOString()}::timestamptz))`;
    }
    case "admin":
      return sameOrganization;
    case "privacy_officer":
      return sql`false`;
  }
}

/** No current objection to sharing with the organization's hospital systems. */
const notObjectingToHospitalSharing = sql`not exists (select 1 from ${consentRecords}
  where ${consentRecords.patientId} = ${patients.id} and ${consentRecords.purpose} = 'hospital-sharing'
    and ${consentRecords.decision} = 'deny' and ${consentRecords.supersededAt} is null)`;
