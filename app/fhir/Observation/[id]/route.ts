import { toFhirObservation } from "@/lib/fhir/mapping";
import { readObservation } from "@/lib/fhir/server/observations";
import { fhirResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Read: the current version, with its ETag. */
  async GET({ actor, params }) {
    const row = await readObservation(actor, params.id!);
    return fhirResponse(toFhirObservation(row, row.patientId), { headers: { ETag: `W/"${row.version}"`, "Last-Modified": row.updatedAt.toUTCString() } });
  },
});
