import { toFhirObservation } from "@/lib/fhir/mapping";
import { createObservation } from "@/lib/fhir/server/observation-writes";
import { parseObservationSearch } from "@/lib/fhir/server/observation-search";
import { countObservations, searchObservations } from "@/lib/fhir/server/observations";
import { countBundle, observationSearchBundle } from "@/lib/fhir/server/search-bundles";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: a searchset Bundle with keyset `next`/`previous` links (docs/fhir.md). */
  async GET({ actor, url, baseUrl }) {
    const query = parseObservationSearch(url.searchParams);
    if ("error" in query) return outcomeResponse(400, "invalid", query.error, query.parameter);
    if (query.summaryCount) return fhirResponse(countBundle(await countObservations(actor, query), url));
    return fhirResponse(observationSearchBundle(await searchObservations(actor, query), url, baseUrl));
  },
  /** Create a glucose Observation; conditional create with If-None-Exist. */
  async POST({ actor, request, baseUrl, body }) {
    const { created, row } = await createObservation(actor, await body(), request.headers.get("if-none-exist"));
    return fhirResponse(toFhirObservation(row, row.patientId), {
      status: created ? 201 : 200,
      headers: { Location: `${baseUrl}/Observation/${row.id}/_history/${row.version}`, ETag: `W/"${row.version}"` },
    });
  },
});
