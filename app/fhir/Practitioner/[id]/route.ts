import { toFhirPractitioner } from "@/lib/fhir/mapping";
import { readFhirPractitioner } from "@/lib/fhir/server/directory";
import { fhirReadResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: a clinician of the caller's organization; 404 for anything else; 304 when unchanged. */
  async GET({ actor, params, request }) {
    const practitioner = await readFhirPractitioner(actor, params.id!);
    return fhirReadResponse(request, toFhirPractitioner(practitioner), { lastModified: practitioner.createdAt });
  },
});
