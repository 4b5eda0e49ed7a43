import { toFhirDevice, toFhirObservation, toFhirPatient } from "@/lib/fhir/mapping";
import { createObservation } from "@/lib/fhir/server/observation-writes";
import { observationSearch } from "@/lib/fhir/server/observation-search";
import { searchObservations } from "@/lib/fhir/server/observations";
import { searchResultsBundle } from "@/lib/fhir/server/search-bundles";
import { parseSearch } from "@/lib/fhir/server/search/framework";
import { fhirResponse, fhirRoute, outcomeResponse } from "@/lib/http/fhir";

export const { GET, POST, PUT, PATCH, DELETE } = fhirRoute({
  /** Search: a searchset Bundle with keyset `next`/`previous` links (docs/fhir.md). */
  async GET({ actor, url, baseUrl, prefer }) {
    const search = parseSearch(observationSearch, url.searchParams, prefer.handling);
    if ("error" in search) return outcomeResponse(400, search.code, search.error, search.parameter);
    const page = await searchObservations(actor, search);
    const included = [...page.subjects.map((patient) => toFhirPatient(patient, patient.organizationId)), ...page.devices.map(toFhirDevice)];
    return fhirResponse(searchResultsBundle(observationSearch, search, baseUrl, page, page.rows.map((row) => toFhirObservation(row, row.patientId)), included));
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
