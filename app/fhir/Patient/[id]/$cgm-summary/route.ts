import { toFhirCgmSummary } from "@/lib/fhir/mapping";
import { fhirErrorResponse, fhirResponse, outcomeResponse } from "@/lib/fhir/server/http";
import { readingsForSummary } from "@/lib/fhir/server/observations";
import { fhirReader, lacksScope } from "@/lib/fhir/server/reader";
import { computeGlycemicSummary } from "@/lib/metrics/glycemic";

const MAX_PERIOD_DAYS = 366;

/**
 * GET /fhir/Patient/[id]/$cgm-summary?start=..&end=..: the CGM IG summary (panel 107931-8 and its
 * members) for any period, computed by the same metric code as the portal, as a collection Bundle.
 */
export async function GET(request: Request, { params }: RouteContext<"/fhir/Patient/[id]/$cgm-summary">) {
  try {
    const reader = await fhirReader(request);
    if (lacksScope(reader, "Observation", "read")) return outcomeResponse(403, "forbidden", "The access token lacks system/Observation.rs (or .read).");
    const { id } = await params;
    const url = new URL(request.url);
    const start = new Date(url.searchParams.get("start") ?? "");
    const end = new Date(url.searchParams.get("end") ?? "");
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) {
      return outcomeResponse(400, "invalid", "Give the period as start and end instants, e.g. start=2026-11-01T00:00:00Z&end=2026-11-15T00:00:00Z.", "start");
    }
    if (end.getTime() - start.getTime() > MAX_PERIOD_DAYS * 86_400_000) return outcomeResponse(400, "too-costly", `A summary covers at most ${MAX_PERIOD_DAYS} days.`, "end");
    const readings = await readingsForSummary(reader, id, start, end);
    const summary = computeGlycemicSummary(readings, { start, end });
    if (summary.readingCount < 2) return outcomeResponse(404, "not-found", "Fewer than two CGM readings in this period: no summary can be computed.");
    const { panel, members } = toFhirCgmSummary(summary, id, { start, end });
    const base = `${url.origin}/fhir`;
    return fhirResponse({
      resourceType: "Bundle",
      type: "collection",
      entry: [panel, ...members].map((resource) => ({ fullUrl: `${base}/Observation/${resource.id}`, resource })),
    });
  } catch (error) {
    return fhirErrorResponse(error);
  }
}
