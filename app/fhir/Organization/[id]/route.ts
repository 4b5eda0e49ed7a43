import { toFhirOrganization } from "@/lib/fhir/mapping";
import { readFhirOrganization } from "@/lib/fhir/server/directory";
import { fhirResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: the caller's own organization; any other id is not found. */
  async GET({ actor, params }) {
    return fhirResponse(toFhirOrganization(await readFhirOrganization(actor, params.id!)));
  },
});
