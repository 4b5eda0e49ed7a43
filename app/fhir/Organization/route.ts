import { toFhirOrganization } from "@/lib/fhir/mapping";
import { searchFhirOrganizations } from "@/lib/fhir/server/directory";
import { directorySearch } from "@/lib/fhir/server/directory-routes";

/** GET /fhir/Organization: the caller's own organization. */
export const GET = directorySearch("Organization", (reader) => searchFhirOrganizations(reader), toFhirOrganization);
