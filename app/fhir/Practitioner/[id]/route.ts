import { toFhirPractitioner } from "@/lib/fhir/mapping";
import { readFhirPractitioner } from "@/lib/fhir/server/directory";
import { fhirResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: a clinician of the caller's organization; 404 for anything else. */
  async GET({ actor, params }) {
    return fhirResponse(toFhirPractitioner(await readFhirPractitioner(actor, params.id!)));
  },
});
