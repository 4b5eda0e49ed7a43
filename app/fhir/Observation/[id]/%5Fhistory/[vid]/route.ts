import { toFhirObservation } from "@/lib/fhir/mapping";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { observationHistory } from "@/lib/fhir/server/observations";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Observation/[id]/_history/[vid]: one version (vread). */
export async function GET(request: Request, { params }: RouteContext<"/fhir/Observation/[id]/_history/[vid]">) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Observation", "read")) return outcomeResponse(403, "forbidden", "The access token lacks system/Observation.rs (or .read).");
    const { id, vid } = await params;
    const version = (await observationHistory(reader, id)).find((candidate) => String(candidate.version) === vid);
    if (!version) return outcomeResponse(404, "not-found", `Observation/${id} has no version ${vid}.`);
    return fhirResponse(toFhirObservation(version, version.patientId), { headers: { ETag: `W/"${version.version}"` } });
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
