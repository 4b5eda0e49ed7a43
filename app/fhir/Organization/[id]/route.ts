import { toFhirOrganization } from "@/lib/fhir/mapping";
import { readFhirOrganization } from "@/lib/fhir/server/directory";
import { fhirReadResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: the caller's own organization; any other id is not found; 304 when unchanged. */
  async GET({ actor, params, request }) {
    const organization = await readFhirOrganization(actor, params.id!);
    return fhirReadResponse(request, toFhirOrganization(organization), { lastModified: organization.createdAt });
  },
});
