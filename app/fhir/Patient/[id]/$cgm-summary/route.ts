import { toFhirCgmSummary } from "@/lib/fhir/mapping";
import { readingsForSummary } from "@/lib/fhir/server/observations";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";
import { computeGlycemicSummary } from "@/lib/metrics/glycemic";

const MAX_PERIOD_DAYS = 366;

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /**
   * The CGM IG summary (panel 107931-8 and its members) for any period, computed by the same
   * metric code as the portal, as a collection Bundle: `?start=..&end=..`.
   */
  async GET({ actor, params, url, baseUrl }) {
    const start = new Date(url.searchParams.get("start") ?? "");
    const end = new Date(url.searchParams.get("end") ?? "");
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) {
      return outcomeResponse(400, "invalid", "Give the period as start and end instants, e.g. start=2026-11-01T00:00:00Z&end=2026-11-15T00:00:00Z.", "start");
    }
    if (end.getTime() - start.getTime() > MAX_PERIOD_DAYS * 86_400_000) return outcomeResponse(400, "too-costly", `A summary covers at most ${MAX_PERIOD_DAYS} days.`, "end");
    const readings = await readingsForSummary(actor, params.id!, start, end);
    const summary = computeGlycemicSummary(readings, { start, end });
    if (summary.readingCount < 2) return outcomeResponse(404, "not-found", "Fewer than two CGM readings in this period: no summary can be computed.");
    const { panel, members } = toFhirCgmSummary(summary, params.id!, { start, end });
    return fhirResponse({
      resourceType: "Bundle",
      type: "collection",
      entry: [panel, ...members].map((resource) => ({ fullUrl: `${baseUrl}/Observation/${resource.id}`, resource })),
    });
  },
});
