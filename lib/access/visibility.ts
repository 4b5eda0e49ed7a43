import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { careTeamMembers, careTeamPatients, consentRecords, guardianLinks, patients } from "@/db/schema";
import type { Actor } from "./actor";

/**
 * THE visibility rule, the only place it is written (docs/decisions/002-visibility-rule.md): a
 * patient sees themself, a guardian their linked patients, a clinician the patients of their care
 * teams, an admin their organization's patients, a hospital system (backend client) its
 * organization's patients, a device or an uploader app the one patient it is bound to. Every
 * query of patient data adds this condition; a patient outside it does not exist for the actor
 * (404, omitted from lists and totals).
 *
 * Hospital systems, by API (backend clients, Bulk exports) or by push (the push job), never see a
 * patient who objects to sharing with them (a current `deny` for `hospital-sharing`, PRIVACY-
 * SECURITY.md C1): the objection takes effect at their next request or delivery.
 */
export function patientVisibleTo(actor: Actor): SQL {
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
    case "guardian":
      return sql`exists (select 1 from ${guardianLinks}
        where ${guardianLinks.patientId} = ${patients.id} and ${guardianLinks.guardianUserId} = ${actor.userId})`;
    case "clinician":
      return sql`${sameOrganization} and exists (select 1 from ${careTeamPatients}
        join ${careTeamMembers} on ${careTeamMembers.careTeamId} = ${careTeamPatients.careTeamId}
        where ${careTeamPatients.patientId} = ${patients.id} and ${careTeamMembers.clinicianUserId} = ${actor.userId})`;
    case "admin":
      return sameOrganization;
  }
}

/** No current objection to sharing with the organization's hospital systems. */
const notObjectingToHospitalSharing = sql`not exists (select 1 from ${consentRecords}
  where ${consentRecords.patientId} = ${patients.id} and ${consentRecords.purpose} = 'hospital-sharing'
    and ${consentRecords.decision} = 'deny' and ${consentRecords.supersededAt} is null)`;
