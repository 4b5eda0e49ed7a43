import type { UploaderActor } from "@/lib/access/actor";
import { can } from "@/lib/access/permissions";

/**
 * GET /api/v1/verifyauth as Nightscout answers it (AndroidAPS and nightscout-connect check a
 * credential with it): always 200, and `message` says what the credential may do. The API secret
 * is Nightscout's admin credential; an access token is a subject with a role.
 */
export function verifyAuthAnswer(caller: UploaderActor | null) {
  const canRead = caller !== null && can(caller, "reading:search");
  return {
    status: 200,
    message: {
      canRead,
      canWrite: caller !== null && can(caller, "reading:create"),
      isAdmin: caller?.credential.kind === "api-secret",
      message: canRead ? "OK" : "UNAUTHORIZED",
      rolefound: caller?.credential.kind === "access-token" ? "FOUND" : "NOTFOUND",
      permissions: caller === null ? "DEFAULT" : "ROLE",
    },
  };
}
