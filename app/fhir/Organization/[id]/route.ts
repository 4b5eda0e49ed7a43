import { toFhirOrganization } from "@/lib/fhir/mapping";
import { readFhirOrganization } from "@/lib/fhir/server/directory";
import { directoryRead } from "@/lib/fhir/server/directory-routes";

/** GET /fhir/Organization/[id]: 404 for anything outside the caller's view, exactly as for a missing id. */
export const GET = directoryRead("Organization", readFhirOrganization, toFhirOrganization);
