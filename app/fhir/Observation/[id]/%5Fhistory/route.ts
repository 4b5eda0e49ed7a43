import { toFhirObservation } from "@/lib/fhir/mapping";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { observationHistory } from "@/lib/fhir/server/observations";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";

/** GET /fhir/Observation/[id]/_history: every version, newest first, as a history Bundle. */
export async function GET(request: Request, { params }: RouteContext<"/fhir/Observation/[id]/_history">) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Observation", "read")) return outcomeResponse(403, "forbidden", "The access token lacks system/Observation.rs (or .read).");
    const { id } = await params;
    const versions = await observationHistory(reader, id);
    const base = `${new URL(request.url).origin}/fhir`;
    return fhirResponse({
      resourceType: "Bundle",
      type: "history",
      total: versions.length,
      link: [{ relation: "self", url: request.url }],
      entry: versions.map((version) => ({
        fullUrl: `${base}/Observation/${version.id}`,
        resource: toFhirObservation(version, version.patientId),
        request: { method: version.version === 1 ? "POST" : "PUT", url: version.version === 1 ? "Observation" : `Observation/${version.id}` },
        response: { status: version.version === 1 ? "201" : "200", etag: `W/"${version.version}"`, lastModified: version.updatedAt.toISOString() },
      })),
    });
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
