import { toFhirObservation } from "@/lib/fhir/mapping";
import { observationHistory } from "@/lib/fhir/server/observations";
import { fhirResponse, fhirRoute } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Every version, newest first, as a history Bundle. */
  async GET({ actor, params, url, baseUrl }) {
    const versions = await observationHistory(actor, params.id!);
    return fhirResponse({
      resourceType: "Bundle",
      type: "history",
      total: versions.length,
      link: [{ relation: "self", url: url.toString() }],
      entry: versions.map((version) => ({
        fullUrl: `${baseUrl}/Observation/${version.id}`,
        resource: toFhirObservation(version, version.patientId),
        request: { method: version.version === 1 ? "POST" : "PUT", url: version.version === 1 ? "Observation" : `Observation/${version.id}` },
        response: { status: version.version === 1 ? "201" : "200", etag: `W/"${version.version}"`, lastModified: version.updatedAt.toISOString() },
      })),
    });
  },
});
