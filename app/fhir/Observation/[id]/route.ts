import { toFhirObservation } from "@/lib/fhir/mapping";
import { readObservation } from "@/lib/fhir/server/observations";
import { fhirReadResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: the current version with its ETag; 304 when If-None-Match names it. */
  async GET({ actor, params, request }) {
    const row = await readObservation(actor, params.id!);
    return fhirReadResponse(request, toFhirObservation(row, row.patientId), { version: row.version, lastModified: row.updatedAt });
  },
});
