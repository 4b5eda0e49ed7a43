import { toFhirObservation } from "@/lib/fhir/mapping";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { readObservation } from "@/lib/fhir/server/observations";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Observation/[id]: the current version, with its ETag. */
export async function GET(request: Request, { params }: RouteContext<"/fhir/Observation/[id]">) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Observation", "read")) return outcomeResponse(403, "forbidden", "The access token lacks system/Observation.rs (or .read).");
    const { id } = await params;
    const row = await readObservation(reader, id);
    return fhirResponse(toFhirObservation(row, row.patientId), { headers: { ETag: `W/"${row.version}"`, "Last-Modified": row.updatedAt.toUTCString() } });
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
