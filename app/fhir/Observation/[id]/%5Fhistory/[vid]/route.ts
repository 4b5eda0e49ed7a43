import { toFhirObservation } from "@/lib/fhir/mapping";
import { observationHistory } from "@/lib/fhir/server/observations";
import { fhirReadResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** vread: one version. */
  async GET({ actor, params, request }) {
    const version = (await observationHistory(actor, params.id!)).find((candidate) => String(candidate.version) === params.vid);
    if (!version) return outcomeResponse(404, "not-found", `Observation/${params.id} has no version ${params.vid}.`);
    return fhirReadResponse(request, toFhirObservation(version, version.patientId), { version: version.version, lastModified: version.updatedAt });
  },
});
