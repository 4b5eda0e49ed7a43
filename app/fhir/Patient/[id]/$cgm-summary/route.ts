import { toFhirCgmSummary } from "@/lib/fhir/mapping";
import { cgmSummaryOf } from "@/lib/fhir/server/observations";
import { parseSummaryRequest } from "@/lib/fhir/server/summary-period";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /**
   * The CGM IG summary (panel 107931-8 and its members) for a period on the patient's calendar,
   * computed by the glucose report the portal shows (for local calendar days), as a collection
   * Bundle: `?start=..&end=..` as dates, or as instants (lib/fhir/server/summary-period).
   */
  async GET({ actor, params, url, baseUrl }) {
    const request = parseSummaryRequest(url.searchParams.get("start"), url.searchParams.get("end"));
    if ("error" in request) return outcomeResponse(400, "invalid", request.error, request.parameter);
    const { period, figures, readingCount } = await cgmSummaryOf(actor, params.id!, request);
    if (readingCount < 2) return outcomeResponse(404, "not-found", "Fewer than two CGM readings in this period: no summary can be computed.");
    const { panel, members } = toFhirCgmSummary(figures, params.id!, period);
    return fhirResponse({
      resourceType: "Bundle",
      type: "collection",
      entry: [panel, ...members].map((resource) => ({ fullUrl: `${baseUrl}/Observation/${resource.id}`, resource })),
    });
  },
});
